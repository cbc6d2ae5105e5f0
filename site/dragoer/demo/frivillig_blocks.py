"""Demo content of the one door for the reference site (used by ``seed_demo``): the home
page and the volunteer hub, the one door's snippets and section pages, the municipality's
settings, the demo's users, and the hub's task cards.

Realistic, Dragør-like, in Danish; every function is idempotent (get_or_create by slug)."""

import datetime
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from dragoer.demo.pages import child
from frivillig_blocks import roles
from frivillig_blocks import themes as theme_list
from frivillig_blocks.models import (
    AgeGroup,
    Association,
    AssociationIndexPage,
    AssociationMembership,
    ContactPage,
    ContactPerson,
    Grant,
    GrantIndexPage,
    HomePage,
    Idea,
    IdeaCatalogPage,
    Initiative,
    MainMenuSettings,
    MembershipRole,
    MunicipalitySettings,
    Place,
    Theme,
    Topic,
    TopicPage,
    VolunteerHubPage,
)

THEMES = [
    "Idræt",
    "Kultur",
    "Natur og miljø",
    "Socialt",
    "Børn og familie",
    "Sundhed",
    "Fællesskab",
    "Historie",
]
TOPICS = [
    "Lån af lokaler og udstyr",
    "Puljer og tilskud",
    "Kalender og arrangementer",
    "Frivilligbørsen",
    "Kurser",
    "Foreninger og opstart",
    "Initiativprisen",
    "Frivilligt socialt arbejde",
]

# name, purpose, age group codes, themes
ASSOCIATIONS = [
    (
        "Dragør Boldklub",
        "Fodbold for alle aldre – fra miniputter til oldboys.",
        ["boern", "unge", "voksne"],
        ["Idræt"],
    ),
    (
        "Dragør Søspejdere",
        "Spejderarbejde for børn og unge med sejlads i Øresund.",
        ["boern", "unge"],
        ["Natur og miljø", "Børn og familie"],
    ),
    (
        "Dragør Sejlklub",
        "Kapsejlads, ungdomssejlads og fællesskab i havnen.",
        ["unge", "voksne", "seniorer"],
        ["Idræt", "Natur og miljø"],
    ),
    (
        "Ældre Sagen Dragør",
        "Besøgsvenner, motion og hjælp for seniorer.",
        ["seniorer"],
        ["Socialt", "Fællesskab"],
    ),
    (
        "Dragør Lokalhistoriske Forening",
        "Vi samler og formidler Dragørs historie.",
        ["voksne", "seniorer"],
        ["Historie", "Kultur"],
    ),
    (
        "Dansk Røde Kors Dragør",
        "Genbrugsbutik, besøgstjeneste og lektiecafé.",
        ["paa-tvaers"],
        ["Socialt"],
    ),
    (
        "Dragør Kunstforening",
        "Udstillinger og kunstoplevelser for alle.",
        ["voksne", "seniorer"],
        ["Kultur"],
    ),
    (
        "Dragør Svømmeklub",
        "Svømning for børn, unge og voksne.",
        ["boern", "unge", "voksne"],
        ["Idræt", "Sundhed"],
    ),
    (
        "Store Magleby Idrætsforening",
        "Gymnastik, løb og badminton i St. Magleby.",
        ["boern", "voksne"],
        ["Idræt"],
    ),
    (
        "Dragør Tennisklub",
        "Tennis og padel for begyndere og øvede.",
        ["unge", "voksne", "seniorer"],
        ["Idræt"],
    ),
    (
        "Dragør Roklub",
        "Motionsroning og kajak fra havnen.",
        ["unge", "voksne"],
        ["Idræt", "Natur og miljø"],
    ),
    (
        "Dragør Skakklub",
        "Skak for alle – også juniorer.",
        ["boern", "unge", "voksne", "seniorer"],
        ["Fællesskab"],
    ),
    ("Dragør Bridgeklub", "Bridge med undervisning og turneringer.", ["seniorer"], ["Fællesskab"]),
    (
        "Hjerteforeningen Dragør",
        "Hjertemotion, foredrag og indsamling.",
        ["voksne", "seniorer"],
        ["Sundhed"],
    ),
    (
        "Kræftens Bekæmpelse Dragør",
        "Støtte, netværk og den årlige indsamling.",
        ["paa-tvaers"],
        ["Sundhed", "Socialt"],
    ),
    (
        "Red Barnet Dragør",
        "Familievenner og ferielejre for børn.",
        ["boern"],
        ["Børn og familie", "Socialt"],
    ),
    ("Dragør Ungdomsteater", "Teater for unge mellem 12 og 20 år.", ["unge"], ["Kultur"]),
    (
        "Dragør Håndboldklub",
        "Håndbold for drenge, piger og voksne.",
        ["boern", "unge", "voksne"],
        ["Idræt"],
    ),
    (
        "Dragør Naturforening",
        "Naturpleje, fugletur og affaldsindsamling.",
        ["paa-tvaers"],
        ["Natur og miljø"],
    ),
    (
        "Dragør Musikforening",
        "Koncerter og fællessang i gamle Dragør.",
        ["voksne", "seniorer"],
        ["Kultur", "Fællesskab"],
    ),
    ("Dragør Ungdomsråd", "Unges stemme i kommunen.", ["unge"], ["Fællesskab"]),
    (
        "Bedstevenner Dragør",
        "Reservebedsteforældre for familier uden bedsteforældre i nærheden.",
        ["paa-tvaers"],
        ["Børn og familie", "Socialt"],
    ),
    ("Dragør Seniordans", "Dans og motion for seniorer.", ["seniorer"], ["Sundhed", "Fællesskab"]),
    (
        "Dragør Golfklub",
        "Golf for alle aldre på banen ved Kalvebod.",
        ["unge", "voksne", "seniorer"],
        ["Idræt"],
    ),
    (
        "Dragør Lektiecafé",
        "Frivillige hjælper skolebørn med lektierne.",
        ["boern", "unge"],
        ["Børn og familie", "Socialt"],
    ),
    (
        "Mandehørm Dragør",
        "Værksted og fællesskab for mænd.",
        ["voksne", "seniorer"],
        ["Socialt", "Fællesskab"],
    ),
    (
        "Dragør Fotoklub",
        "Fotografi, fototure og udstillinger.",
        ["unge", "voksne", "seniorer"],
        ["Kultur"],
    ),
]

