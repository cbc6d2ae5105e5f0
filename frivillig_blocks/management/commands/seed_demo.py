"""Demo content for the reference site. Idempotent: run it as often as you like.

Each app adds its part through the ``frivillig_seed_demo`` Wagtail hook
(``fn(stdout) -> None``), so the command fills exactly the apps that are installed."""

import os

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page, Site

from frivillig_blocks import demo, figures, roles
from frivillig_blocks.hooks import SEED_DEMO
from frivillig_blocks.models import (
    Association,
    AssociationIndexPage,
    AssociationMembership,
    ContactPage,
    ContactPerson,
    FiguresPage,
    GrantIndexPage,
    HomePage,
    IdeaCatalogPage,
    MembershipRole,
    MunicipalitySettings,
    TopicPage,
    VolunteerHubPage,
)

ACCESSIBILITY_STATEMENT = [
    ("heading", {"text": "Tilgængelighed på sitet", "level": "h2"}),
    (
        "paragraph",
        "<p>Dragør Kommune ønsker, at alle kan bruge sitet. Sitet er lavet, så det lever op til "
        "webtilgængelighedsloven og WCAG 2.1 på niveau AA. Vi tester hver sidetype automatisk "
        "med axe i en rigtig browser, og sitet kan bruges uden JavaScript.</p>",
    ),
    ("heading", {"text": "Kendte mangler", "level": "h2"}),
    (
        "paragraph",
        "<p>Ældre PDF-dokumenter kan mangle tilgængelig struktur. Skriv til os, så sender vi dem i et andet format.</p>",
    ),
    ("heading", {"text": "Kontakt os", "level": "h2"}),
    (
        "paragraph",
        "<p>Oplever du problemer med tilgængeligheden, så skriv til "
        '<a href="mailto:frivillig@dragoer.dk">frivillig@dragoer.dk</a>. Du kan også klage til '
        "Digitaliseringsstyrelsen.</p>",
    ),
]


# The hub's sections that other apps provide, by slug.
SECTION_APPS = {
    "laan": "booking",
    "kalender": "kalender",
    "boers": "boers",
    "initiativpris": "initiativpris",
    "kurser": "kurser",
}


