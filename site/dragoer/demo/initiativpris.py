"""Demo content of the prize: the prize page and the Frivillig Fredag page below the hub, a
current round in its nomination phase (with a jury and a few nominations) and two earlier
rounds with winners. Idempotent: run by ``manage.py seed_demo`` as
often as you like; ``history()`` makes the follow-up's past."""

from __future__ import annotations

import datetime
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from dragoer.demo.pages import section_page
from initiativpris import rules, services
from initiativpris.models import (
    Consent,
    FrivilligFredagPage,
    Nomination,
    PrizeModel,
    PrizePage,
    PrizeRound,
    Sponsor,
    Vote,
)

JURY_GROUP = "Initiativpris-jury"
# username, first name, last name, e-mail
JURY = [
    ("borgmester", "Helle", "Barth", "borgmester@dragoer.dk"),
    ("kulturchef", "Anders", "Møller", "kulturchef@dragoer.dk"),
    ("udvalgsformand", "Birgit", "Rasmussen", "udvalg@dragoer.dk"),
    ("sponsor", "Jens", "Kofoed", "jens@dragoer-sparekasse.example"),
]
RULES = (
    "<p>Prisen gives til en frivillig, en gruppe eller en forening, der har gjort en særlig "
    "indsats for fællesskabet i Dragør Kommune.</p><ul><li>Alle borgere kan indstille én "
    "kandidat med en begrundelse.</li><li>Juryen udvælger tre kandidater, og borgerne stemmer "
    "om vinderen.</li><li>Prisen overrækkes ved fejringen af Frivillig Fredag.</li></ul>"
)
NOMINATIONS = [
    (
        "person",
        "Karen Holm",
        "Karen har drevet lektiecaféen på biblioteket i ti år og hjulpet "
        "over hundrede børn med lektierne.",
        "Ole Hansen",
    ),
    (
        "association",
        "Dragør Søspejdere",
        "Spejderne tager hver sommer ensomme ældre med på "
        "sejltur og har bygget en ny bådebro med frivillige kræfter.",
        "Lise Berg",
    ),
    (
        "group",
        "Strandrenserne",
        "En gruppe naboer, der hver søndag samler affald på stranden "
        "ved Kongelunden – året rundt, i al slags vejr.",
        "Peter Vang",
    ),
]


def _jury():
    User = get_user_model()
    group, _ = Group.objects.get_or_create(name=JURY_GROUP)
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "dragoer-demo")
    users = []
    for username, first, last, email in JURY:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=email, first_name=first, last_name=last)
            user.set_password(password)
            user.save()
        user.groups.add(group)
        users.append(user)
    return users


def _current_dates(now):
    """Nominations open now; the ceremony on the next Frivillig Fredag at least 16 weeks away."""
    year = now.year
    while rules.last_friday_of_september(year) < (now + datetime.timedelta(weeks=16)).date():
        year += 1
    day = rules.last_friday_of_september(year)
    tz = timezone.get_current_timezone()
    ceremony = datetime.datetime.combine(day, datetime.time(17), tzinfo=tz)
    return year, {
        "nominations_open": now - datetime.timedelta(days=14),
        "nominations_close": ceremony - datetime.timedelta(weeks=10),
        "vote_open": ceremony - datetime.timedelta(weeks=6),
        "vote_close": ceremony - datetime.timedelta(weeks=1),
        "announcement_at": ceremony,
    }


def _earlier_dates(year):
    tz = timezone.get_current_timezone()
    ceremony = datetime.datetime.combine(
        rules.last_friday_of_september(year), datetime.time(17), tzinfo=tz
    )
    return {
        "nominations_open": ceremony - datetime.timedelta(weeks=24),
        "nominations_close": ceremony - datetime.timedelta(weeks=10),
        "vote_open": ceremony - datetime.timedelta(weeks=6),
        "vote_close": ceremony - datetime.timedelta(weeks=1),
        "announcement_at": ceremony,
    }


def _nominate(round, kind, name, motivation, nominator, n, *, shortlisted=False):
    email = f"indstiller{n}@example.org"
    nomination, _ = Nomination.objects.get_or_create(
        round=round,
        nominee_name=name,
        defaults={
            "nominee_kind": kind,
            "nominee_email": f"kandidat{n}@example.org",
            "motivation": motivation,
            "nominator_name": nominator,
            "nominator_email": email,
            "nominator_key": services.voter_key(email),
            "created_at": round.nominations_open + datetime.timedelta(days=2),
            "confirmed_at": round.nominations_open + datetime.timedelta(days=2),
            "slot": 1,
            "consent": Consent.GIVEN,
            "consent_at": round.nominations_open + datetime.timedelta(days=3),
            "shortlisted": shortlisted,
        },
    )
    return nomination


