"""Demo content of the one door for the reference site (used by ``seed_demo``).

Realistic, Dragør-like, in Danish; every function is idempotent (get_or_create by slug)."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from .models import (
    AgeGroup,
    Association,
    ContactPerson,
    Grant,
    Idea,
    Initiative,
    Place,
    Theme,
    Topic,
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
    return slugify(
        text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("§", "paragraf")
    )


def seed_taxonomy():
    themes = {
        name: Theme.objects.get_or_create(slug=_slug(name), defaults={"name": name})[0]
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
