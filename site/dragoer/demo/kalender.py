"""Demo content of the calendar: the calendar page below the hub (/frivillig/kalender/), a
season of events from this month on (weekly community singing, senior gym, homework café,
markets, talks, the municipality's own meetings), a cancelled and a moved date, one event
awaiting review, and one visible clash (bingo in the singers' hall, the venue agreed).
Idempotent: run by ``manage.py seed_demo``; ``history()`` (below) makes the follow-up's past."""

from __future__ import annotations

import datetime
import datetime as dt
import random
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX as UNUSABLE
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from schedule.models import Event

from dragoer.demo.frivillig_blocks import _slug
from dragoer.demo.pages import section_page
from frivillig_blocks import roles, themes
from frivillig_blocks.models import AgeGroup, Association, Place
from kalender import services
from kalender.models import (
    PUBLIC_STATUSES,
    CalendarPage,
    ClashKind,
    ClashNotice,
    ClashOutcome,
    EventDetails,
    EventStatus,
    SchoolHoliday,
    Slot,
    TrustedOrganiser,
    VenueContact,
)
from kalender.occurrences import audience_key, calendar, local_tz

INTRO = (
    "<p>Den fælles kalender for foreninger, frivillige og kommunen. Opret jeres egne "
    "arrangementer, se hvad der sker i byen, og hent programmet som PDF eller abonnér på "
    "kalenderen i jeres egen kalender.</p>"
)

# title, association slug (or None: the municipality), place name (or address), room,
# weekday (0 = Monday), start hour:minute, hours, recurrence, subject (an old category slug,
# mapped onto the shared themes by ``frivillig_blocks.themes``), age group codes,
# price, description
SERIES = [
    (
        "Fællessang i Kulturhuset",
        "aeldre-sagen-dragoer",
        "Kulturhuset Dragør",
        "Salen",
        2,
        (19, 0),
        2,
        "weekly",
        "kultur",
        ["voksne", "seniorer"],
        "Gratis",
        "Vi synger fra Højskolesangbogen med klaver. Alle kan være med – også tenorer.",
    ),
    (
        "Seniorgymnastik",
        None,
        "Dragør Idrætscenter",
        "Hal 2",
        1,
        (10, 0),
        1,
        "weekly",
        "sport",
        ["seniorer"],
        "20 kr.",
        "Let motion med musik for alle over 60. Tag indendørssko med.",
    ),
    (
        "Lektiecafé",
        "dansk-roede-kors-dragoer",
        "Dragør Bibliotek",
        "Mødelokalet",
        0,
        (15, 0),
        2,
        "weekly",
        "boern-familie",
        ["boern", "unge"],
        "Gratis",
        "Frivillige hjælper med lektier i dansk, matematik og engelsk. Der er saft og kage.",
    ),
    (
        "Strikkecafé",
        None,
        "Dragør Bibliotek",
        "Læsesalen",
        3,
        (14, 0),
        2,
        "biweekly",
        "socialt",
        ["voksne", "seniorer"],
        "Gratis",
        "Tag dit strikketøj med og få en snak over en kop kaffe.",
    ),
]

# title, association slug, place or address, room, days from the season's start, hour, hours,
# subject (as in SERIES), age groups, price, description, municipal
SINGLES = [
    (
        "Loppemarked på Strandlinien",
        None,
        "Strandlinien ved havnen, 2791 Dragør",
        "",
        10,
        10,
        5,
        "marked-fest",
        ["paa-tvaers"],
        "Gratis",
        "Stadepladser kan bookes hos kommunen.",
        True,
    ),
    (
        "Foredrag: Dragørs skippere",
        None,
        "Dragør Bibliotek",
        "Salen",
        16,
        19,
        2,
        "moeder",
        ["voksne", "seniorer"],
        "50 kr.",
        "Lokalhistorisk foredrag med billeder fra skibsfartens storhedstid.",
        False,
    ),
    (
        "Frivilligmøde for foreninger",
        None,
        "Dragør Rådhus",
        "Byrådssalen",
        23,
        17,
        2,
        "moeder",
        ["voksne"],
        "Gratis",
        "Kommunen fortæller om puljer, lokaler og den fælles kalender.",
        True,
    ),
    (
        "Fællesspisning i Kulturhuset",
        None,
        "Kulturhuset Dragør",
        "Cafeen",
        30,
        18,
        3,
        "socialt",
        ["paa-tvaers"],
        "60 kr.",
        "Tilmelding senest tirsdag.",
        False,
    ),
    (
        "Naturvandring på Dragør Fort",
        None,
        "Dragør Fort",
        "",
        37,
        10,
        2,
        "natur",
        ["paa-tvaers"],
        "Gratis",
        "Vi ser på fugle og planter på fortet. Mødested ved indgangen.",
        False,
    ),
    (
        "Havnefest",
        None,
        "Dragør Havn, 2791 Dragør",
        "",
        58,
        12,
        8,
        "marked-fest",
        ["paa-tvaers"],
        "Gratis",
        "Musik, boder og kapsejlads.",
        True,
    ),
]