INITIATIVES = [
    (
        "Gågruppen på Amager Strand",
        "Vi går en tur hver tirsdag kl. 10 fra Dragør Fort.",
        ["voksne", "seniorer"],
        ["Sundhed", "Fællesskab"],
    ),
    (
        "Reparationscafé Dragør",
        "Tag din ødelagte ting med – vi reparerer sammen.",
        ["paa-tvaers"],
        ["Natur og miljø", "Fællesskab"],
    ),
    (
        "Strandrydning ved Søvang",
        "Vi samler affald på stranden første søndag i måneden.",
        ["paa-tvaers"],
        ["Natur og miljø"],
    ),
]

CONTACT_PERSONS = [
    (
        "Mette Holm",
        "Frivilligkoordinator",
        "32 89 01 10",
        "mette.holm@dragoer.dk",
        ["Foreninger og opstart", "Frivilligbørsen", "Frivilligt socialt arbejde"],
    ),
    (
        "Jonas Friis",
        "Konsulent, kultur og fritid",
        "32 89 01 11",
        "jonas.friis@dragoer.dk",
        ["Lån af lokaler og udstyr", "Kalender og arrangementer"],
    ),
    (
        "Aisha Nielsen",
        "Puljekonsulent",
        "32 89 01 12",
        "aisha.nielsen@dragoer.dk",
        ["Puljer og tilskud", "Frivilligt socialt arbejde"],
    ),
    ("Lars Bech", "Kursusansvarlig", "32 89 01 13", "lars.bech@dragoer.dk", ["Kurser"]),
    (
        "Hanne Sørensen",
        "Sekretær for initiativprisen",
        "32 89 01 14",
        "hanne.sorensen@dragoer.dk",
        ["Initiativprisen"],
    ),
    (
        "Peter Kjær",
        "Institutionsleder, Dragør Skole",
        "32 89 01 15",
        "peter.kjaer@dragoer.dk",
        ["Lån af lokaler og udstyr"],
    ),
]