@transaction.atomic
def seed(stdout) -> None:
    prize_page = section_page(
        PrizePage,
        "initiativpris",
        stdout,
        title="Initiativprisen",
        intro="<p>Kender du en frivillig, der gør en forskel? Indstil dem til prisen.</p>",
    )
    if prize_page is None:
        return
    section_page(
        FrivilligFredagPage,
        "frivillig-fredag",
        stdout,
        title="Frivillig Fredag",
        intro="<p>Frivillig Fredag er den landsdækkende dag for frivillige – den sidste fredag i "
        "september. Vi fejrer de frivillige i Dragør med program hele dagen og uddeler prisen.</p>",
    )
    jury = _jury()
    now = timezone.now()
    year, dates = _current_dates(now)
    current, created = PrizeRound.objects.get_or_create(
        slug=f"kultur-og-idraetsprisen-{year}",
        defaults={
            "prize_name": "Kultur- og Idrætsprisen",
            "year": year,
            "amount": 10000,
            "rules": RULES,
            "decision_model": PrizeModel.SHORTLIST_VOTE,
            "live": True,
            "ceremony_place": "Dragør Rådhus, byrådssalen",
            **dates,
        },
    )
    if created:
        current.jury.set(jury)
        current.save()
        Sponsor.objects.create(round=current, name="Dragør Sparekasse", url="https://example.org/")
        Sponsor.objects.create(round=current, name="Amager Erhvervsforening")
    for n, (kind, name, motivation, nominator) in enumerate(NOMINATIONS):
        _nominate(current, kind, name, motivation, nominator, n)

    winners = [
        (
            year - 1,
            "Kultur- og Idrætsprisen",
            PrizeModel.SHORTLIST_VOTE,
            "Lektiecaféen på biblioteket",
        ),
        (year - 2, "Initiativprisen", PrizeModel.JURY, "Dragør Havnelaug"),
    ]
    for earlier_year, name, model, winner_name in winners:
        round, created = PrizeRound.objects.get_or_create(
            slug=f"{'initiativprisen' if model == PrizeModel.JURY else 'kultur-og-idraetsprisen'}-{earlier_year}",
            defaults={
                "prize_name": name,
                "year": earlier_year,
                "amount": 10000,
                "rules": RULES,
                "decision_model": model,
                "live": True,
                "ceremony_place": "Dragør Rådhus",
                **_earlier_dates(earlier_year),
            },
        )
        if not created:
            continue
        shortlisted = model == PrizeModel.SHORTLIST_VOTE
        nominations = [
            _nominate(
                round,
                "association",
                winner_name,
                "Et fællesskab, der samler alle generationer om et fælles projekt.",
                "Demo Indstiller",
                10 + earlier_year,
                shortlisted=shortlisted,
            ),
            _nominate(
                round,
                "person",
                "Bent Jørgensen",
                "Bent har trænet ungdomsholdet i tyve år.",
                "Demo Indstiller",
                20 + earlier_year,
                shortlisted=shortlisted,
            ),
        ]
        if shortlisted:
            for nomination, count in zip(nominations, [112, 87], strict=True):
                Vote.objects.bulk_create(
                    Vote(
                        round=round,
                        nomination=nomination,
                        source=Vote.Source.PAPER,
                        confirmed_at=round.vote_close - datetime.timedelta(days=1),
                    )
                    for _ in range(count)
                )
            round.voter_identifiers_deleted_at = round.announcement_at
        round.winner = nominations[0]
        round.save()
    stdout.write(
        f"Prize: a round in its nomination phase ({current}) and two earlier rounds with "
        f"winners; jury members log in as {', '.join(u.username for u in jury)}."
    )


# --- History for the follow-up's figures ---------------------------------------------------

HISTORY_DOMAIN = "historik.example.org"
HISTORY_SEED = 4011
HISTORY_NOMINEES = [
    ("person", "Frivillig i lektiecaféen", "Har hjulpet børn med lektierne hver uge."),
    ("person", "Træner for ungdomsholdet", "Har trænet de unge i mange år."),
    ("group", "Strandrenserne", "Samler affald på stranden hver søndag."),
    ("group", "Besøgsvennerne", "Besøger ensomme ældre i hele kommunen."),
    ("association", "Dragør Søspejdere", "Tager ældre med på sejltur hver sommer."),
    ("association", "Havnens Venner", "Passer de gamle både på havnen."),
]


