"""The words of the index and what a query's word may mean among them.

A query word (normalised, danish.py) is *expanded* into the words of the index it finds:

- ``EXACT``: the same normal form ("Seniordans" for "seniordans");
- ``STEM``: another form of the same word ("seniorer" for "senior", "puljen" for "pulje");
- ``COMPOUND``: a longer word holding the stem ("Folkeoplysningspuljen" for "pulje",
  "Søspejdere" for "spejder");
- ``FUZZY``: only when the word is not in the index as such, words one or two letters away
  ("frivillig" for "frivilig"); the closest becomes the "Mente du: …?" suggestion.

The engines then search for the index's own words, so PostgreSQL (which stems them again
in its ``danish`` configuration) and SQLite (which matches them as they are) find the
same objects. On PostgreSQL the compounds and typos are looked up through pg_trgm's
trigram index; on SQLite, whose vocabulary is read in one query, in Python. Both decide
with the same rule (rapidfuzz's Damerau-Levenshtein distance, danish.allowed_typos).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Length
from rapidfuzz.distance import DamerauLevenshtein

from . import danish

EXACT, STEM, COMPOUND, FUZZY = "exact", "stem", "compound", "fuzzy"
#: How a match counts in the ranking (engine.py): exact over stemmed over fuzzy.
WEIGHT = {EXACT: 1.0, STEM: 0.8, COMPOUND: 0.6, FUZZY: 0.4}

#: The most index words one query word expands to (the most alike first).
MAX_VARIANTS = 40
#: A stem shorter than this is not looked for inside compounds ("is" is in too many).
MIN_COMPOUND_STEM = 4
MAX_WORD = 64


@dataclass
class Expansion:
    """What one query word found in the index: ``variants`` maps an index word to how it
    matched; ``suggestion`` is set when the word itself is not in the index."""

    key: str
    stem: str
    variants: dict[str, str] = field(default_factory=dict)
    suggestion: str | None = None
    #: ``weight`` of the words of the hits ranked (one search ranks and highlights many
    #: texts with the same words).
    weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @property
    def found(self) -> bool:
        return bool(self.variants)

    @cached_property
    def keys(self) -> dict[str, str]:
        """The variants by their normal form."""
        return {danish.normalise(word): kind for word, kind in self.variants.items()}


# --- Filling ------------------------------------------------------------------------------


def add_texts(texts: Iterable[str]) -> None:
    """Add the words of ``texts`` to the vocabulary (existing words are left alone)."""
    from ..models import SearchWord

    seen: dict[str, SearchWord] = {}
    for text in texts:
        for word in danish.words(text):
            surface = word.lower()
            if surface in seen or len(surface) > MAX_WORD or surface.isdigit():
                continue
            key = danish.normalise(surface)
            seen[surface] = SearchWord(word=surface, key=key, stem=danish.stem(key))
    if seen:
        SearchWord.objects.bulk_create(seen.values(), ignore_conflicts=True, batch_size=500)


def clear() -> None:
    from ..models import SearchWord

    SearchWord.objects.all().delete()


def _index_words() -> set[str]:
    """Every word Wagtail's index holds now, read from its text columns (``title`` and
    ``body`` on SQLite, ``title_text`` and ``body_text`` beside the vectors on PostgreSQL)."""
    from wagtail.search.models import IndexEntry

    columns = [
        field.name
        for field in IndexEntry._meta.fields
        if field.name in {"title", "body", "title_text", "body_text", "autocomplete"}
        and field.get_internal_type() in {"TextField", "CharField"}
    ]
    found: set[str] = set()
    for row in IndexEntry.objects.values_list(*columns).iterator(chunk_size=2000):
        for text in row:
            for word in danish.words(text or ""):
                surface = word.lower()
                if len(surface) <= MAX_WORD and not surface.isdigit():
                    found.add(surface)
    return found


def rebuild() -> int:
    """Make the vocabulary what the index holds now; returns the number of words dropped.
    Adding happens as objects are indexed; dropping needs this (nightly, and after a
    person's data is erased), since an index entry's old text is gone once it is updated."""
    from ..models import SearchWord

    held = _index_words()
    stale = [word for word in SearchWord.objects.values_list("word", flat=True) if word not in held]
    for start in range(0, len(stale), 500):
        SearchWord.objects.filter(word__in=stale[start : start + 500]).delete()
    add_texts(held)
    return len(stale)


# --- Expanding ----------------------------------------------------------------------------


def _trigram_lookup():
    """pg_trgm's ``%`` (similar by trigrams) on the normal form, registered on that one
    field (django.contrib.postgres need not be installed)."""
    from django.contrib.postgres.lookups import TrigramSimilar

    from ..models import SearchWord

    field = SearchWord._meta.get_field("key")
    if "trigram_similar" not in field.get_lookups():
        field.register_lookup(TrigramSimilar)


def _known(keys: list[str], prefix: str | None) -> list[tuple[str, str, str]]:
    """The index words with the same normal form or stem as a key, or a compound holding
    a key's stem, or starting with ``prefix`` (one query; on PostgreSQL the compounds
    through the trigram index)."""
    from ..models import SearchWord

    stems = [danish.stem(key) for key in keys]
    # The statement the ORM makes of ``Q(key__in=keys) | Q(stem__in=stems) |
    # Q(key__contains=stem) … | Q(key__startswith=prefix)``, written out: building and
    # compiling that filter cost more than running it.
    like = connection.operators["contains"] % "%s"
    conditions = [f"key IN ({_placeholders(keys)})", f"stem IN ({_placeholders(stems)})"]
    params: list = [*keys, *stems]
    for stem in stems:
        if len(stem) >= MIN_COMPOUND_STEM:
            conditions.append(f"key {like}")
            params.append(f"%{connection.ops.prep_for_like_query(stem)}%")
    if prefix:
        conditions.append(f"key {like}")
        params.append(f"{connection.ops.prep_for_like_query(prefix)}%")
    sql = (
        f"SELECT word, key, stem FROM {SearchWord._meta.db_table} "  # noqa: S608 (placeholders only)
        f"WHERE {' OR '.join(conditions)} LIMIT 5000"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _near(keys: list[str]) -> list[tuple[str, str, str]]:
    """Candidates for misspelt keys (one query): on PostgreSQL the trigram neighbours, on
    SQLite the words of about the same length. The typo rule is applied by the caller."""
    from ..models import SearchWord

    condition = Q()
    if connection.vendor == "postgresql":
        _trigram_lookup()
        for key in keys:
            condition |= Q(key__trigram_similar=key)
        words = SearchWord.objects.all()
    else:
        words = SearchWord.objects.annotate(length=Length("key"))
        for key in keys:
            typos = danish.allowed_typos(key)
            condition |= Q(length__gte=len(key) - typos, length__lte=len(key) + typos)
    return list(words.filter(condition).values_list("word", "key", "stem")[:20000])


def expand(keys: list[str], prefix_last: bool = False) -> list[Expansion]:
    """The expansion of each normalised query word: one query to the vocabulary, and a
    second only when a word is not in it (for typos). With ``prefix_last`` (suggestions
    while typing) the last word may also be the start of an index word."""
    if not keys:
        return []
    prefix = keys[-1] if prefix_last and len(keys[-1]) >= 2 else None
    rows = _known(keys, prefix)
    expansions = []
    for key in keys:
        stem = danish.stem(key)
        found = Expansion(key, stem)
        ranked: list[tuple[int, int, str, str]] = []
        for word, word_key, word_stem in rows:
            if word_key == key:
                ranked.append((0, 0, word, EXACT))
            elif word_stem == stem:
                ranked.append((1, len(word_key), word, STEM))
            elif (len(stem) >= MIN_COMPOUND_STEM and stem in word_key) or (
                prefix and key == prefix and word_key.startswith(prefix)
            ):
                ranked.append((2, len(word_key), word, COMPOUND))
        ranked.sort()
        for *_order, word, kind in ranked[:MAX_VARIANTS]:
            found.variants.setdefault(word, kind)
        expansions.append(found)
    # A word the index does not hold as such (only inside compounds, or not at all) may be
    # misspelt: its near neighbours join, and the nearest is offered as "Mente du".
    missing = [
        found
        for found in expansions
        if not {EXACT, STEM} & set(found.variants.values())
        and danish.allowed_typos(found.key)
        and not (prefix and found.key == prefix and found.variants)
    ]
    if missing:
        near_rows = _near([found.key for found in missing])
        for found in missing:
            typos = danish.allowed_typos(found.key)
            near = []
            for word, word_key, _word_stem in near_rows:
                if abs(len(word_key) - len(found.key)) > typos:
                    continue
                distance = DamerauLevenshtein.distance(found.key, word_key, score_cutoff=typos)
                if distance <= typos:
                    near.append((distance, len(word_key), word_key, word))
            near.sort()
            for _distance, _length, _word_key, word in near[:MAX_VARIANTS]:
                found.variants.setdefault(word, FUZZY)
            if near:
                found.suggestion = near[0][2]
    return expansions


def match_kind(token_key: str, expansion: Expansion) -> str | None:
    """How a word of a hit's title or summary (normalised) matches a query word."""
    if not token_key:
        return None
    if token_key == expansion.key:
        return EXACT
    token_stem = danish.stem(token_key)
    if token_stem == expansion.stem:
        return STEM
    if len(expansion.stem) >= MIN_COMPOUND_STEM and expansion.stem in token_key:
        return COMPOUND
    kind = expansion.keys.get(token_key)
    return FUZZY if kind == FUZZY else (COMPOUND if kind else None)


def weight(token_key: str, expansion: Expansion) -> float:
    """``WEIGHT`` of how ``token_key`` matches ``expansion`` (0 for no match), kept in the
    expansion for the next text with the same word."""
    found = expansion.weights.get(token_key)
    if found is None:
        kind = match_kind(token_key, expansion)
        found = expansion.weights[token_key] = WEIGHT[kind] if kind else 0.0
    return found