def _theme_ids() -> dict[str, list[int]]:
    """The demo's subjects (the calendar's old category slugs) → the ids of their themes."""
    found = {}
    for word in ("kultur", "sport", "natur", "socialt", "boern-familie", "moeder", "marked-fest"):
        theme = themes.resolve(word)
        found[word] = [theme.pk] if theme is not None else []
    return found


def _place_or_address(name: str):
    place = Place.objects.filter(name=name).first()
    if place is not None:
        return {"place_id": place.pk}
    return {"address": name}


def _user(username, email):
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username, defaults={"email": email})
    return user


def _season_start() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())  # this week's Monday


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=local_tz())


def seed_page(stdout) -> CalendarPage | None:
    return section_page(CalendarPage, "kalender", stdout, title="Kalender", intro=INTRO)


def seed_holidays(start: datetime.date) -> None:
    year = start.year
    for name, first, last in [
        ("Vinterferie", datetime.date(year, 2, 9), datetime.date(year, 2, 15)),
        ("Påskeferie", None, None),
        ("Sommerferie", datetime.date(year, 6, 27), datetime.date(year, 8, 9)),
        ("Efterårsferie", datetime.date(year, 10, 12), datetime.date(year, 10, 18)),
        ("Juleferie", datetime.date(year, 12, 21), datetime.date(year + 1, 1, 3)),
        ("Vinterferie", datetime.date(year + 1, 2, 8), datetime.date(year + 1, 2, 14)),
    ]:
        if first is None:
            from dateutil.easter import easter as easter_sunday

            easter = easter_sunday(year)
            first, last = easter - datetime.timedelta(days=7), easter + datetime.timedelta(days=1)
        SchoolHoliday.objects.get_or_create(
            name=name, start_date=first, defaults={"end_date": last}
        )


def _save(stdout, **kwargs):
    """Save through the service (as an organiser would); a clash is reported, not fatal."""
    from kalender.exceptions import CalendarError

    try:
        with transaction.atomic():
            return services.save_event(**kwargs)
    except CalendarError as error:
        stdout.write(f"  kalender: skipped »{kwargs['data'].title}«: {error.message}")
        return None


