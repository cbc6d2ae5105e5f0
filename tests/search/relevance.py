"""The search's relevance set (issue #20): Danish queries a citizen would type against the
demo (``manage.py seed_demo``), each with what must be among the first five results.

Written before the engine was tuned: it is the specification, not a record of what the
engine happens to return. test_relevance.py runs every query through ``engine.search`` on
the seeded demo and prints the share found; the bar is 100 %.

An expectation is

* a string: a hit whose title contains it (case-insensitive) is among the first five;
* a tuple of strings: each of them is, among the first ``max(5, len(tuple))`` (the issue's
  "pulje" names six results: the five grants and the grants page);
* ``AnyOf(...)``: at least one of them is among the first five (a query several results
  answer equally well, e.g. "ansøgning": any grant, whose text says how to apply).

The expected strings are titles or distinctive parts of titles as the demo has them
(site/dragoer/demo/): a contact person's hit is matched on the person's name.
"""

from __future__ import annotations

from dataclasses import dataclass

#: How deep an expected title may rank.
TOP = 5


@dataclass(frozen=True)
class AnyOf:
    titles: tuple[str, ...]

    def __init__(self, *titles: str):
        object.__setattr__(self, "titles", titles)


GRANTS = (
    "Folkeoplysningspuljen",
    "Frivillig Fredag-puljen",
    "Grøn pulje",
    "Initiativpuljen",
    "§ 18-puljen til frivilligt socialt arbejde",
)

