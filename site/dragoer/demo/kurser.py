"""Demo content: the courses page under the hub (/frivillig/kurser/) and a term of courses
for volunteers and for the municipality's staff, with sessions over the coming months, a few
registrations and answers to "which course do you need?". Idempotent (run by
``manage.py seed_demo``); ``history()`` makes the follow-up's past."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dragoer.demo.pages import section_page
from frivillig_blocks.models import AgeGroup, Association, Place
from kurser.models import (
    Audience,
    CompetenceArea,
    CompetenceNeed,
    Course,
    CourseIndexPage,
    Evaluation,
    Meeting,
    Registration,
    Session,
)

PAGE_INTRO = (
    "<p>Gratis kurser, der styrker frivilligt arbejde: bestyrelsesarbejde og regnskab, "
    "frivilligledelse, førstehjælp og innovation – og kurser for kommunens medarbejdere i at "
    "arbejde sammen med frivillige. Savner du et kursus? Fortæl os det.</p>"
)

# slug, title, area, audience, teacher, summary, meetings (weeks from now, weekday offset,
# hour, hours), capacity, per association
COURSES = [
    (
        "bestyrelsesarbejde-for-begyndere",
        "Bestyrelsesarbejde for begyndere",
        "bestyrelse-og-regnskab",
        Audience.VOLUNTEERS,
        "Lise Mortensen, Frivilligcenter",
        "Roller, vedtægter, generalforsamling og god mødeledelse i en lille forening.",
        [(2, 19, 3), (3, 19, 3)],
        20,
        3,
    ),
    (
        "foreningens-regnskab",
        "Foreningens regnskab og tilskud",
        "bestyrelse-og-regnskab",
        Audience.VOLUNTEERS,
        "Henrik Dahl, revisor",
        "Kasserens år: budget, bogføring, regnskab og afrapportering af kommunale tilskud.",
        [(4, 19, 3)],
        16,
        2,
    ),
    (
        "frivilligledelse",
        "Frivilligledelse: rekruttér og fasthold",
        "frivilligledelse",
        Audience.VOLUNTEERS,
        "Maja Krogh",
        "Sådan finder, byder I velkommen til og holder på frivillige – også de unge.",
        [(3, 18, 3), (5, 18, 3)],
        18,
        None,
    ),
    (
        "foerstehjaelp-for-traenere",
        "Førstehjælp for trænere og ledere",
        "foerstehjaelp",
        Audience.BOTH,
        "Dansk Førstehjælpsråd",
        "Hjerte-lunge-redning, hjertestarter og de skader, der sker til træning og på tur.",
        [(1, 17, 4)],
        12,
        2,
    ),
    (
        "innovation-i-foreningen",
        "Nye idéer i foreningen",
        "innovation",
        Audience.VOLUNTEERS,
        "Sara Lind, designer",
        "Værktøjer til at udvikle nye aktiviteter sammen med dem, I gerne vil nå.",
        [(6, 19, 3)],
        24,
        None,
    ),
    (
        "samarbejde-med-frivillige",
        "At arbejde med frivillige",
        "samarbejde-med-frivillige",
        Audience.STAFF,
        "Frivilligkoordinatoren",
        "For kommunens medarbejdere: roller, forventninger og gode aftaler med frivillige.",
        [(2, 9, 3)],
        20,
        None,
    ),
    (
        "frivillige-paa-plejecentre",
        "Frivillige på plejecentre og i institutioner",
        "samarbejde-med-frivillige",
        Audience.STAFF,
        "Frivilligkoordinatoren og Ældrerådet",
        "Sådan tager institutionen godt imod frivillige, og hvad de frivillige må og ikke må.",
        [(5, 13, 3)],
        15,
        None,
    ),
    (
        "psykisk-foerstehjaelp",
        "Psykisk førstehjælp",
        "foerstehjaelp",
        Audience.BOTH,
        "Psykiatrifonden",
        "Når en frivillig eller en deltager har det svært: sådan tager du samtalen.",
        [(7, 18, 3), (8, 18, 3)],
        2,
        1,
    ),
]

NEEDS = [
    (
        "bestyrelse-og-regnskab",
        "Hjælp til at skrive ansøgninger til fonde.",
        "voksne",
        "Dragør Søspejdere",
    ),
    ("frivilligledelse", "Hvordan får vi unge til at blive som ledere?", "unge", "Dragør Boldklub"),
    ("foerstehjaelp", "Førstehjælp til børn i vandet.", "boern", "Dragør Svømmeklub"),
    (None, "Kursus i at bruge sociale medier til at finde frivillige.", "paa-tvaers", ""),
    ("samarbejde-med-frivillige", "Tavshedspligt og frivillige i hjemmeplejen.", "seniorer", ""),
]


def _local(weeks: int, hour: int) -> datetime.datetime:
    today = timezone.localdate()
    # Tuesdays, a few weeks ahead, at the given hour (Europe/Copenhagen).
    days_to_tuesday = (1 - today.weekday()) % 7
    day = today + datetime.timedelta(days=days_to_tuesday + 7 * weeks)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _page(stdout) -> CourseIndexPage | None:
    return section_page(
        CourseIndexPage, "kurser", stdout, title="Kurser", intro=PAGE_INTRO, show_in_menus=False
    )


def _course(slug, title, area, audience, teacher, summary) -> tuple[Course, bool]:
    return Course.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "summary": summary,
            "description": f"<p>{summary}</p><p>Kurset er gratis, og der er kaffe og kage.</p>",
            "competence_area": area,
            "audience": audience,
            "teacher": teacher,
            "materials": "Kursusmaterialet udleveres på dagen.",
            "published": True,
        },
    )


@transaction.atomic
def seed(stdout) -> None:
    page = _page(stdout)
    areas = {a.slug: a for a in CompetenceArea.objects.all()}
    places = list(Place.objects.order_by("pk")[:3])
    made = 0
    for index, (
        slug,
        title,
        area,
        audience,
        teacher,
        summary,
        meetings,
        capacity,
        cap,
    ) in enumerate(COURSES):
        course, created = _course(slug, title, areas[area], audience, teacher, summary)
        if not created and course.sessions.filter(starts_at__gte=timezone.now()).exists():
            continue
        made += created
        first = _local(meetings[0][0], meetings[0][1])
        session = Session.objects.create(
            course=course,
            label="Efterår" if index % 2 else "",
            place=places[index % len(places)] if places else None,
            location="Mødelokale 1",
            online_url="https://moede.example.org/kursus" if audience == Audience.STAFF else "",
            capacity=capacity,
            association_cap=cap,
            registration_deadline=first - datetime.timedelta(days=3),
        )
        for weeks, hour, hours in meetings:
            start = _local(weeks, hour)
            Meeting.objects.create(
                session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=hours)
            )
    _registrations()
    if not CompetenceNeed.objects.exists():
        groups = {g.code: g for g in AgeGroup.objects.all()}
        for area, description, age, association in NEEDS:
            CompetenceNeed.objects.create(
                competence_area=areas.get(area) if area else None,
                description=description,
                audience=Audience.VOLUNTEERS,
                age_group=groups.get(age),
                association_name=association,
            )
    stdout.write(f"kurser: {made} courses added{' on ' + page.url if page else ''}.")


def _registrations() -> None:
    """The small course (two seats) is full with a waiting list, so the flow shows."""
    session = Session.objects.filter(
        course__slug="psykisk-foerstehjaelp", starts_at__gte=timezone.now()
    ).first()
    if session is None or session.registrations.exists():
        return
    User = get_user_model()
    people = [
        ("borger@example.org", "Bente Borger", Registration.Status.CONFIRMED),
        ("karin@example.org", "Karin Holm", Registration.Status.CONFIRMED),
        ("ole@example.org", "Ole Strand", Registration.Status.WAITING),
    ]
    now = timezone.now()
    for offset, (email, name, status) in enumerate(people):
        Registration.objects.create(
            session=session,
            user=User.objects.filter(email=email).first(),
            name=name,
            email=email,
            status=status,
            queued_at=now + datetime.timedelta(seconds=offset),
            confirmed_at=now if status == Registration.Status.CONFIRMED else None,
        )


# -- past activity for the council's figures (kurser.figures.CourseFigures.history) ------

HISTORY_LABEL = "Tidligere hold"
HISTORY_DOMAIN = "kursushistorik.example.org"
CPH = ZoneInfo("Europe/Copenhagen")

FIRST_NAMES = [
    "Anne", "Bo", "Camilla", "Dorthe", "Erik", "Frida", "Gitte", "Hans", "Ida", "Jens",
    "Karen", "Lars", "Mette", "Niels", "Pia", "Rasmus", "Susanne", "Tove", "Ulla", "Vagn",
]  # fmt: skip
LAST_NAMES = [
    "Andersen", "Bech", "Christensen", "Dam", "Eriksen", "Frost", "Holm", "Jensen",
    "Krogh", "Larsen", "Madsen", "Nielsen", "Olsen", "Pedersen", "Rasmussen", "Sørensen",
]  # fmt: skip

# How often a competence area gets a session, and how often people ask for it.
AREA_SESSIONS = {
    "bestyrelse-og-regnskab": 4,
    "frivilligledelse": 3,
    "foerstehjaelp": 4,
    "innovation": 1,
    "samarbejde-med-frivillige": 2,
}
AREA_NEEDS = {
    "bestyrelse-og-regnskab": 3,
    "frivilligledelse": 4,
    "foerstehjaelp": 2,
    "innovation": 3,
    "samarbejde-med-frivillige": 2,
    None: 1,
}
NEED_TEXTS = {
    "bestyrelse-og-regnskab": [
        "Hvordan laver vi et budget, som bestyrelsen kan forstå?",
        "Regler for tilskud og afrapportering til kommunen.",
        "Hjælp til at skrive fondsansøgninger.",
    ],
    "frivilligledelse": [
        "Hvordan får vi unge til at blive som ledere?",
        "Konflikter mellem frivillige – hvad gør vi?",
        "Hvordan tager vi godt imod nye frivillige?",
    ],
    "foerstehjaelp": [
        "Førstehjælp til børn i vandet.",
        "Genopfriskning af hjertestarter og HLR.",
    ],
    "innovation": [
        "Nye måder at nå de unge på.",
        "Hvordan prøver vi en ny aktivitet af i det små?",
        "Digitale værktøjer til foreningen.",
    ],
    "samarbejde-med-frivillige": [
        "Tavshedspligt og frivillige i hjemmeplejen.",
        "Gode aftaler mellem personale og frivillige.",
    ],
    None: ["Kursus i at bruge sociale medier til at finde frivillige."],
}
BEST = ["Konkrete eksempler", "God underviser", "Tid til at tale med de andre", "", ""]
IMPROVE = ["Mere tid", "Materialet på forhånd", "", "", ""]


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=CPH)


def _months(today: datetime.date, months: int):
    """(first day, last day) of each of the ``months`` months up to ``today``, oldest first,
    the current month cut at yesterday."""
    year, month = today.year, today.month
    spans = []
    for _n in range(months):
        first = datetime.date(year, month, 1)
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        spans.append((first, min(nxt - datetime.timedelta(days=1), today)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(spans))


def history_label(scale: int) -> str:
    return HISTORY_LABEL if scale == 1 else f"{HISTORY_LABEL} ×{scale}"


@transaction.atomic
def history(*, today: datetime.date, months: int = 24, scale: int = 1) -> int:
    """Past sessions with registrations, waiting lists, attendance and evaluations, and
    answers to the needs form, over ``months`` months before ``today``. Sessions are past
    holds of the demo courses (made here if the demo has not run), labelled
    ``history_label(scale)``: that label is how a second call knows to add nothing. Bulk
    inserts only: no mail, no tasks, no signals."""
    label = history_label(scale)
    if Session.objects.filter(label=label).exists():
        return 0
    rng = random.Random(f"kurser-history-{scale}")
    areas = {a.slug: a for a in CompetenceArea.objects.all()}
    for order, slug in enumerate(AREA_SESSIONS):
        if slug not in areas:
            areas[slug], _made = CompetenceArea.objects.get_or_create(
                slug=slug,
                defaults={"name": slug.replace("-", " ").capitalize(), "sort_order": order * 10},
            )
    courses: dict[str, list] = {}
    for slug, title, area, audience, teacher, summary, meetings, capacity, _cap in COURSES:
        course, _made = _course(slug, title, areas[area], audience, teacher, summary)
        courses.setdefault(area, []).append((course, meetings, capacity))
    associations = list(Association.objects.filter(live=True).order_by("pk")[:40])
    groups = list(AgeGroup.objects.order_by("pk"))
    places = list(Place.objects.order_by("pk")[:3])
    now = timezone.now()
    people = 60 * scale

    def person(n: int) -> tuple[str, str]:
        first = FIRST_NAMES[n % len(FIRST_NAMES)]
        last = LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]
        return f"{first} {last}", f"deltager{n}@{HISTORY_DOMAIN}"

    sessions, meetings_of, plans = [], [], []
    needs = []
    for first_day, last_day in _months(today, months):
        # Few courses in July; up to two sessions a month otherwise.
        for _n in range(scale):
            count = rng.choice([0, 0, 1] if first_day.month == 7 else [0, 0, 1, 1, 2])
            for _m in range(count):
                area = _weighted(rng, AREA_SESSIONS)
                course, spec, capacity = rng.choice(courses[area])
                latest = last_day - datetime.timedelta(days=7 * len(spec))
                if latest < first_day:
                    continue
                day = first_day + datetime.timedelta(
                    days=rng.randrange((latest - first_day).days + 1)
                )
                starts = [
                    (_at(day + datetime.timedelta(days=7 * i), hour), hours)
                    for i, (_w, hour, hours) in enumerate(spec)
                ]
                start = starts[0][0]
                end = starts[-1][0] + datetime.timedelta(hours=starts[-1][1])
                session = Session(
                    course=course,
                    label=label,
                    place=rng.choice(places) if places else None,
                    location="Mødelokale 1",
                    capacity=min(capacity, rng.choice([8, 10, 12, 12, 15])),
                    registration_deadline=start - datetime.timedelta(days=3),
                    starts_at=start,
                    ends_at=end,
                    reminder_sent_at=start - datetime.timedelta(days=2),
                    evaluation_sent_at=end + datetime.timedelta(hours=2),
                )
                sessions.append(session)
                meetings_of.append(starts)
                plans.append(rng.uniform(0.6, 1.5))
        for _n in range(scale):
            for _m in range(rng.choice([0, 1, 2, 2, 3])):
                area = _weighted(rng, AREA_NEEDS)
                day = first_day + datetime.timedelta(
                    days=rng.randrange((last_day - first_day).days + 1)
                )
                association = (
                    rng.choice(associations) if associations and rng.random() < 0.5 else None
                )
                n = rng.randrange(people)
                needs.append(
                    CompetenceNeed(
                        competence_area=areas.get(area) if area else None,
                        description=rng.choice(NEED_TEXTS[area]),
                        audience=rng.choice([Audience.VOLUNTEERS] * 3 + [Audience.STAFF]),
                        age_group=rng.choice(groups) if groups else None,
                        association=association,
                        association_name=association.name if association else "",
                        email=person(n)[1] if rng.random() < 0.7 else "",
                        created_at=_at(day, rng.randrange(8, 22), rng.randrange(60)),
                    )
                )
    Session.objects.bulk_create(sessions, batch_size=500)
    meetings = [
        Meeting(session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=hours))
        for session, starts in zip(sessions, meetings_of, strict=True)
        for start, hours in starts
    ]
    Meeting.objects.bulk_create(meetings, batch_size=500)

    registrations = []
    for session, demand in zip(sessions, plans, strict=True):
        registrations.extend(
            _history_registrations(rng, session, demand, people, person, associations, now)
        )
    Registration.objects.bulk_create(registrations, batch_size=500)

    evaluations = []
    for registration in registrations:
        if registration.attended and rng.random() < 0.55:
            answered = min(
                registration.session.ends_at + datetime.timedelta(hours=rng.randrange(3, 240)),
                now,
            )
            evaluations.append(
                Evaluation(
                    registration=registration,
                    session=registration.session,
                    rating=rng.choices([5, 4, 3, 2, 1], weights=[45, 35, 14, 5, 1])[0],
                    usefulness=rng.choices([5, 4, 3, 2, 1], weights=[35, 38, 18, 7, 2])[0],
                    best=rng.choice(BEST),
                    improve=rng.choice(IMPROVE),
                    created_at=answered,
                )
            )
    # auto_now_add overwrites created_at on insert: put the past dates back afterwards.
    _bulk_create_dated(Evaluation, evaluations)
    _bulk_create_dated(CompetenceNeed, needs)
    return len(sessions) + len(meetings) + len(registrations) + len(evaluations) + len(needs)


def _bulk_create_dated(model, objects) -> None:
    dates = [obj.created_at for obj in objects]
    model.objects.bulk_create(objects, batch_size=500)
    for obj, created_at in zip(objects, dates, strict=True):
        obj.created_at = created_at
    model.objects.bulk_update(objects, ["created_at"], batch_size=500)


def _history_registrations(rng, session, demand, people, person, associations, now):
    """Seats first come, first served; the rest on the waiting list. A few with a seat
    cancel, and the first in line are offered their seats (most accept)."""
    wanted = max(1, round(session.capacity * demand))
    chosen = rng.sample(range(people), min(wanted, people))
    deadline = session.registration_deadline
    queued = sorted(
        deadline - datetime.timedelta(minutes=rng.randrange(60, 60 * 24 * 40)) for _ in chosen
    )
    recorded = session.ends_at < now - datetime.timedelta(days=3)
    rows = []
    freed = 0
    for i, (n, queued_at) in enumerate(zip(chosen, queued, strict=True)):
        name, email = person(n)
        registration = Registration(
            session=session,
            name=name,
            email=email,
            association=(rng.choice(associations) if associations and rng.random() < 0.6 else None),
            queued_at=queued_at,
        )
        if i < session.capacity:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = queued_at
            if rng.random() < 0.08:
                registration.status = Registration.Status.CANCELLED
                registration.cancelled_at = queued_at + datetime.timedelta(days=rng.randrange(1, 5))
                freed += 1
        elif freed and rng.random() < 0.9:
            freed -= 1
            registration.offered_at = deadline - datetime.timedelta(days=rng.randrange(1, 5))
            registration.offer_expires_at = registration.offered_at + datetime.timedelta(days=2)
            if rng.random() < 0.75:
                registration.status = Registration.Status.CONFIRMED
                registration.confirmed_at = registration.offered_at + datetime.timedelta(hours=5)
                registration.offer_expires_at = None
            else:
                registration.status = Registration.Status.EXPIRED
        elif rng.random() < 0.12:
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = deadline - datetime.timedelta(days=1)
        else:
            registration.status = Registration.Status.WAITING
        if registration.status == Registration.Status.CONFIRMED and recorded:
            registration.attended = rng.random() < 0.88
        rows.append(registration)
    return rows