PLACES = [
    ("Dragør Rådhus", "Kirkevej 7", True, True, True),
    ("Dragør Bibliotek", "Kirkevej 9", True, True, True),
    ("Dragør Skole Nord", "Hollænderstien 111", True, True, False),
    ("Dragør Skole Syd", "Wiedersvej 25", True, False, False),
    ("Store Magleby Skole", "Hovedgaden 30", True, True, False),
    ("Dragør Idrætscenter", "Vierdiget 14", True, True, True),
    ("Kulturhuset Dragør", "Strandlinien 4", False, False, True),
    ("Dragør Fort", "Fortvej 30", False, False, False),
]

# name, summary, who may apply, amount, days to deadline (None: rolling), legal basis
GRANTS = [
    (
        "§ 18-puljen til frivilligt socialt arbejde",
        "Støtte til foreninger og grupper, der gør en frivillig social indsats for borgere i Dragør.",
        "Frivillige sociale foreninger, organisationer og grupper med aktiviteter i Dragør Kommune.",
        "op til 50.000 kr.",
        45,
        Grant.LegalBasis.SECTION_18,
    ),
    (
        "Initiativpuljen",
        "Små beløb til nye idéer, der bringer borgere sammen.",
        "Borgere, foreninger og netværk i Dragør.",
        "op til 10.000 kr.",
        None,
        Grant.LegalBasis.MUNICIPAL,
    ),
    (
        "Folkeoplysningspuljen",
        "Tilskud til aktiviteter for børn og unge under folkeoplysningsloven.",
        "Godkendte folkeoplysende foreninger.",
        "op til 25.000 kr.",
        20,
        Grant.LegalBasis.FOLKEOPLYSNING,
    ),
    (
        "Grøn pulje",
        "Støtte til naturpleje, affaldsindsamling og grønne fællesskaber.",
        "Foreninger og grupper med et grønt projekt i Dragør.",
        "op til 15.000 kr.",
        75,
        Grant.LegalBasis.MUNICIPAL,
    ),
    (
        "Frivillig Fredag-puljen",
        "Tilskud til arrangementer på Frivillig Fredag i september.",
        "Foreninger, der holder et åbent arrangement på Frivillig Fredag.",
        "op til 5.000 kr.",
        120,
        Grant.LegalBasis.MUNICIPAL,
    ),
]

