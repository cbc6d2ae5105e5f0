"""Demo content: the courses page under the hub (/frivillig/kurser/) and a term of courses
for volunteers and for the municipality's staff, with sessions over the coming months, a few
registrations and answers to "which course do you need?". Idempotent (run by
``manage.py seed_demo`` through the SEED_DEMO hook)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from frivillig_blocks.models import AgeGroup, Place, VolunteerHubPage

from .models import (
    Audience,
    CompetenceArea,
    CompetenceNeed,
    Course,
    CourseIndexPage,
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
    hub = VolunteerHubPage.objects.first()
    if hub is None:
        stdout.write("kurser: no volunteer hub yet; the courses page was not made.")
        return None
    page = CourseIndexPage.objects.child_of(hub).first()
    if page is None:
        page = CourseIndexPage(title="Kurser", slug="kurser", intro=PAGE_INTRO, show_in_menus=False)
        hub.add_child(instance=page)
        page.save_revision().publish()
    return page


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
        course, created = Course.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "description": f"<p>{summary}</p><p>Kurset er gratis, og der er kaffe og kage.</p>",
                "competence_area": areas[area],
                "audience": audience,
                "teacher": teacher,
                "materials": "Kursusmaterialet udleveres på dagen.",
                "published": True,
            },
        )
        if not created:
            continue
        made += 1
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
    session = Session.objects.filter(course__slug="psykisk-foerstehjaelp").first()
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
