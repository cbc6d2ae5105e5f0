"""Demo content of loans: the manual page at /frivillig/laan/, four institutions (library,
a school, the culture house, the sports hall) with rooms, equipment, rules, declarations,
closures, a leader each, and some loans. Idempotent: run by
``manage.py seed_demo`` as often as you like; ``history()`` makes the follow-up's past."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from booking import rules as R
from booking.models import (
    BookingIndexPage,
    Closure,
    Declaration,
    DeclineReason,
    Institution,
    Loan,
    LoanItem,
    LoanSlot,
    LoanStatus,
    OpeningHours,
    Resource,
)
from dragoer.demo.pages import section_page
from frivillig_blocks import roles
from frivillig_blocks.models import Association, Place

DECLARATIONS = [
    (
        "Børneattest",
        R.CHILDREN,
        "Foreningen har indhentet børneattest for alle voksne, der har direkte kontakt med børn under 15 år i aktiviteten (lov om indhentelse af børneattest).",
    ),
    (
        "Brandmyndighedens godkendelse af overnatning",
        R.OVERNIGHT,
        "Overnatning sker efter brandmyndighedens godkendelse og anvisninger; der er vågen nattevagt, og flugtveje holdes frie.",
    ),
    (
        "Politiets tilladelse til alkohol",
        R.ALCOHOL_LARGE,
        "Ved servering af alkohol for mere end 150 personer har arrangøren søgt og fået politiets tilladelse.",
    ),
    (
        "Ansvar og oprydning",
        R.ALWAYS,
        "Låneren er ansvarlig for lokalet og udstyret i låneperioden, rydder op efter sig og erstatter skader.",
    ),
]

# institution slug, name, place, description, leader (username, first, last), rules
INSTITUTIONS = [
    (
        "bibliotek",
        "Dragør Bibliotek",
        "Dragør Bibliotek",
        "Biblioteket låner mødelokaler ud til foreninger uden for og i åbningstiden.",
        ("leder-bibliotek", "Birgitte", "Bang"),
        {"max_duration_minutes": 240, "buffer_minutes": 15},
    ),
    (
        "skole-nord",
        "Dragør Skole Nord",
        "Dragør Skole Nord",
        "Skolens lokaler kan lånes efter skoletid og i weekender.",
        ("leder-skole", "Søren", "Nord"),
        {"min_notice_hours": 72, "max_duration_minutes": 600, "max_loans_per_month": 8},
    ),
    (
        "kulturhuset",
        "Kulturhuset Dragør",
        "Kulturhuset Dragør",
        "Kulturhusets sal og scene til koncerter, teater og foredrag.",
        ("leder-kultur", "Karin", "Kultur"),
        {"max_duration_minutes": 480, "approval": R.INSTANT_TRUSTED},
    ),
    (
        "idraetscenter",
        "Dragør Idrætscenter",
        "Dragør Idrætscenter",
        "Hallen og mødelokalet til idræt og foreningsliv.",
        ("leder-idraet", "Ib", "Idræt"),
        {
            "allowed_purposes": ["sports", "association", "children", "meeting"],
            "max_duration_minutes": 180,
        },
    ),
]

# institution slug, kind, name, slug, capacity, fire capacity, quantity, features, weekday hours
RESOURCES = [
    (
        "bibliotek",
        "room",
        "Mødelokale 1",
        "moedelokale-1",
        20,
        30,
        1,
        "Skærm, whiteboard, teleslynge",
        (range(7), dt.time(8), dt.time(22)),
    ),
    (
        "bibliotek",
        "room",
        "Salen",
        "salen",
        80,
        120,
        1,
        "Scene, lydanlæg, projektor",
        (range(7), dt.time(8), dt.time(22)),
    ),
    ("bibliotek", "equipment", "Klapborde", "klapborde", None, None, 8, "", None),
    ("bibliotek", "equipment", "Lydanlæg (mobilt)", "lydanlaeg", None, None, 1, "", None),
    (
        "skole-nord",
        "room",
        "Gymnastiksalen",
        "gymnastiksalen",
        60,
        100,
        1,
        "Redskaber, omklædning",
        (range(7), dt.time(16), dt.time(22)),
    ),
    (
        "skole-nord",
        "room",
        "Klasselokale 12",
        "klasselokale-12",
        28,
        30,
        1,
        "Smartboard",
        (range(5), dt.time(15), dt.time(21)),
    ),
    ("skole-nord", "equipment", "Telte (pavillon 3×6 m)", "pavilloner", None, None, 4, "", None),
    (
        "kulturhuset",
        "room",
        "Store sal",
        "store-sal",
        150,
        200,
        1,
        "Scene, lys, flygel",
        (range(7), dt.time(9), dt.time(23)),
    ),
    (
        "kulturhuset",
        "room",
        "Værkstedet",
        "vaerkstedet",
        15,
        20,
        1,
        "Arbejdsborde, vask",
        (range(6), dt.time(9), dt.time(21)),
    ),
    ("kulturhuset", "equipment", "Stole", "stole", None, None, 120, "", None),
    (
        "idraetscenter",
        "room",
        "Hal 1",
        "hal-1",
        200,
        400,
        1,
        "Håndbold- og badmintonbaner",
        (range(7), dt.time(7), dt.time(23)),
    ),
    (
        "idraetscenter",
        "room",
        "Mødelokalet",
        "moedelokalet",
        25,
        30,
        1,
        "Kaffekøkken",
        (range(7), dt.time(8), dt.time(22)),
    ),
]

CPH = ZoneInfo("Europe/Copenhagen")


def _leader(username, first, last):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        domain = settings.FRIVILLIG_EMAIL.rpartition("@")[2] or "dragoer.dk"
        user = User(
            username=username, email=f"{username}@{domain}", first_name=first, last_name=last
        )
        user.set_password(os.environ.get("DEMO_ADMIN_PASSWORD", "dragoer-demo"))
        user.save()
    group = Group.objects.filter(name=roles.INSTITUTIONSLEDERE).first()
    if group is not None:
        user.groups.add(group)
    return user


def _page(stdout):
    return section_page(
        BookingIndexPage,
        "laan",
        stdout,
        title="Lån af lokaler og udstyr",
        intro="<p>Kommunens institutioner låner gerne lokaler og udstyr ud til frivillige "
        "foreninger og borgere, der laver lovlige aktiviteter åbne for en bredere kreds. "
        "Institutionens leder afgør hver sag.</p>",
        closing="<p>Lån er gratis. Private fester (fødselsdage, bryllupper, konfirmationer) "
        "og aktiviteter, der giver overskud til enkeltpersoner eller virksomheder, kan ikke "
        "låne. Aktiviteter for personer med handicap og for børn og unge har fortrinsret "
        "efter folkeoplysningsloven.</p>",
    )


@transaction.atomic
def seed(stdout=None) -> None:
    _page(stdout)
    declarations = {}
    for title, condition, text in DECLARATIONS:
        declarations[title], _ = Declaration.objects.get_or_create(
            title=title, defaults={"text": text, "condition": condition}
        )
    institutions = {}
    for slug, name, place_name, description, leader, rule_values in INSTITUTIONS:
        place, _ = Place.objects.get_or_create(
            name=place_name,
            defaults={"address": "Kirkevej 1", "postcode": "2791", "city": "Dragør"},
        )
        institution, created = Institution.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "place": place, "description": description, **rule_values},
        )
        if created:
            institution.leaders.add(_leader(*leader))
            institution.declarations.set(declarations.values())
        institutions[slug] = institution
    # The README's demo leader (the one door's demo makes the account) leads the library,
    # so logging in as "institutionsleder" leads to loans to decide.
    demo_leader = get_user_model().objects.filter(username="institutionsleder").first()
    if demo_leader is not None:
        institutions["bibliotek"].leaders.add(demo_leader)
    for inst_slug, kind, name, slug, capacity, fire, quantity, features, hours in RESOURCES:
        resource, created = Resource.objects.get_or_create(
            institution=institutions[inst_slug],
            slug=slug,
            defaults={
                "kind": kind,
                "name": name,
                "capacity": capacity,
                "fire_capacity": fire,
                "quantity": quantity,
                "features": features,
                "lendable_alone": slug != "lydanlaeg",
                "condition_check": kind == "equipment",
                "pickup_times": "Hverdage kl. 9–15" if kind == "equipment" else "",
                "return_times": "Senest næste hverdag kl. 12" if kind == "equipment" else "",
                "deposit_text": "500 kr. for lydanlæg" if slug == "lydanlaeg" else "",
            },
        )
        if created and hours:
            days, opens, closes = hours
            OpeningHours.objects.bulk_create(
                OpeningHours(resource=resource, weekday=d, opens=opens, closes=closes) for d in days
            )
    year = timezone.localdate().year
    for institution in institutions.values():
        Closure.objects.get_or_create(
            institution=institution,
            start_date=dt.date(year, 12, 23),
            defaults={"end_date": dt.date(year + 1, 1, 2), "reason": "Juleferie"},
        )
    Closure.objects.get_or_create(
        institution=institutions["skole-nord"],
        start_date=dt.date(year + 1, 2, 8),
        defaults={"end_date": dt.date(year + 1, 2, 14), "reason": "Vinterferie"},
    )
    _loans(institutions)


def _loans(institutions):
    associations = list(Association.objects.filter(live=True).order_by("name")[:3])
    if not associations or Loan.objects.filter(reference__startswith="DEMO-").exists():
        return
    today = timezone.localdate()
    hall = Resource.objects.get(institution=institutions["bibliotek"], slug="salen")
    room = Resource.objects.get(institution=institutions["bibliotek"], slug="moedelokale-1")
    tables = Resource.objects.get(institution=institutions["bibliotek"], slug="klapborde")
    gym = Resource.objects.get(institution=institutions["skole-nord"], slug="gymnastiksalen")
    stage = Resource.objects.get(institution=institutions["kulturhuset"], slug="store-sal")
    plans = [
        (
            "DEMO-0001",
            institutions["bibliotek"],
            [(room, 1)],
            "Bestyrelsesmøde",
            "meeting",
            10,
            LoanStatus.APPROVED,
            False,
            3,
            dt.time(19),
            dt.time(21),
            4,
        ),
        (
            "DEMO-0002",
            institutions["bibliotek"],
            [(hall, 1), (tables, 6)],
            "Loppemarked for Ukraine",
            "social",
            60,
            LoanStatus.PENDING,
            True,
            9,
            dt.time(10),
            dt.time(14),
            1,
        ),
        (
            "DEMO-0003",
            institutions["skole-nord"],
            [(gym, 1)],
            "Børnegymnastik",
            "children",
            25,
            LoanStatus.APPROVED,
            False,
            5,
            dt.time(17),
            dt.time(18, 30),
            8,
        ),
        (
            "DEMO-0004",
            institutions["kulturhuset"],
            [(stage, 1)],
            "Forårskoncert",
            "culture",
            140,
            LoanStatus.APPROVED,
            True,
            20,
            dt.time(19),
            dt.time(22),
            1,
        ),
    ]
    for i, (
        reference,
        institution,
        items,
        title,
        purpose,
        participants,
        status,
        public,
        days_ahead,
        start,
        end,
        weeks,
    ) in enumerate(plans):
        association = associations[i % len(associations)]
        first = today + dt.timedelta(days=days_ahead)
        slots = R.expand(
            start_date=first,
            start_time=start,
            end_date=first,
            end_time=end,
            tz=CPH,
            repeat_until=first + dt.timedelta(weeks=weeks - 1),
        )
        loan = Loan.objects.create(
            reference=reference,
            institution=institution,
            association=association,
            borrower_name=association.contact_name or association.name,
            borrower_email=association.email,
            responsible_name=association.contact_name or "Kontaktperson",
            title=title,
            purpose=purpose,
            participants=participants,
            status=status,
            public_event=public,
            target_group=R.CHILDREN_YOUTH if purpose == "children" else R.GENERAL,
            cancellation_deadline_hours=48,
            decided_at=timezone.now() if status == LoanStatus.APPROVED else None,
            first_start=slots[0][0],
            last_end=slots[-1][1],
        )
        LoanItem.objects.bulk_create(LoanItem(loan=loan, resource=r, quantity=q) for r, q in items)
        LoanSlot.objects.bulk_create(LoanSlot(loan=loan, start=s, end=e) for s, e in slots)


# --- History for the follow-up's figures ---------------------------------------------------

HISTORY_PREFIX = "HIST-"
HISTORY_USER_PREFIX = "historik-laaner-"
HISTORY_SEED = 1011
HISTORY_LOANS_PER_MONTH = 8  # at scale 1: about a hundred loans a year across the institutions
HISTORY_BORROWERS = 40
HISTORY_PURPOSES = [  # (purpose, weight): no private parties, no business
    ("association", 30),
    ("meeting", 25),
    ("sports", 15),
    ("children", 10),
    ("culture", 8),
    ("course", 6),
    ("public_event", 4),
    ("social", 2),
]
HISTORY_TITLES = {
    "association": "Ugentlig klubaften",
    "meeting": "Bestyrelsesmøde",
    "sports": "Træning",
    "children": "Børneaktivitet",
    "culture": "Koncert",
    "course": "Foredrag",
    "public_event": "Åbent hus",
    "social": "Fællesspisning",
}


def _history_borrowers(count: int) -> list:
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    unusable = make_password(None)
    User.objects.bulk_create(
        (
            User(
                username=f"{HISTORY_USER_PREFIX}{i:05d}",
                email=f"{HISTORY_USER_PREFIX}{i:05d}@example.invalid",
                first_name="Låner",
                last_name=f"{i}",
                password=unusable,
            )
            for i in range(1, count + 1)
        ),
        batch_size=500,
        ignore_conflicts=True,
    )
    return list(
        User.objects.filter(username__startswith=HISTORY_USER_PREFIX).order_by("username")[:count]
    )


def history(*, today: dt.date, months: int = 24, scale: int = 1) -> int:
    """Past loans for the figures: ``months`` months up to ``today``, about
    ``HISTORY_LOANS_PER_MONTH × scale`` a month, by ``HISTORY_BORROWERS × scale`` borrowers.
    Bulk inserts, no mail, no log entries. Idempotent: nothing if history is there."""
    import itertools
    import random

    if Loan.objects.filter(reference__startswith=HISTORY_PREFIX).exists():
        return 0
    with transaction.atomic():
        if not Institution.objects.exists():
            seed()
        institutions = list(Institution.objects.order_by("pk").prefetch_related("leaders"))
        # The fixed reasons (booking's migration makes the defaults; the coordinator edits).
        decline_reasons = list(DeclineReason.objects.filter(active=True)[:5]) or [None]
        resources = {}
        for resource in Resource.objects.filter(active=True).order_by("pk"):
            resources.setdefault(resource.institution_id, []).append(resource)
        institutions = [i for i in institutions if i.pk in resources]
        if not institutions:
            return 0
        leaders = {i.pk: next(iter(i.leaders.all()), None) for i in institutions}
        associations = list(Association.objects.filter(live=True).order_by("pk")[:20])
        borrowers = _history_borrowers(HISTORY_BORROWERS * scale)
        rng = random.Random(HISTORY_SEED)
        purposes, weights = zip(*HISTORY_PURPOSES, strict=True)
        # A few borrowers borrow often, most now and then.
        borrower_weights = list(
            itertools.accumulate(1 / (i + 1) ** 0.7 for i in range(len(borrowers)))
        )
        # Everything is decided before ``today`` begins: the same rows whenever it runs.
        now = dt.datetime.combine(today, dt.time.min, tzinfo=CPH)
        first_day = today - dt.timedelta(days=round(months * 30.44))
        span_days = (today - first_day).days
        total = HISTORY_LOANS_PER_MONTH * months * scale
        loans, slots_of = [], {}
        for n in range(1, total + 1):
            day = first_day + dt.timedelta(days=rng.randrange(span_days))
            requested = dt.datetime.combine(
                day, dt.time(rng.randrange(7, 23), rng.randrange(60)), tzinfo=CPH
            )
            institution = rng.choice(institutions)
            purpose = rng.choices(purposes, weights)[0]
            start_day = day + dt.timedelta(days=rng.randrange(3, 45))
            start = dt.datetime.combine(
                start_day, dt.time(rng.choice((10, 14, 17, 19))), tzinfo=CPH
            )
            end = start + dt.timedelta(hours=rng.choice((1, 2, 2, 3)))
            borrower = rng.choices(borrowers, cum_weights=borrower_weights)[0]
            association = (
                associations[n % len(associations)] if associations and rng.random() < 0.6 else None
            )
            roll = rng.random()
            decided_at = decided_by = None
            reason = None
            cancelled_at = None
            if requested > now - dt.timedelta(days=4) and roll < 0.5:
                status = LoanStatus.PENDING
            else:
                leader = leaders[institution.pk]
                instant = association is not None and rng.random() < 0.1
                decided_at = requested + (
                    dt.timedelta(0)
                    if instant
                    else dt.timedelta(hours=rng.lognormvariate(3.2, 0.9))  # median ~1 day
                )
                decided_at = min(decided_at, now)
                decided_by = None if instant else leader
                if roll < 0.10 and not instant:
                    status = LoanStatus.DECLINED
                    reason = rng.choice(decline_reasons)
                elif roll < 0.22:
                    status = LoanStatus.CANCELLED
                    cancelled_at = min(decided_at + dt.timedelta(days=rng.randrange(1, 10)), now)
                else:
                    status = LoanStatus.APPROVED
            reference = f"{HISTORY_PREFIX}{n:07d}"
            loans.append(
                Loan(
                    reference=reference,
                    institution=institution,
                    user=borrower,
                    association=association,
                    borrower_name=borrower.get_full_name(),
                    borrower_email=borrower.email,
                    responsible_name=borrower.get_full_name(),
                    title=HISTORY_TITLES[purpose],
                    purpose=purpose,
                    participants=rng.randrange(5, 80),
                    target_group=R.CHILDREN_YOUTH if purpose == "children" else R.GENERAL,
                    children_take_part=purpose == "children",
                    status=status,
                    decided_by=decided_by,
                    decided_at=decided_at,
                    decline_reason=reason,
                    cancelled_at=cancelled_at,
                    cancellation_deadline_hours=48,
                    first_start=start,
                    last_end=end,
                    # Carries the request time past ``auto_now_add`` (moved below).
                    overdue_reminded_at=requested,
                )
            )
            slots_of[reference] = (rng.choice(resources[institution.pk]), start, end)
        Loan.objects.bulk_create(loans, batch_size=500)
        pks = dict(
            Loan.objects.filter(reference__startswith=HISTORY_PREFIX).values_list("reference", "pk")
        )
        # created_at is auto_now_add: one UPDATE moves the carried request times into it.
        Loan.objects.filter(reference__startswith=HISTORY_PREFIX).update(
            created_at=F("overdue_reminded_at"), overdue_reminded_at=None
        )
        LoanItem.objects.bulk_create(
            (LoanItem(loan_id=pks[ref], resource=r) for ref, (r, _s, _e) in slots_of.items()),
            batch_size=500,
        )
        LoanSlot.objects.bulk_create(
            (
                LoanSlot(loan_id=pks[ref], start=s, end=e, held=True)
                for ref, (_r, s, e) in slots_of.items()
            ),
            batch_size=500,
        )
    return total