QUERIES: list[tuple[str, str | tuple[str, ...] | AnyOf]] = [
    # --- The five queries (its table: what a citizen expected) ---
    ("senior", ("Dragør Seniordans", "Ældre Sagen Dragør")),
    ("lokale", "Lån af lokaler og udstyr"),
    ("pulje", (*GRANTS, "Puljer og tilskud")),
    ("ansøgning", AnyOf(*GRANTS, "Puljer og tilskud")),  # a grant says "Udfyld ansøgningen"
    ("frivilig", "Frivillig i Dragør"),  # and "Mente du: frivillig?" (SUGGESTIONS)
    # --- Word forms: singular, plural and definite forms find each other ---
    ("seniorer", "Ældre Sagen Dragør"),  # "… hjælp for seniorer"
    ("lokaler", "Lån af lokaler og udstyr"),
    ("puljen", "Grøn pulje"),
    ("puljer", "Puljer og tilskud"),
    ("kursus", "Kurser"),  # the courses' page
    ("kurserne", "Kurser"),
    ("forening", "Foreninger og initiativer"),
    ("foreningen", "Nye idéer i foreningen"),
    ("foreningens regnskab", "Foreningens regnskab og tilskud"),
    ("besøgsvenner", "Besøgsvenner fra Røde Kors"),
    ("telt", "Telte (pavillon"),
    ("klapbord", "Klapborde"),
    ("gymnastiksal", "Gymnastiksalen"),
    ("værksted", "Værkstedet"),
    ("plejecenter", "Frivillige på plejecentre"),
    ("sprogven", "Sprogvenner"),
    # --- Compounds: a word inside a compound finds it ---
    ("spejder", "Dragør Søspejdere"),
    ("bestyrelse", "Bestyrelsesarbejde for begyndere"),
    ("folkeoplysning", "Folkeoplysningspuljen"),
    ("dans", "Dragør Seniordans"),
    ("gymnastik", "Seniorgymnastik"),
    ("banko", "Bankospil i Kulturhuset"),
    ("harmonika", "Harmonikaspiller til fester"),
    ("bordfodbold", "Låne bordfodboldbord"),
    ("bedsteforældre", "Reservebedsteforældre"),
    ("klima", "Klimagruppe i skolen"),
    ("tilgængelighed", "Tilgængelighedserklæring"),
    ("mødelokale", "Mødelokale 1"),
    ("idræt", "Dragør Idrætscenter"),
    # --- Typos: one or two letters wrong ---
    ("foreninnger", "Foreninger og initiativer"),
    ("kalnder", "Kalender"),
    ("seniordnas", "Dragør Seniordans"),
    ("søspeidere", "Dragør Søspejdere"),
    ("loppemarke", "Loppemarked på Strandlinien"),
    ("førstehjælb", "Førstehjælp for trænere og ledere"),
    ("bestyrelsearbjde", "Bestyrelsesarbejde for begyndere"),  # two letters missing
    ("fælesspisnig", "Fællesspisning i Kulturhuset"),  # two letters missing
    ("reparationskafe", "Reparationscafé"),  # "k" for "c", and no accent
    ("frivilligkordinator", "Mette Holm"),
    # --- æ, ø, å, "aa" for "å", accents and upper case ---
    ("laan", "Lån af lokaler og udstyr"),
    ("haandbold", "Dragør Håndboldklub"),
    ("gaagruppen", "Gågruppen på Amager Strand"),
    ("ældre", "Ældre Sagen Dragør"),
    ("søvang", "Strandrydning ved Søvang"),
    ("lektiecafe", "Lektiecafé"),
    ("rekruttere", "Frivilligledelse: rekruttér og fasthold"),
    ("FOLKEOPLYSNINGSPULJEN", "Folkeoplysningspuljen"),
    ("Psykisk Førstehjælp", "Psykisk førstehjælp"),
    ("KALENDER", "Kalender"),
    # --- Every kind of content ---
    # pages
    ("kom i gang", "Kom i gang som frivillig"),
    ("kontakt", "Kontakt os"),
    ("idékatalog", "Idékatalog"),
    ("initiativprisen", "Initiativprisen"),
    ("frivillig fredag", "Frivillig Fredag"),
    # associations and initiatives
    ("svømning", "Dragør Svømmeklub"),
    ("fodbold", "Dragør Boldklub"),
    ("strandrydning", "Strandrydning ved Søvang"),
    # grants
    ("grøn", "Grøn pulje"),
    ("socialt arbejde", "§ 18-puljen til frivilligt socialt arbejde"),
    # ideas
    ("sprogvenner", "Sprogvenner"),
    ("haveklub", "Haveklub for lejere"),
    ("fællesspisning enlige", "Fællesspisning for enlige"),
    # contact persons
    ("puljekonsulent", "Aisha Nielsen"),
    ("kursusansvarlig", "Lars Bech"),
    ("mette holm", "Mette Holm"),
    # calendar events
    ("loppemarked", "Loppemarked på Strandlinien"),
    ("naturvandring", "Naturvandring på Dragør Fort"),
    ("foredrag skippere", "Foredrag: Dragørs skippere"),
    # exchange posts
    ("kasserer", "Kasserer til lille forening"),
    ("stavgang", "Søger makker til stavgang"),
    ("julemarked", "Kagebagere til julemarked"),
    ("it-hjælp", "IT-hjælp til seniorer"),
    # courses
    ("psykisk førstehjælp", "Psykisk førstehjælp"),
    ("regnskab", "Foreningens regnskab og tilskud"),
    ("frivilligledelse", "Frivilligledelse: rekruttér og fasthold"),
    # institutions
    ("bibliotek", "Dragør Bibliotek"),
    ("kulturhuset", "Kulturhuset Dragør"),
    ("idrætscenter", "Dragør Idrætscenter"),
    # rooms
    ("klasselokale", "Klasselokale 12"),
    ("store sal", "Store sal"),
    # equipment
    ("lydanlæg", "Lydanlæg (mobilt)"),
    ("stole", "Stole"),
]

#: "Mente du: …?": the suggestion for a misspelt query, None for a word the index holds.
SUGGESTIONS: list[tuple[str, str | None]] = [
    ("frivilig", "frivillig"),
    ("kalnder", "kalender"),
    ("kalender", None),
]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def missing(expected, titles: list[str]) -> list[str]:
    """What of ``expected`` is not among the first hits of ``titles`` (ranked best first);
    an empty list when the query passes."""
    if isinstance(expected, AnyOf):
        top = [_norm(title) for title in titles[:TOP]]
        if any(_norm(part) in title for part in expected.titles for title in top):
            return []
        return [" | ".join(expected.titles)]
    parts = (expected,) if isinstance(expected, str) else expected
    top = [_norm(title) for title in titles[: max(TOP, len(parts))]]
    return [part for part in parts if not any(_norm(part) in title for title in top)]