IDEAS = [
    (
        "Reservebedsteforældre",
        "Ældre frivillige bliver faste voksne for børnefamilier.",
        ["paa-tvaers"],
        "En koordinator og en børneattest.",
        "Bedstevenner Dragør matcher 12 familier.",
    ),
    (
        "Lektiecafé på biblioteket",
        "Frivillige hjælper børn med lektier to gange om ugen.",
        ["boern", "unge"],
        "Et lokale, frivillige og kaffe.",
        "Dragør Lektiecafé.",
    ),
    (
        "Gå-makker",
        "Find en at gå tur med – for motion og selskab.",
        ["voksne", "seniorer"],
        "En opslagstavle eller frivilligbørsen.",
        "Gågruppen på Amager Strand.",
    ),
    (
        "Reparationscafé",
        "Reparér ting sammen i stedet for at smide dem ud.",
        ["paa-tvaers"],
        "Værktøj og et lokale en lørdag om måneden.",
        "Reparationscaféen i Kulturhuset.",
    ),
    (
        "Fællesspisning for enlige",
        "En gang om måneden spiser vi sammen.",
        ["seniorer"],
        "Et køkken og nogle frivillige kokke.",
        "",
    ),
    (
        "Ungdomsbestyrelse",
        "Unge får plads i foreningens bestyrelse.",
        ["unge"],
        "Vilje til at dele magten.",
        "Dragør Sejlklubs ungdomsudvalg.",
    ),
    (
        "Strandrydning",
        "Saml affald på stranden sammen med naboerne.",
        ["paa-tvaers"],
        "Sække, handsker og en dato.",
        "Strandrydning ved Søvang.",
    ),
    (
        "Fortællecafé",
        "Ældre fortæller om Dragør i gamle dage.",
        ["seniorer", "boern"],
        "Et lokale og en lydoptager.",
        "",
    ),
    (
        "Foreningsmesse",
        "Foreningerne viser sig frem på én dag.",
        ["paa-tvaers"],
        "Et stort lokale og en koordinator.",
        "",
    ),
    (
        "Besøgsven",
        "Besøg en ensom ældre en gang om ugen.",
        ["seniorer"],
        "En samtale og en børneattest er ikke nødvendig.",
        "Ældre Sagen Dragør.",
    ),
    (
        "Sprogvenner",
        "Nye danskere øver dansk med en frivillig.",
        ["voksne"],
        "Et fast mødested.",
        "",
    ),
    (
        "Idræt for alle",
        "Prøv en ny sport gratis en uge om året.",
        ["boern", "unge"],
        "Foreningernes trænere.",
        "",
    ),
    (
        "Klimagruppe i skolen",
        "Elever og forældre laver grønne projekter.",
        ["boern", "voksne"],
        "En lærer og nogle forældre.",
        "",
    ),
    (
        "Frivillig-makker",
        "Nye frivillige får en erfaren makker.",
        ["voksne"],
        "En liste over erfarne frivillige.",
        "",
    ),
    (
        "Haveklub for lejere",
        "Fælles køkkenhave i boligområdet.",
        ["paa-tvaers"],
        "Et stykke jord og frø.",
        "",
    ),
]


def _slug(text: str) -> str:
    """An ASCII slug that keeps the Danish letters' sound ("Ældre Sagen" → "aeldre-sagen"):
    lower case first, so a capital Æ, Ø or Å is not dropped."""
    text = text.lower()
    return slugify(
        text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("§", "paragraf")
    )


def seed_taxonomy():
    themes = {
        # The demo's short names find the shared list's themes ("Idræt" is "Idræt og
        # motion"); the migration seeded the list (frivillig_blocks.themes).
        name: theme_list.find_or_create(Theme, name=name, slug=_slug(name))
        for name in THEMES
    }
    topics = {
        name: Topic.objects.get_or_create(slug=_slug(name), defaults={"name": name})[0]
        for name in TOPICS
    }
    age_groups = {group.code: group for group in AgeGroup.objects.all()}
    return themes, topics, age_groups


def seed_snippets():
    themes, topics, age_groups = seed_taxonomy()
    for name, purpose, ages, theme_names in ASSOCIATIONS:
        association, created = Association.objects.get_or_create(
            slug=_slug(name),
            defaults={
                "name": name,
                "purpose": purpose,
                "email": f"kontakt@{_slug(name)}.dk",
                "website": f"https://{_slug(name)}.dk",
                "contact_name": "Formanden",
            },
        )
        if created:
            association.age_groups.set([age_groups[a] for a in ages])
            association.themes.set([themes[t] for t in theme_names])
            association.save()
    for name, description, ages, theme_names in INITIATIVES:
        initiative, created = Initiative.objects.get_or_create(
            slug=_slug(name), defaults={"name": name, "description": description}
        )
        if created:
            initiative.age_groups.set([age_groups[a] for a in ages])
            initiative.themes.set([themes[t] for t in theme_names])
            initiative.save()
    for order, (name, role, phone, email, topic_names) in enumerate(CONTACT_PERSONS):
        person, created = ContactPerson.objects.get_or_create(
            email=email, defaults={"name": name, "role": role, "phone": phone, "sort_order": order}
        )
        if created:
            person.topics.set([topics[t] for t in topic_names])
            person.save()
    for name, address, step_free, toilet, loop in PLACES:
        Place.objects.get_or_create(
            name=name,
            defaults={
                "address": address,
                "postcode": "2791",
                "city": "Dragør",
                "step_free_access": step_free,
                "accessible_toilet": toilet,
                "hearing_loop": loop,
            },
        )
    today = timezone.localdate()
    for name, summary, who, amount, days, basis in GRANTS:
        Grant.objects.get_or_create(
            slug=_slug(name),
            defaults={
                "name": name,
                "summary": summary,
                "who_may_apply": who,
                "amount": amount,
                "deadline": today + datetime.timedelta(days=days) if days else None,
                "rolling": days is None,
                "legal_basis": basis,
                "how_to_apply": "<p>Udfyld ansøgningen herunder. Du får en kvittering på e-mail, "
                "og vi svarer inden for fire uger efter fristen.</p>",
            },
        )
    for title, description, ages, takes, example in IDEAS:
        idea, created = Idea.objects.get_or_create(
            slug=_slug(title),
            defaults={
                "title": title,
                "description": description,
                "what_it_takes": takes,
                "example": example,
            },
        )
        if created:
            idea.age_groups.set([age_groups[a] for a in ages])
            idea.save()
    return topics