def _history_round(year, start, now):
    """The round of ``year`` (an existing one, one with a vote first), else a new one."""
    rounds = PrizeRound.objects.filter(year=year).order_by("pk")
    existing = rounds.exclude(decision_model=PrizeModel.JURY).first() or rounds.first()
    if existing is not None:
        return existing, False
    dates = _earlier_dates(year)
    if dates["nominations_open"] > now or dates["nominations_close"] < start:
        return None, False
    return PrizeRound.objects.create(
        prize_name="Initiativprisen",
        slug=f"initiativprisen-historik-{year}",
        year=year,
        amount=10000,
        rules=RULES,
        decision_model=PrizeModel.SHORTLIST_VOTE,
        live=True,
        ceremony_place="Dragør Rådhus",
        **dates,
    ), True


def history(*, today, months: int = 24, scale: int = 1) -> int:
    """``months`` of past rounds before ``today`` for the follow-up's figures: for every
    yearly round in that time (the demo's own rounds where they exist, else a new one) about
    twenty nominations and, after a public vote, about eighty voters at ``scale`` 1, the
    voters' identifiers already deleted as after any result. Bulk inserts, no mail, no
    tasks; deterministic; a second call creates nothing."""
    import random

    if Nomination.objects.filter(nominator_email__endswith="@" + HISTORY_DOMAIN).exists():
        return 0
    rng = random.Random(HISTORY_SEED)
    tz = timezone.get_current_timezone()
    end_of_today = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    now = min(timezone.now(), end_of_today)
    start = now - datetime.timedelta(days=round(months * 30.44))
    created = 0
    pool = 40 * scale
    with transaction.atomic():
        for year in range(start.year, now.year + 2):
            prize, new = _history_round(year, start, now)
            if prize is None or prize.nominations_close < start or prize.nominations_open > now:
                continue
            created += int(new)
            first = max(prize.nominations_open, start)
            last = min(prize.nominations_close, now)
            count = max(3, round(rng.uniform(15, 25) * scale))
            nominations = []
            for n in rng.sample(range(pool), min(count, pool)):
                kind, name, motivation = rng.choice(HISTORY_NOMINEES)
                sent = first + (last - first) * rng.random()
                email = f"indstiller{n}@{HISTORY_DOMAIN}"
                consented = rng.random() < 0.85
                nominations.append(
                    Nomination(
                        round=prize,
                        nominee_kind=kind,
                        nominee_name=f"{name} ({n})",
                        nominee_email=f"kandidat{n}@{HISTORY_DOMAIN}",
                        motivation=motivation,
                        nominator_name=f"Indstiller {n}",
                        nominator_email=email,
                        nominator_key=services.voter_key(email),
                        created_at=sent,
                        confirmed_at=sent + datetime.timedelta(minutes=rng.uniform(2, 300)),
                        slot=1,
                        consent=Consent.GIVEN if consented else Consent.PENDING,
                        consent_at=sent + datetime.timedelta(days=2) if consented else None,
                    )
                )
            nominations = [x for x in nominations if x.confirmed_at <= now]
            Nomination.objects.bulk_create(nominations, batch_size=1000)
            created += len(nominations)
            if not prize.has_vote or prize.vote_close is None or prize.announcement_at > now:
                continue
            ballot = list(services.ballot(prize))
            if not ballot:
                consented = [x for x in nominations if x.consent == Consent.GIVEN]
                ballot = rng.sample(consented, min(3, len(consented)))
                if prize.has_shortlist:
                    Nomination.objects.filter(pk__in=[x.pk for x in ballot]).update(
                        shortlisted=True
                    )
            if not ballot:
                continue
            weights = [rng.uniform(1, 3) for _ in ballot]
            voters = round(rng.uniform(60, 100) * scale)
            span = prize.vote_close - prize.vote_open
            votes = []
            for _ in range(voters):
                confirmed = prize.vote_open + span * rng.random()
                votes.append(
                    Vote(
                        round=prize,
                        nomination=rng.choices(ballot, weights)[0],
                        voter_key=None,  # deleted after the result
                        source=Vote.Source.PAPER if rng.random() < 0.15 else Vote.Source.ONLINE,
                        created_at=confirmed - datetime.timedelta(minutes=rng.uniform(1, 60)),
                        confirmed_at=confirmed,
                    )
                )
            Vote.objects.bulk_create(votes, batch_size=1000)
            created += len(votes)
            PrizeRound.objects.filter(pk=prize.pk, voter_identifiers_deleted_at=None).update(
                voter_identifiers_deleted_at=prize.announcement_at
            )
    return created