@transaction.atomic
def seed(stdout) -> None:
    page = seed_page(stdout)
    if page is None:
        return
    start = _season_start()
    seed_holidays(start)
    staff = _user("kommunikation", "kommunikation@dragoer.dk")
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=roles.KOMMUNIKATOERER).first()
    if group is not None:
        staff.groups.add(group)
    ages = {g.code: g.pk for g in AgeGroup.objects.all()}
    categories = _theme_ids()
    for slug in ("aeldre-sagen-dragoer", "dragoer-boldklub"):
        association = Association.objects.filter(slug=slug).first()
        if association is not None:
            TrustedOrganiser.objects.get_or_create(
                association=association, defaults={"note": "Demo"}
            )
    hall = Place.objects.filter(name="Kulturhuset Dragør").first()
    if hall is not None:
        VenueContact.objects.get_or_create(
            place=hall, defaults={"name": "Kulturhusets vært", "email": "kulturhuset@dragoer.dk"}
        )

    existing = set(EventDetails.objects.values_list("event__title", flat=True))
    created = 0
    choir = None
    for title, assoc_slug, where, room, weekday, (
        hour,
        minute,
    ), hours, recurrence, cat, age_codes, price, text in SERIES:
        if title in existing:
            continue
        association = Association.objects.filter(slug=assoc_slug).first() if assoc_slug else None
        day = start + datetime.timedelta(days=weekday + 7)
        details = _save(
            stdout,
            user=staff,
            data=services.EventData(
                title=title,
                start=_at(day, hour, minute),
                end=_at(day, hour + hours, minute),
                description=text,
                recurrence=recurrence,
                repeat_until=day + datetime.timedelta(weeks=16),
                association_id=association.pk if association else None,
                organiser_name="" if association else "Dragør Kommune",
                room=room,
                theme_ids=categories.get(cat, []),
                age_group_ids=[ages[c] for c in age_codes if c in ages],
                price=price,
                accessibility="Niveaufri adgang og handicaptoilet."
                if where != "Kulturhuset Dragør"
                else "Trappe til salen; ring på forhånd.",
                is_municipal=association is None,
                **_place_or_address(where),
            ),
        )
        created += details is not None
        if details is not None and title.startswith("Fællessang"):
            choir = details
    if choir is not None:
        dates = [s.original_start for s in choir.slots.order_by("start")]
        if len(dates) > 6:
            services.cancel_date(user=staff, details=choir, original_start=dates[4])
            moved = dates[6]
            services.move_date(
                user=staff,
                details=choir,
                original_start=moved,
                start=moved + datetime.timedelta(days=1),
                end=moved + datetime.timedelta(days=1, hours=2),
            )
        # The visible clash: bingo in the singers' hall on a singing evening (the hall agreed).
        clash_day = dates[2].astimezone(local_tz()).date() if len(dates) > 2 else start
        if "Bankospil i Kulturhuset" not in existing and hall is not None:
            _save(
                stdout,
                user=staff,
                data=services.EventData(
                    title="Bankospil i Kulturhuset",
                    start=_at(clash_day, 19, 30),
                    end=_at(clash_day, 22),
                    description="Store gevinster og kaffebord i pausen.",
                    place_id=hall.pk,
                    room="Salen",
                    theme_ids=categories.get("socialt", []),
                    age_group_ids=[ages["seniorer"]] if "seniorer" in ages else [],
                    price="Plader à 10 kr.",
                    organiser_name="Dragør Kommune",
                    venue_agreed=True,
                    venue_agreed_note="Kulturhusets vært har sagt ja; sangerne rykker i mødelokalet den aften.",
                ),
            )
            created += 1
    for (
        title,
        _assoc_slug,
        where,
        room,
        offset,
        hour,
        hours,
        cat,
        age_codes,
        price,
        text,
        municipal,
    ) in SINGLES:
        if title in existing:
            continue
        day = start + datetime.timedelta(days=offset)
        _save(
            stdout,
            user=staff,
            data=services.EventData(
                title=title,
                start=_at(day, hour),
                end=_at(day, hour + hours),
                description=text,
                association_id=None
                if municipal
                else getattr(
                    Association.objects.filter(slug="dragoer-lokalhistoriske-forening").first(),
                    "pk",
                    None,
                ),
                organiser_name="Dragør Kommune" if municipal else "",
                room=room if Place.objects.filter(name=where).exists() else "",
                theme_ids=categories.get(cat, []),
                age_group_ids=[ages[c] for c in age_codes if c in ages],
                price=price,
                is_municipal=municipal,
                **_place_or_address(where),
            ),
        )
        created += 1
    # One event awaiting review: the citizen's association (not trusted).
    citizen = get_user_model().objects.filter(username="borger").first()
    scouts = Association.objects.filter(slug="dragoer-soespejdere").first()
    if citizen and scouts and "Søspejdernes sommerlejr – informationsmøde" not in existing:
        day = start + datetime.timedelta(days=19)
        _save(
            stdout,
            user=citizen,
            data=services.EventData(
                title="Søspejdernes sommerlejr – informationsmøde",
                start=_at(day, 18),
                end=_at(day, 19, 30),
                description="Alt om sommerlejren for forældre og spejdere.",
                association_id=scouts.pk,
                theme_ids=categories.get("boern-familie", []),
                age_group_ids=[ages[c] for c in ("boern", "unge") if c in ages],
                price="Gratis",
                **_place_or_address("Dragør Fort"),
            ),
        )
        created += 1
    if created:
        stdout.write(f"  kalender: {created} demo events")