# The hub's sections that other apps provide: slug -> app label.
SECTION_APPS = {
    "laan": "booking",
    "kalender": "kalender",
    "boers": "boers",
    "initiativpris": "initiativpris",
    "kurser": "kurser",
}


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


def seed(stdout, *, admin_password: str):
    """The site, the hub and the one door's content; returns (admin, hub, section pages)."""
    home = home_page()
    hub = child(
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
    statement = child(
        home,
        TopicPage,
        "tilgaengelighedserklaering",
        title="Tilgængelighedserklæring",
        intro="Sådan arbejder vi med tilgængelighed, og her kan du give os besked om problemer.",
        body=ACCESSIBILITY_STATEMENT,
    )
    section = one_door(hub)

    site = Site.objects.get(is_default_site=True)
    municipality = MunicipalitySettings.for_site(site)
    municipality.name = "Dragør Kommune"
    municipality.address = "Kirkevej 7, 2791 Dragør"
    municipality.phone = "32 89 01 00"
    municipality.opening_hours = "Mandag–torsdag 10–14, fredag 10–13"
    municipality.website = "https://www.dragoer.dk"
    municipality.accessibility_statement = statement
    if municipality.logo is None:
        municipality.logo = crest()
    municipality.primary_colour = municipality.primary_colour or "#00507a"
    municipality.accent_colour = municipality.accent_colour or "#ffd23f"
    municipality.save()

    admin = user("admin", "admin@dragoer.dk", admin_password, superuser=True)
    staff = {
        roles.KOMMUNIKATOERER: user("kommunikation", "kommunikation@dragoer.dk", admin_password),
        roles.FRIVILLIGKOORDINATOR: user("koordinator", "koordinator@dragoer.dk", admin_password),
        roles.INSTITUTIONSLEDERE: user("institutionsleder", "leder@dragoer.dk", admin_password),
        roles.KURSUSANSVARLIGE: user("kursus", "kursus@dragoer.dk", admin_password),
    }
    for group_name, person in staff.items():
        person.groups.add(Group.objects.get(name=group_name))

    citizen = user("borger", "borger@example.org", admin_password)
    first = Association.objects.get(slug="dragoer-soespejdere")
    AssociationMembership.objects.get_or_create(
        user=citizen, association=first, defaults={"role": MembershipRole.ADMIN}
    )
    # A demo made before an app was installed has a topic page at the app's slug: it goes,
    # so the app's own section page takes its place.
    retire_placeholders(hub)
    return admin, hub, section


def figures_page(hub) -> dict:
    """The follow-up's public figures page, when the follow-up app is installed."""
    if not apps.is_installed("opfoelgning"):
        return {}
    from opfoelgning.models import FiguresPage

    return {
        "figures": child(
            hub,
            FiguresPage,
            "i-tal",
            title="Frivilligheden i Dragør i tal",
            show_in_menus=True,
            intro="<p>Hvor mange låner lokaler, sætter arrangementer i kalenderen, finder hinanden "
            "i børsen, stemmer om initiativprisen og går på kursus? Tallene følger planens mål.</p>",
        ),
    }


def one_door(hub):
    """The volunteer section: the snippets, the section pages and the hub's task cards."""
    seed_snippets()
    section = {
        "directory": child(
            hub,
            AssociationIndexPage,
            "foreninger",
            title="Foreninger og initiativer",
            show_in_menus=True,
            intro="<p>Find en forening eller et initiativ for alle aldre.</p>",
        ),
        "grants": child(
            hub,
            GrantIndexPage,
            "puljer",
            title="Puljer og tilskud",
            show_in_menus=True,
            intro="<p>Søg støtte til frivillige aktiviteter – også fra § 18-puljen til frivilligt "
            "socialt arbejde.</p>",
        ),
        "ideas": child(
            hub,
            IdeaCatalogPage,
            "idekatalog",
            title="Idékatalog",
            show_in_menus=True,
            intro="<p>Idéer til at få flere med i foreningslivet. Har du en idé? Foreslå den.</p>",
        ),
        **figures_page(hub),
        "contact": child(
            hub,
            ContactPage,
            "kontakt",
            title="Kontakt os",
            show_in_menus=True,
            intro="<p>Vi er en lille gruppe medarbejdere, der hjælper frivillige og foreninger.</p>",
        ),
    }
    section["getting_started"] = child(
        hub,
        TopicPage,
        "kom-i-gang",
        title="Kom i gang som frivillig",
        show_in_menus=True,
        intro="Alt det praktiske, når du vil være frivillig i Dragør.",
        body=getting_started_body(),
    )
    return section


def retire_placeholders(hub):
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


def task_cards(hub, section):
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
        section[slug] = existing or child(hub, TopicPage, slug, title=title, intro=intro)
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
    cards.insert(
        0,
        (
            "Kom i gang som frivillig",
            "Ny som frivillig? Sådan finder du noget, der passer dig.",
            "getting_started",
        ),
    )
    section.update(installed_sections(hub))
    if "frivillig_fredag" in section:
        cards.append(
            (
                "Frivillig Fredag",
                "Dagen, hvor vi fejrer Dragørs frivillige – se programmet.",
                "frivillig_fredag",
            )
        )
    if "figures" in section:
        cards.append(("Frivilligheden i tal", "Hvor mange er med, og hvordan går det?", "figures"))
    wanted = [
        ("card", {"title": title, "text": text, "page": section[key], "url": ""})
        for title, text, key in cards
    ]
    if not hub.cards:
        hub.cards = wanted
        hub.save_revision().publish()
    else:
        # A demo made before these cards existed gets the missing ones (by page).
        linked = {card.value["page"].pk for card in hub.cards if card.value["page"]}
        missing = [card for card in wanted if card[1]["page"].pk not in linked]
        if missing:
            hub.cards = [*((card.block_type, card.value) for card in hub.cards), *missing]
            hub.save_revision().publish()
    main_menu(hub, section)
    front_page(hub, section)


def installed_sections(hub) -> dict:
    """The section pages of other apps the front page, the cards and the menu point at."""
    found = {}
    if apps.is_installed("initiativpris"):
        from initiativpris.models import FrivilligFredagPage

        day = FrivilligFredagPage.objects.live().first()
        if day is not None:
            found["frivillig_fredag"] = day
    return found


# The main menu (Settings → Main menu): section key -> title in the menu (empty: the page's).
MENU = [
    ("hub", ""),
    ("getting_started", "Kom i gang"),
    ("kalender", ""),
    ("boers", "Frivilligbørsen"),
    ("laan", "Lån lokaler og udstyr"),
    ("kurser", "Kurser"),
    ("grants", "Puljer"),
    ("contact", ""),
]


def main_menu(hub, section):
    """The demo's main menu, set once (an editor's menu is left alone)."""
    site = Site.objects.get(is_default_site=True)
    menu = MainMenuSettings.for_site(site)
    if menu.items:
        return
    pages = {"hub": hub, **section}
    menu.items = [
        ("item", {"page": pages[key], "title": title})
        for key, title in MENU
        if pages.get(key) is not None and pages[key].live
    ]
    menu.save()


FRONT_PAGE_TITLE = "Frivilligsiderne"


def front_page(hub, section):
    """A front page for volunteering: the newcomer's way in first, the other doors after
    (the hub's "what is on now" shows below). Made once over the first demo's bare page."""
    home = HomePage.objects.get(pk=hub.get_parent().pk)
    if home.title not in ("Dragør Kommune", FRONT_PAGE_TITLE) or (
        home.title == FRONT_PAGE_TITLE and home.body
    ):
        return

    def link(page, text):
        return f'<a linktype="page" id="{page.pk}">{text}</a>'

    doors = [
        link(hub, "Alt om at være frivillig i Dragør"),
        link(section["directory"], "Find en forening eller et initiativ"),
        link(section["grants"], "Søg en pulje – også § 18-midler"),
    ]
    if "frivillig_fredag" in section:
        doors.append(link(section["frivillig_fredag"], "Frivillig Fredag: program og prisuddeling"))
    if "figures" in section:
        doors.append(link(section["figures"], "Frivilligheden i Dragør i tal"))
    doors.append(link(section["contact"], "Spørg os – én adresse for frivillige"))
    home.title = FRONT_PAGE_TITLE
    home.seo_title = "Frivillig i Dragør"
    home.search_description = (
        "Dragør Kommunes sider for frivillige og foreninger: kom i gang som frivillig, lån "
        "lokaler, sæt arrangementer i kalenderen, find hjælp i frivilligbørsen og søg puljer."
    )
    home.intro = (
        "<p>Over en tredjedel af os i Dragør giver en hånd som frivillig. Her finder du "
        "foreningerne, lokalerne, kalenderen og puljerne – og os, der hjælper.</p>"
    )
    home.body = [
        (
            "call_to_action",
            {
                "title": "Ny som frivillig?",
                "text": "Sådan finder du noget, der passer dig, og sådan kommer du i gang.",
                "page": section["getting_started"],
                "url": "",
                "button_text": "Kom i gang som frivillig",
            },
        ),
        ("heading", {"text": "Genveje", "level": "h2"}),
        ("paragraph", "<ul>" + "".join(f"<li>{door}</li>" for door in doors) + "</ul>"),
    ]
    home.save_revision().publish()


def getting_started_body():
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


def home_page() -> HomePage:
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        for page in root.get_children():
            if page.specific_class is Page and not page.get_children().exists():
                page.delete()  # Wagtail's "Welcome" placeholder
        home = root.add_child(
            instance=HomePage(
                title=FRONT_PAGE_TITLE,
                slug="home",
                intro="<p>Velkommen til Dragør Kommunes frivilligsider.</p>",
            )
        )
    site = site or Site(is_default_site=True)
    site.root_page = home
    site.site_name = "Dragør Kommune"
    site.hostname, site.port = public_address()
    site.save()
    return home


def public_address() -> tuple[str, int]:
    """The demo's Wagtail Site answers at BASE_URL (WAGTAILADMIN_BASE_URL), the one public
    address: every page link in mails, feeds, og:url and PDFs is built from the Site, every
    other link from that setting, so both say the same (never Wagtail's "localhost")."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    port = address.port or (443 if address.scheme == "https" else 80)
    return address.hostname or "localhost", port


def crest():
    """A stand-in for the municipality's crest (a drawn shield with the sea and a ship's
    sail), as a Wagtail image; the real crest is uploaded in Settings → Municipality."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images import get_image_model

    Image = get_image_model()
    title = "Dragør Kommunes våben (demo)"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    size = 192
    canvas = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    shield = [(16, 8), (176, 8), (176, 104), (96, 184), (16, 104)]
    draw.polygon(shield, fill=(255, 255, 255), outline=(255, 210, 63), width=8)
    draw.polygon([(96, 28), (96, 104), (148, 104)], fill=(0, 80, 122))
    draw.rectangle([(90, 28), (96, 116)], fill=(0, 54, 82))
    for y in (124, 142):
        draw.line([(40, y), (152, y)], fill=(0, 80, 122), width=8)
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    image = Image(title=title)
    image.file = ImageFile(buffer, name="dragoer-vaaben.png")
    image.save()
    return image


def user(username, email, password, superuser=False):
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
