"""Danish words for the search: one normal form, Snowball's Danish stemmer, stop words.

A word is *normalised* the way a Danish reader compares words: case folded, fullwidth and
other compatibility forms folded (NFKC), accents dropped where Danish readers do not hear
them (é → e, ü → u), æ, ø and å kept as letters of their own, and the old spelling "aa"
read as "å" (Aabenraa = Åbenrå). The *stem* is Snowball's Danish stemmer (PyStemmer, the
C implementation of the same algorithm PostgreSQL's ``danish`` configuration runs) over
the normal form, with the few irregular plurals it does not join (kursus/kurser).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

#: A word: letters and digits (``_`` and punctuation split words, as the engines do).
WORD = re.compile(r"[^\W_]+")

#: Marks Danish readers do not hear as another letter: dropped (é → e). The ring above
#: (å), the stroke of ø and the ligature æ are letters of their own and stay.
_KEEP_MARKS = {"\u030a"}  # COMBINING RING ABOVE (a + ring = å)

#: Irregular plurals Snowball leaves apart (kursus → "kursus", kurser → "kurs").
IRREGULAR_STEMS = {
    "kursus": "kurs",
    "museum": "muse",
    "centrum": "centr",
    "studium": "studi",
    "gymnasium": "gymnasi",
    "forum": "forum",
}

#: Snowball's Danish stop list (the words PostgreSQL's ``danish`` configuration drops):
#: they say nothing about what a citizen looks for.
STOP_WORDS = frozenset(
    [
        "og",
        "i",
        "jeg",
        "det",
        "at",
        "en",
        "den",
        "til",
        "er",
        "som",
        "på",
        "de",
        "med",
        "han",
        "af",
        "for",
        "ikke",
        "der",
        "var",
        "mig",
        "sig",
        "men",
        "et",
        "har",
        "om",
        "vi",
        "min",
        "havde",
        "ham",
        "hun",
        "nu",
        "over",
        "da",
        "fra",
        "du",
        "ud",
        "sin",
        "dem",
        "os",
        "op",
        "man",
        "hans",
        "hvor",
        "eller",
        "hvad",
        "skal",
        "selv",
        "her",
        "alle",
        "vil",
        "blev",
        "kunne",
        "ind",
        "når",
        "være",
        "dog",
        "noget",
        "ville",
        "jo",
        "deres",
        "efter",
        "ned",
        "skulle",
        "denne",
        "end",
        "dette",
        "mit",
        "også",
        "under",
        "have",
        "dig",
        "anden",
        "hende",
        "mine",
        "alt",
        "meget",
        "sit",
        "sine",
        "vor",
        "mod",
        "disse",
        "hvis",
        "din",
        "nogle",
        "hos",
        "blive",
        "mange",
        "ad",
        "bliver",
        "hendes",
        "været",
        "thi",
        "jer",
        "sådan",
    ]
)

_stemmer = Stemmer.Stemmer("danish")


@lru_cache(maxsize=8192)
def normalise(word: str) -> str:
    """The normal form of one word (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", word).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch in _KEEP_MARKS)
    text = unicodedata.normalize("NFC", kept)
    return text.replace("aa", "å")


@lru_cache(maxsize=8192)
def stem(key: str) -> str:
    """The stem of a normalised word."""
    if key in IRREGULAR_STEMS:
        return IRREGULAR_STEMS[key]
    return _stemmer.stemWord(key)


def words(text: str) -> list[str]:
    """The words of a text as they are written (case and spelling kept)."""
    return WORD.findall(unicodedata.normalize("NFKC", text or ""))


def query_words(text: str, limit: int = 8) -> list[str]:
    """The normalised words of a query that say something: stop words and repeats dropped,
    at most ``limit`` (a query is a few words, not a text to paste)."""
    seen: list[str] = []
    for word in words(text):
        key = normalise(word)
        if key and key not in STOP_WORDS and key not in seen:
            seen.append(key)
    return seen[:limit]


def allowed_typos(key: str) -> int:
    """How many letters may be wrong in a word of this length and still find it."""
    if len(key) >= 8:
        return 2
    if len(key) >= 4:
        return 1
    return 0