# -- history --------------------------------------------------------------------------------
# Past activity of the calendar for the follow-up's figures (``dragoer.demo.history``):
# ``months`` of published events (the ``schedule.Event`` row, its ``EventDetails``, age groups
# and its one ``Slot``) by associations, the municipality and private persons, and the clashes
# the form showed some of them with what became of them. In bulk, without signals, mail or
# tasks; deterministic; marked by the user ``kalender-historik`` (``created_by``), so a
# second call creates nothing.

MARKER = "kalender-historik"
SEED = 20
# Published events a month at scale 1 (about 85 a year; the benchmark's scale 100 gives
# some 17,000 events, each with its scheduler event, slot and age groups).
EVENTS_PER_MONTH = 7
TITLES = (
    "Fællessang",
    "Strikkecafé",
    "Lektiecafé",
    "Foredrag om Dragørs historie",
    "Loppemarked",
    "Fællesspisning",
    "Naturvandring på fortet",
    "Bankospil",
    "Seniorgymnastik",
    "Børneteater",
    "Koncert i kirken",
    "Kajaktur for begyndere",
    "Generalforsamling",
    "Filmaften",
    "Repair café",
    "Juletræsfest",
    "Fastelavn for børn",
    "Havnefest",
    "Bridgeturnering",
    "Fotoudstilling",
    "Cykeltur til Store Magleby",
    "Spilaften for unge",
    "Sankthansbål",
    "Frivilligmøde",
)
ASSOCIATIONS = (
    "Dragør Bridgeklub",
    "Dragør Havkajakklub",
    "Store Magleby Beboerforening",
    "Dragør Fotoklub",
    "Dragør Sangkor",
)
# Outcome weights of a clash by kind (moved, venue agreed, kept, withdrawn, never saved).
OUTCOME_WEIGHTS = {
    ClashKind.HARD: (55, 30, 0, 8, 7),
    ClashKind.SOFT: (35, 0, 50, 8, 7),
}
OUTCOME_ORDER = (
    ClashOutcome.MOVED,
    ClashOutcome.VENUE_AGREED,
    ClashOutcome.KEPT,
    ClashOutcome.WITHDRAWN,
    None,  # never saved: pending, without an event
)


def _months_back(today: dt.date, months: int) -> dt.date:
    month = today.month - 1 - months
    year = today.year + month // 12
    return dt.date(year, month % 12 + 1, min(today.day, 28))


def _users(prefix: str, count: int) -> list:
    """Demo organisers nobody can log in as (an unusable password)."""
    User = get_user_model()
    names = [f"{prefix}-{i}" for i in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@example.invalid", password=UNUSABLE, is_active=True)
            for name in names
            if name not in existing
        ]
    )
    return list(User.objects.filter(username__in=names).order_by("username"))


def _associations() -> list[Association]:
    found = list(Association.objects.order_by("pk")[:12])
    if len(found) >= 4:
        return found
    for name in ASSOCIATIONS:
        slug = _slug(name)
        association, _created = Association.objects.get_or_create(
            slug=slug, defaults={"name": name, "purpose": "Foreningsliv i Dragør."}
        )
        if association not in found:
            found.append(association)
    return found


