"""Eksempel Kommune's demo: the home page, the volunteer hub with the calendar's and the
courses' section pages, an accessibility statement, the municipality's details, a staff
editor and a superuser, a few events and two courses with a session each. Idempotent: run
it as often as you like; it goes through the apps' public models and services only."""

from __future__ import annotations

import datetime
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from frivillig_blocks import roles
from frivillig_blocks.models import HomePage, MunicipalitySettings, TopicPage, VolunteerHubPage
from kalender import services as calendar_services
from kalender.models import CalendarPage, EventDetails
from kurser.models import Audience, CompetenceArea, Course, CourseIndexPage, Meeting, Session

NAME = "Eksempel Kommune"
EMAIL = "frivillig@eksempel.dk"

STATEMENT = [
    ("heading", {"text": "Tilgængelighed på sitet", "level": "h2"}),
    (
        "paragraph",
        "<p>Eksempel Kommune ønsker, at alle kan bruge sitet. Det lever op til "
        "webtilgængelighedsloven og WCAG 2.1 på niveau AA. Oplever du problemer, så skriv til "
        f'<a href="mailto:{EMAIL}">{EMAIL}</a>.</p>',
    ),
]

# title, days from this week's Monday, hour, hours, description
EVENTS = [
    ("Fællesspisning i Medborgerhuset", 9, 18, 2, "Alle er velkomne ved det lange bord."),
    ("Frivilligcafé", 10, 16, 2, "Mød andre frivillige, og hør om nye opgaver i kommunen."),
    (
        "Loppemarked på Torvet",
        12,
        10,
        5,
        "Foreningernes loppemarked til fordel for ungdomsarbejdet.",
    ),
]

# slug, title, area slug, summary, weeks ahead, hour, capacity
COURSES = [
    (
        "foreningens-foerste-hjaelp",
        "Førstehjælp for foreninger",
        "foerstehjaelp",
        "Hjerte-lunge-redning og de skader, der sker til træning og på tur.",
        2,
        18,
        14,
    ),
    (
        "ny-i-bestyrelsen",
        "Ny i bestyrelsen",
        "bestyrelse-og-regnskab",
        "Roller, vedtægter og generalforsamling i en lille forening.",
        3,
        19,
        20,
    ),
]


class Command(BaseCommand):
    help = "Fill Eksempel Kommune's site with its demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password",
            default=os.environ.get("DEMO_ADMIN_PASSWORD", "eksempel-demo"),
        )

    @transaction.atomic
    def handle(self, *args, admin_password, **options):
        home, site = self.home()
        statement = self.child(
            home,
            TopicPage,
            "tilgaengelighedserklaering",
            title="Tilgængelighedserklæring",
            intro="Sådan arbejder vi med tilgængelighed.",
            body=STATEMENT,
        )
        municipality = MunicipalitySettings.for_site(site)
        municipality.name = NAME
        municipality.address = "Torvet 1, 9990 Eksempelby"
        municipality.phone = "70 10 20 30"
        municipality.email = EMAIL
        municipality.website = "https://www.eksempel.dk"
        municipality.accessibility_statement = statement
        municipality.save()

        hub = self.child(
            home,
            VolunteerHubPage,
            "frivillig",
            title="Frivillig i Eksempel Kommune",
            intro="<p>Kalenderen og kurserne for kommunens frivillige og foreninger.</p>",
            show_in_menus=True,
        )
        calendar = self.child(
            hub,
            CalendarPage,
            "kalender",
            title="Kalender",
            intro="<p>Hvad sker der i kommunen? Sæt jeres eget arrangement i kalenderen.</p>",
            show_in_menus=True,
        )
        courses = self.child(
            hub,
            CourseIndexPage,
            "kurser",
            title="Kurser",
            intro="<p>Gratis kurser for frivillige og foreninger.</p>",
            show_in_menus=True,
        )
        if not hub.cards:
            hub.cards = [
                (
                    "card",
                    {"title": title, "text": text, "page": page, "url": ""},
                )
                for title, text, page in [
                    ("Se kalenderen", "Arrangementer i hele kommunen.", calendar),
                    ("Tag et kursus", "Førstehjælp, bestyrelsesarbejde og mere.", courses),
                ]
            ]
            hub.save_revision().publish()

        admin = self.user("admin", "admin@eksempel.dk", admin_password, superuser=True)
        editor = self.user("redaktoer", "redaktoer@eksempel.dk", admin_password)
        editor.groups.add(Group.objects.get(name=roles.KOMMUNIKATOERER))
        self.events(admin)
        self.courses()
        self.stdout.write(self.style.SUCCESS(f"{NAME}: the demo content is in place."))
        self.stdout.write(
            f"Staff login at /admin/login/: redaktoer / {admin_password} "
            f"(superuser: admin / {admin_password}, asks for an authenticator app)."
        )

    def home(self) -> tuple[HomePage, Site]:
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            for page in root.get_children():
                if page.specific_class is Page and not page.get_children().exists():
                    page.delete()  # Wagtail's "Welcome" placeholder
            home = root.add_child(
                instance=HomePage(
                    title=NAME,
                    slug="home",
                    intro="<p>Velkommen til Eksempel Kommunes sider for frivillige.</p>",
                    body=[
                        (
                            "call_to_action",
                            {
                                "title": "Vil du være frivillig?",
                                "text": "Find arrangementer og kurser for frivillige.",
                                "page": None,
                                "url": "/frivillig/",
                                "button_text": "Gå til frivilligsiderne",
                            },
                        )
                    ],
                )
            )
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost", root_page=home, is_default_site=True, site_name=NAME
            )
        elif site.root_page_id != home.pk or site.site_name != NAME:
            site.root_page = home
            site.site_name = NAME
            site.save()
        return home, site

    def child(self, parent, page_class, slug, **fields):
        existing = page_class.objects.child_of(parent).filter(slug=slug).first()
        if existing:
            return existing
        page = page_class(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def user(self, username, email, password, superuser=False):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=email, is_staff=True, is_superuser=superuser)
            user.set_password(password)
            user.save()
        return user

    def events(self, user) -> None:
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        existing = set(EventDetails.objects.values_list("event__title", flat=True))
        for title, offset, hour, hours, description in EVENTS:
            if title in existing:
                continue
            day = monday + datetime.timedelta(days=offset)
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
            calendar_services.save_event(
                user=user,
                data=calendar_services.EventData(
                    title=title,
                    start=start,
                    end=start + datetime.timedelta(hours=hours),
                    description=description,
                    address="Torvet 1, 9990 Eksempelby",
                    organiser_name=NAME,
                    is_municipal=True,
                    price="Gratis",
                ),
            )

    def courses(self) -> None:
        now = timezone.now()
        areas = {area.slug: area for area in CompetenceArea.objects.all()}
        for slug, title, area, summary, weeks, hour, capacity in COURSES:
            course, _created = Course.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "summary": summary,
                    "description": f"<p>{summary}</p>",
                    "competence_area": areas.get(area),
                    "audience": Audience.VOLUNTEERS,
                    "teacher": "Frivilligkonsulenten",
                    "published": True,
                },
            )
            if course.sessions.filter(starts_at__gte=now).exists():
                continue
            day = timezone.localdate() + datetime.timedelta(weeks=weeks)
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
            session = Session.objects.create(
                course=course,
                location="Medborgerhuset, mødelokale 1",
                capacity=capacity,
                registration_deadline=start - datetime.timedelta(days=2),
            )
            Meeting.objects.create(
                session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=3)
            )