class Command(BaseCommand):
    help = "Fill the site with demo content (idempotent) and print a dev admin login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password", default=os.environ.get("DEMO_ADMIN_PASSWORD", "dragoer-demo")
        )

    @transaction.atomic
    def handle(self, *args, admin_password, **options):
        home = self.home_page()
        hub = self.child(
            home,
            VolunteerHubPage,
            "frivillig",
            title="Frivillig i Dragør",
            intro=(
                "<p>Her finder du alt om at være frivillig i Dragør: lån af lokaler og udstyr, "
                "kalenderen, frivilligbørsen, kurser, puljer og hvem du kan spørge.</p>"
            ),
            show_in_menus=True,
        )
        statement = self.child(
            home,
            TopicPage,
            "tilgaengelighedserklaering",
            title="Tilgængelighedserklæring",
            intro="Sådan arbejder vi med tilgængelighed, og her kan du give os besked om problemer.",
            body=ACCESSIBILITY_STATEMENT,
        )
        section = self.one_door(hub)

        site = Site.objects.get(is_default_site=True)
        municipality = MunicipalitySettings.for_site(site)
        municipality.name = "Dragør Kommune"
        municipality.address = "Kirkevej 7, 2791 Dragør"
        municipality.phone = "32 89 01 00"
        municipality.email = "frivillig@dragoer.dk"
        municipality.opening_hours = "Mandag–torsdag 10–14, fredag 10–13"
        municipality.website = "https://www.dragoer.dk"
        municipality.accessibility_statement = statement
        municipality.save()

        admin = self.user("admin", "admin@dragoer.dk", admin_password, superuser=True)
        staff = {
            roles.KOMMUNIKATOERER: self.user(
                "kommunikation", "kommunikation@dragoer.dk", admin_password
            ),
            roles.FRIVILLIGKOORDINATOR: self.user(
                "koordinator", "koordinator@dragoer.dk", admin_password
            ),
            roles.INSTITUTIONSLEDERE: self.user(
                "institutionsleder", "leder@dragoer.dk", admin_password
            ),
            roles.KURSUSANSVARLIGE: self.user("kursus", "kursus@dragoer.dk", admin_password),
        }
        for group_name, user in staff.items():
            user.groups.add(Group.objects.get(name=group_name))

        citizen = self.user("borger", "borger@example.org", admin_password)
        first = Association.objects.get(slug="dragoer-soespejdere")
        AssociationMembership.objects.get_or_create(
            user=citizen, association=first, defaults={"role": MembershipRole.ADMIN}
        )

        # Each installed app adds its content, and its section page below the hub at its
        # slug (laan, kalender, boers, initiativpris, kurser), before the cards are made.
        self.retire_placeholders(hub)
        for fn in hooks.get_hooks(SEED_DEMO):
            fn(self.stdout)
        self.task_cards(hub, section)
        # A year and more of history behind the follow-up's figures, from every installed
        # service, so the report and /frivillig/i-tal/ look real on the first run.
        today = timezone.localdate()
        for source in figures.sources():
            created = source.history(today=today, months=24)
            if created:
                self.stdout.write(f"History for the follow-up: {source.key} ({created} rows)")

        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        base = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        self.stdout.write(
            f"Admin (superuser): {base}/konto/login/?next=/admin/  e-mail: {admin.email}  "
            f"password: {admin_password}; the first visit to the admin sets up an "
            "authenticator app (TOTP), whose code every later login asks for."
        )
        self.stdout.write(
            f"Staff at {base}/admin/login/ (same password, a password always: staff get no "
            "login code): kommunikation, koordinator, institutionsleder, kursus. "
            "Citizen login by e-mail code: borger@example.org (the code is printed by the console mail)."
        )

    def one_door(self, hub):
        """The volunteer section: the snippets, the section pages and the hub's task cards."""
        demo.seed_snippets()
        section = {
            "directory": self.child(
                hub,
                AssociationIndexPage,
                "foreninger",
                title="Foreninger og initiativer",
                show_in_menus=True,
                intro="<p>Find en forening eller et initiativ for alle aldre.</p>",
            ),
            "grants": self.child(
                hub,
                GrantIndexPage,
                "puljer",
                title="Puljer og tilskud",
                show_in_menus=True,
                intro="<p>Søg støtte til frivillige aktiviteter – også fra § 18-puljen til frivilligt "
                "socialt arbejde.</p>",
            ),
            "ideas": self.child(
                hub,
                IdeaCatalogPage,
                "idekatalog",
                title="Idékatalog",
                show_in_menus=True,
                intro="<p>Idéer til at få flere med i foreningslivet. Har du en idé? Foreslå den.</p>",
            ),
            "figures": self.child(
                hub,
                FiguresPage,
                "i-tal",
                title="Frivilligheden i Dragør i tal",
                show_in_menus=True,
                intro="<p>Hvor mange låner lokaler, sætter arrangementer i kalenderen, finder hinanden "
                "i børsen, stemmer om initiativprisen og går på kursus? Tallene følger planens mål.</p>",
            ),
            "contact": self.child(
                hub,
                ContactPage,
                "kontakt",
                title="Kontakt os",
                show_in_menus=True,
                intro="<p>Vi er en lille gruppe medarbejdere, der hjælper frivillige og foreninger.</p>",
            ),
        }
        self.child(
            hub,
            TopicPage,
            "kom-i-gang",
            title="Kom i gang som frivillig",
            show_in_menus=True,
            intro="Alt det praktiske, når du vil være frivillig i Dragør.",
            body=self.getting_started_body(),
        )
        return section

    def retire_placeholders(self, hub):
        """A demo made before an app was installed has a topic page at the app's slug; the
        app's own section page takes its place (and the task cards are made again)."""
        retired = False
        for slug, app in SECTION_APPS.items():
            if not apps.is_installed(app):
                continue
            placeholder = TopicPage.objects.child_of(hub).filter(slug=slug).first()
            if placeholder is not None and not placeholder.body:
                placeholder.delete()
                retired = True
        if retired:
            hub.refresh_from_db()
            hub.cards = []
            hub.save_revision().publish()

    def task_cards(self, hub, section):
        """The hub's task cards. A section whose app is not installed (so nothing lives at its
        slug) gets a topic page saying what it is about."""
        for slug, title, intro in [
            (
                "laan",
                "Lån af lokaler og udstyr",
                "Foreninger og frivillige kan låne kommunens lokaler og udstyr. Lederen af den enkelte institution afgør hver sag.",
            ),
            ("kalender", "Fælles kalender", "Sæt dit arrangement i Dragørs fælles kalender."),
            (
                "boers",
                "Frivilligbørsen",
                "Find eller tilbyd hjælp – fra reservebedsteforældre til en gå-makker.",
            ),
            (
                "initiativpris",
                "Initiativprisen",
                "Indstil en frivillig eller en forening til årets initiativpris.",
            ),
            (
                "kurser",
                "Kurser for frivillige",
                "Kurser i bestyrelsesarbejde, førstehjælp og frivilligledelse.",
            ),
        ]:
            existing = hub.get_children().filter(slug=slug).first()
            section[slug] = existing or self.child(hub, TopicPage, slug, title=title, intro=intro)
        cards = [
            (
                "Lån et lokale eller udstyr",
                "Lån kommunens lokaler og udstyr til jeres aktiviteter.",
                "laan",
            ),
            (
                "Sæt et arrangement i kalenderen",
                "Gør jeres arrangement synligt for hele Dragør.",
                "kalender",
            ),
            (
                "Find eller tilbyd hjælp",
                "Frivilligbørsen bringer behov og frivillige sammen.",
                "boers",
            ),
            (
                "Indstil til initiativprisen",
                "Hyld en frivillig, der gør en forskel.",
                "initiativpris",
            ),
            ("Tag et kursus", "Bliv klogere på foreningsarbejde og frivilligledelse.", "kurser"),
            ("Søg en pulje", "Støtte til jeres projekt – også § 18-midler.", "grants"),
            ("Find en forening", "Foreninger og initiativer for alle aldre.", "directory"),
            ("Få en idé", "Idékatalog med gode erfaringer fra andre.", "ideas"),
            ("Spørg os", "Én adresse – vi svarer eller finder den rette.", "contact"),
        ]
        if not hub.cards:
            hub.cards = [
                ("card", {"title": title, "text": text, "page": section[key], "url": ""})
                for title, text, key in cards
            ]
            hub.save_revision().publish()

    def getting_started_body(self):
        person = ContactPerson.objects.order_by("sort_order").first()
        return [
            ("heading", {"text": "Sådan bliver du frivillig", "level": "h2"}),
            (
                "steps",
                {
                    "heading": "",
                    "steps": [
                        {
                            "title": "Find noget, der passer dig",
                            "text": "<p>Se foreningerne og frivilligbørsen.</p>",
                        },
                        {
                            "title": "Tag kontakt",
                            "text": "<p>Skriv til foreningen eller til os.</p>",
                        },
                        {
                            "title": "Kom i gang",
                            "text": "<p>De fleste foreninger tager godt imod nye.</p>",
                        },
                    ],
                },
            ),
            (
                "fact_box",
                {
                    "title": "Børneattest",
                    "text": "<p>Arbejder du med børn under 15 år, skal "
                    "foreningen indhente en børneattest.</p>",
                },
            ),
            (
                "faq",
                {
                    "heading": "Spørgsmål og svar",
                    "items": [
                        {
                            "question": "Er jeg forsikret som frivillig?",
                            "answer": "<p>Kommunen har en forsikring "
                            "for frivillige i kommunale aktiviteter. Foreninger har typisk deres egen.</p>",
                        },
                        {
                            "question": "Koster det noget?",
                            "answer": "<p>Nej, det er gratis at være frivillig.</p>",
                        },
                    ],
                },
            ),
            (
                "associations",
                {"heading": "Foreninger for unge", "age_group": "unge", "theme": None, "limit": 5},
            ),
            ("open_grants", {"heading": "Puljer, der er åbne nu", "limit": 3}),
            ("contact_person", {"person": person, "heading": "Spørg os"}),
            (
                "call_to_action",
                {
                    "title": "Har du spørgsmål?",
                    "text": "Skriv til os – vi svarer hurtigt.",
                    "page": None,
                    "url": "/frivillig/kontakt/",
                    "button_text": "Kontakt os",
                },
            ),
        ]

    def home_page(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            for page in root.get_children():
                if page.specific_class is Page and not page.get_children().exists():
                    page.delete()  # Wagtail's "Welcome" placeholder
            home = root.add_child(
                instance=HomePage(
                    title="Dragør Kommune",
                    slug="home",
                    intro="<p>Velkommen til Dragør Kommunes frivilligsider.</p>",
                    body=[
                        (
                            "call_to_action",
                            {
                                "title": "Vil du være frivillig?",
                                "text": "Find foreninger, opslag, kurser og lokaler på frivilligsiderne.",
                                "page": None,
                                "url": "/frivillig/",
                                "button_text": "Gå til Frivillig i Dragør",
                            },
                        )
                    ],
                )
            )
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Dragør Kommune",
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.site_name = "Dragør Kommune"
            site.save()
        return home

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
            user = User(username=username, email=email, is_staff=superuser, is_superuser=superuser)
            user.set_password(password)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user