@transaction.atomic
def history(*, today: dt.date, months: int = 24, scale: int = 1) -> int:
    User = get_user_model()
    marker, _created = User.objects.get_or_create(
        username=MARKER,
        defaults={"email": f"{MARKER}@example.invalid", "password": UNUSABLE, "is_active": False},
    )
    if EventDetails.objects.filter(created_by=marker).exists():
        return 0
    rng = random.Random(SEED)
    tz = local_tz()
    scale = max(1, int(scale))
    associations = _associations()
    private = _users("kalender-arrangoer", min(12 * scale, 600))
    # The municipality's own events are held by its staff (culture, sport, the volunteer
    # coordinator …).
    staff = _users("kalender-kommune", 8)
    age_groups = list(AgeGroup.objects.values_list("pk", flat=True))
    places = list(Place.objects.order_by("pk").values_list("pk", flat=True)[:20])
    cal = calendar()

    first = _months_back(today, months)
    span_days = (today - first).days
    count = months * EVENTS_PER_MONTH * scale
    plans = []
    for _i in range(count):
        published_day = first + dt.timedelta(days=rng.randrange(span_days))
        published_at = dt.datetime.combine(
            published_day, dt.time(rng.randrange(8, 22), rng.randrange(60)), tzinfo=tz
        )
        day = published_day + dt.timedelta(days=rng.randrange(3, 46))
        start = dt.datetime.combine(
            day, dt.time(rng.randrange(9, 21), rng.choice((0, 30))), tzinfo=tz
        )
        end = start + dt.timedelta(hours=rng.choice((1, 2, 2, 3)))
        kind = rng.choices(("association", "municipal", "private"), (50, 20, 30))[0]
        groups = (
            rng.sample(age_groups, k=min(len(age_groups), rng.choice((1, 1, 2))))
            if age_groups
            else []
        )
        plans.append(
            {
                "title": rng.choice(TITLES),
                "start": start,
                "end": end,
                "published_at": published_at,
                "kind": kind,
                "association": rng.choice(associations).pk if kind == "association" else None,
                "user": rng.choice(staff).pk
                if kind == "municipal"
                else (rng.choice(private).pk if kind == "private" else None),
                "place": rng.choice(places) if places and rng.random() < 0.8 else None,
                "groups": groups,
                "status": EventStatus.CANCELLED if rng.random() < 0.05 else EventStatus.PUBLISHED,
                "clash": rng.choices((None, ClashKind.SOFT, ClashKind.HARD), (78, 14, 8))[0],
            }
        )
        plans[-1]["outcome"] = (
            rng.choices(OUTCOME_ORDER, OUTCOME_WEIGHTS[plans[-1]["clash"]])[0]
            if plans[-1]["clash"]
            else None
        )

    events = Event.objects.bulk_create(
        [Event(calendar=cal, title=p["title"], start=p["start"], end=p["end"]) for p in plans],
        batch_size=2000,
    )
    details = EventDetails.objects.bulk_create(
        [
            EventDetails(
                event=event,
                association_id=p["association"],
                organiser_user_id=p["user"],
                organiser_name="Dragør Kommune" if p["kind"] == "municipal" else "",
                is_municipal=p["kind"] == "municipal",
                place_id=p["place"],
                room="Salen" if p["place"] else "",
                address="" if p["place"] else "Strandlinien 1, 2791 Dragør",
                status=p["status"],
                published_at=p["published_at"],
                venue_agreed=p["outcome"] == ClashOutcome.VENUE_AGREED,
                venue_agreed_note="Stedet har sagt ja."
                if p["outcome"] == ClashOutcome.VENUE_AGREED
                else "",
                created_by=marker,
            )
            for event, p in zip(events, plans, strict=True)
        ],
        batch_size=2000,
    )
    EventDetails.objects.filter(created_by=marker).update(
        created_at=F("published_at"), updated_at=F("published_at")
    )
    through = EventDetails.age_groups.through
    links = [
        through(eventdetails_id=d.pk, agegroup_id=g)
        for d, p in zip(details, plans, strict=True)
        for g in p["groups"]
    ]
    through.objects.bulk_create(links, batch_size=5000)
    slots = [
        Slot(
            details=d,
            event_id=d.event_id,
            start=p["start"],
            end=p["end"],
            original_start=p["start"],
            day=p["start"].date(),
            status=p["status"],
            public=p["status"] in PUBLIC_STATUSES,
            place_id=p["place"],
            room=d.room,
            audience=audience_key(p["groups"], []),
        )
        for d, p in zip(details, plans, strict=True)
    ]
    Slot.objects.bulk_create(slots, batch_size=5000)

    notices = []
    for d, p in zip(details, plans, strict=True):
        if not p["clash"]:
            continue
        other = details[rng.randrange(len(details))]
        shown_at = p["published_at"] - dt.timedelta(hours=rng.randrange(1, 72))
        outcome = p["outcome"]
        saved = outcome is not None
        notices.append(
            ClashNotice(
                details=d if saved else None,
                form_key=d.uid if saved else uuid.UUID(int=rng.getrandbits(128)),
                user_id=p["user"] if saved else rng.choice(private).pk,
                kind=p["clash"],
                clash_key=f"event:{other.pk}",
                other=other if other.pk != d.pk else None,
                clash_start=p["start"],
                shown_at=shown_at,
                outcome=outcome or ClashOutcome.PENDING,
                resolved_at=(shown_at + dt.timedelta(minutes=rng.randrange(5, 4000)))
                if saved
                else None,
            )
        )
    ClashNotice.objects.bulk_create(notices, batch_size=5000)
    return len(events) + len(details) + len(links) + len(slots) + len(notices)
