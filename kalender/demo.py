"""Demo content of the calendar: the calendar page below the hub (/frivillig/kalender/), a
season of events from this month on (weekly community singing, senior gym, homework café,
markets, talks, the municipality's own meetings), a cancelled and a moved date, one event
awaiting review, and one visible clash (bingo in the singers' hall, the venue agreed).
Idempotent: registered on the one door's ``frivillig_seed_demo`` hook."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from frivillig_blocks import roles
from frivillig_blocks.models import AgeGroup, Association, Place, Theme, VolunteerHubPage

from . import services
from .models import (
    CalendarPage,
    Category,
    EventDetails,
    SchoolHoliday,
    TrustedOrganiser,
    VenueContact,
)
from .occurrences import local_tz

INTRO = (
    "<p>Den fælles kalender for foreninger, frivillige og kommunen. Opret jeres egne "
    "arrangementer, se hvad der sker i byen, og hent programmet som PDF eller abonnér på "
    "kalenderen i jeres egen kalender.</p>"
)

# title, association slug (or None: the municipality), place name (or address), room,
# weekday (0 = Monday), start hour:minute, hours, recurrence, category slug, age group codes,
# price, description
SERIES = [
    (
        "Fællessang i Kulturhuset",
        "ldre-sagen-dragoer",
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
# category, age groups, price, description, municipal
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
    hub = VolunteerHubPage.objects.first()
    if hub is None:
        return None
    page = CalendarPage.objects.filter(slug="kalender").first()
    if page is None:
        page = CalendarPage(title="Kalender", slug="kalender", intro=INTRO)
        hub.add_child(instance=page)
        page.save_revision().publish()
        stdout.write("  kalender: calendar page at /frivillig/kalender/")
    return page


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
            from .rules import easter_sunday

            easter = easter_sunday(year)
            first, last = easter - datetime.timedelta(days=7), easter + datetime.timedelta(days=1)
        SchoolHoliday.objects.get_or_create(
            name=name, start_date=first, defaults={"end_date": last}
        )


def _save(stdout, **kwargs):
    """Save through the service (as an organiser would); a clash is reported, not fatal."""
    from .exceptions import CalendarError

    try:
        with transaction.atomic():
            return services.save_event(**kwargs)
    except CalendarError as error:
        stdout.write(f"  kalender: skipped “{kwargs['data'].title}”: {error.message}")
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
    categories = {c.slug: c.pk for c in Category.objects.all()}
    for slug in ("ldre-sagen-dragoer", "dragoer-boldklub"):
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
                category_id=categories.get(cat),
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
                    category_id=categories.get("socialt"),
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
                category_id=categories.get(cat),
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
                category_id=categories.get("boern-familie"),
                age_group_ids=[ages[c] for c in ("boern", "unge") if c in ages],
                theme_ids=list(Theme.objects.values_list("pk", flat=True)[:1]),
                price="Gratis",
                **_place_or_address("Dragør Fort"),
            ),
        )
        created += 1
    if created:
        stdout.write(f"  kalender: {created} demo events")
