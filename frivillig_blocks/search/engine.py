"""One search over all public content: the Danish query, every registered source, one
ranking.

1. The query's words are normalised and expanded through the vocabulary (vocabulary.py):
   word forms, compounds, and for a word not in the index its near neighbours.
2. Wagtail's index is matched once for the index words found, for the content types of
   every source (matching.py; all the query's words must match, and when nothing does,
   any of them may), best first; each source keeps what the public may see of its ids
   (one primary-key query on its public queryset), at most ``PER_SOURCE`` per source.
3. The hits of all sources are ranked together by where and how the words matched: in
   the title over the summary over the rest, exact over stemmed over compound over fuzzy;
   the engine's own rank orders what is otherwise equal. The same rule on both databases,
   so PostgreSQL and SQLite give the same answers.

The number of queries a search makes depends on the number of sources, never on the
amount of data.
"""

from __future__ import annotations

import html
import json
import types
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import AutoField, IntegerField
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks as wagtail_hooks
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Or, PlainText

from .. import hooks, links
from ..prepared import is_time
from . import danish, matching, vocabulary
from .sources import Entry, Hit, SearchSource, search_sources, source_model

#: The most hits made and ranked per source for the list of all kinds (a kind's count is
#: all its hits; its filter shows them), and for the one kind a visitor chose to see.
PER_SOURCE = 20
PER_KIND = 300
#: The most index entries one search reads (best first), for all kinds together.
MATCHES = 3000
#: "Bedste resultater": the first hits of all kinds together.
BEST = 5
#: How many words of a summary are shown around the first match.
SUMMARY_WORDS = 30

TITLE, SUMMARY, BODY = 3.0, 2.0, 0.5


@dataclass
class Kind:
    key: str
    label: str
    count: int
    #: The count is a lower bound: the match stopped at ``MATCHES`` index entries.
    more: bool = False
    #: How many of the kind's hits are in ``SearchResult.hits``.
    shown: int = 0


@dataclass
class SearchResult:
    query: str
    expansions: list[vocabulary.Expansion] = field(default_factory=list)
    #: Every hit ranked, best first (of the chosen kind, or of all kinds); a ``Hits``
    #: after a search, which makes a hit when it is read.
    hits: Sequence[Hit] = field(default_factory=list)
    #: The kinds with hits, in the sources' order, with their counts.
    kinds: list[Kind] = field(default_factory=list)
    kind: str | None = None
    #: "Mente du: …?": the query with its unknown words replaced by the nearest index words.
    suggestion: str | None = None

    @property
    def best(self) -> list[Hit]:
        return self.hits[:BEST]

    @property
    def total(self) -> int:
        return sum(kind.count for kind in self.kinds)

    @property
    def more(self) -> bool:
        """Some kind has more hits than were read (its count is a lower bound)."""
        return any(kind.more for kind in self.kinds)

    @property
    def trimmed(self) -> bool:
        """The list holds only the best of some kind: its filter shows the rest."""
        return any(kind.shown < kind.count for kind in self.kinds)

    def highlight(self, hits) -> None:
        """Highlight the query's words in the summaries of ``hits`` (the ones a page shows)."""
        for hit in hits:
            if not hit.highlighted:
                hit.highlighted = highlight(hit.summary or "", self.expansions)


def _wagtail_query(expansions: list[vocabulary.Expansion], all_words: bool):
    # A query word's forms are one flat ``Or`` (the PostgreSQL match reads it as one
    # clause, matching.py).
    clauses = [
        Or([PlainText(word) for word in expansion.variants])
        if len(expansion.variants) > 1
        else PlainText(next(iter(expansion.variants)))
        for expansion in expansions
        if expansion.found
    ]
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return And(clauses) if all_words else Or(clauses)


def _ids_in_order(model, found: list) -> tuple[dict, dict]:
    """The matched ``(content type, object id)`` pairs (best first) as ``model``'s primary
    keys: ``{pk: rank}``, and ``{pk: (content type, object id)}``."""
    pk = model._meta.pk
    # An integer key is read with int() (what ``to_python`` does for it, minus its checks).
    convert = int if isinstance(pk, AutoField | IntegerField) else pk.to_python
    order, where = {}, {}
    for type_id, object_id in found:
        try:
            key = convert(object_id)
        except (ValidationError, TypeError, ValueError):  # an id the model cannot hold
            continue
        if key not in order:
            order[key] = len(order)
            where[key] = (type_id, object_id)
    return order, where


def _in_ids(column: str, ids: list[int]) -> tuple[str, list]:
    """``column`` among ``ids``, with ``ids`` as one parameter (an array on PostgreSQL, a JSON
    array on SQLite): a test over up to ``MATCHES`` ids costs one parameter, not one each.
    On PostgreSQL an ``= ANY`` of the array, which the planner reads as a list of values
    (a join with its ``unnest`` it guessed at one row, and looped over)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]  # noqa: S608


@dataclass
class _Public:
    """What the public may see of a source, as the search needs it: its model and related
    rows (``select_related``), and its primary keys as SQL (``None`` for a key that is not
    an integer: the ORM then filters ``queryset``, built for this search)."""

    model: type
    select_related: object
    sql: str | None = None
    params: list = field(default_factory=list)
    #: The positions in ``params`` of the time the queryset was built ("now").
    now_at: tuple[int, ...] = ()
    queryset: object = None

    def at(self, now) -> _Public:
        """The same SQL with "now" at ``now``."""
        if not self.now_at:
            return self
        params = list(self.params)
        for index in self.now_at:
            params[index] = connection.ops.adapt_datetimefield_value(now)
        return _Public(self.model, self.select_related, self.sql, params, self.now_at)


#: Each source's compiled ``_Public`` by its key and its queryset function's code: a
#: queryset is built and compiled once per process, not at every search.
_compiled: dict[tuple, _Public] = {}


def _compiled_key(source: SearchSource) -> tuple | None:
    """The cache key of a source's queryset function: a plain function's code, with what
    its closure holds when that is classes and modules only (a model imported in the
    function that made it); None for anything else (a closure over other values, a
    partial, a method), whose state the code does not say."""
    function = source.queryset
    code = getattr(function, "__code__", None)
    if code is None or getattr(function, "__self__", None) is not None:
        return None
    try:
        held = tuple(cell.cell_contents for cell in function.__closure__ or ())
    except ValueError:  # a cell not filled yet
        return None
    if not all(isinstance(value, type | types.ModuleType) for value in held):
        return None
    return (connection.alias, source.key, code, held)


def _compile(source: SearchSource) -> tuple[_Public, bool]:
    """The source's ``_Public`` from its queryset, and whether it may be kept for the next
    searches: only when building it read nothing from the database and its parameters hold
    no time but the moment it was built ("now", put in afresh at each search); a date or
    time of any other kind (yesterday, today's date) leaves it built at every search."""
    adapt = connection.ops.adapt_datetimefield_value
    before = timezone.now()
    ran: list[str] = []

    def note(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        queryset = source.queryset()
        model = queryset.model
        select_related = queryset.query.select_related
        if not isinstance(model._meta.pk, AutoField | IntegerField):
            return _Public(model, select_related, queryset=queryset), False
        values = queryset.values_list("pk")
        values.query.clear_ordering(force=True)  # a fresh clone: no copy more for it
        sql, params = values.query.sql_with_params()
    low, high = adapt(before), adapt(timezone.now())
    keep = not ran
    now_at = []
    for index, value in enumerate(params):
        if not is_time(value):
            continue
        try:
            is_now = type(value) is type(low) and low <= value <= high
        except TypeError:  # a naive time beside an aware one
            is_now = False
        if is_now:
            now_at.append(index)
        else:
            keep = False
    return _Public(model, select_related, sql, list(params), tuple(now_at)), keep


def _public(source: SearchSource) -> _Public:
    key = _compiled_key(source)
    compiled = _compiled.get(key) if key is not None else None
    if compiled is not None:
        return compiled.at(timezone.now())
    public, keep = _compile(source)
    if key is not None and keep:
        _compiled[key] = public
    return public


def _visible_ids(publics: dict[str, _Public], wanted: dict) -> dict[str, list]:
    """Which of each source's matched ids the public may see, best first: one query for all
    sources with integer keys (a UNION of their public primary keys, each kept to its
    matched ids), one each for any other."""
    parts, params, alone = [], [], []
    for index, (key, order) in enumerate(wanted.items()):
        public = publics[key]
        if public.sql is not None:
            among, among_params = _in_ids("visible.pk", list(order))
            # Each kind's public primary keys as the ORM compiled them, tagged with the
            # kind's index (an integer of ours, not input), kept to the matched ids outside
            # (both databases push the test into the subquery) and joined with UNION ALL by
            # hand: the ORM's UNION of annotated querysets cost more to build than the
            # statement to run.
            parts.append(
                f"SELECT {index:d} AS kind, visible.pk FROM ({public.sql}) visible WHERE {among}"  # noqa: S608
            )
            params.extend([*public.params, *among_params])
        else:
            alone.append((index, public.queryset.filter(pk__in=list(order)).order_by()))
    rows = []
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows.extend(cursor.fetchall())
    for index, queryset in alone:
        rows.extend((index, pk) for pk in queryset.values_list("pk", flat=True))
    keys = list(wanted)
    visible: dict[str, list] = {key: [] for key in keys}
    for index, pk in rows:
        visible[keys[index]].append(pk)
    for key, pks in visible.items():
        pks.sort(key=wanted[key].__getitem__)
    return visible


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _objects(queryset, pks: list) -> list:
    """The objects of ``pks`` in that order."""
    if not pks:
        return []
    order = {pk: index for index, pk in enumerate(pks)}
    return sorted(queryset.filter(pk__in=pks).order_by(), key=lambda obj: order[obj.pk])


def _tokens(text: str) -> list[str]:
    return [danish.normalise(word) for word in danish.words(text)]


def _field_score(tokens: set[str], expansion: vocabulary.Expansion) -> float:
    best = 0.0
    for token in tokens:
        weight = vocabulary.weight(token, expansion)
        if weight > best:
            best = weight
            if best == 1.0:
                break
    return best


def score(hit: Hit, expansions: list[vocabulary.Expansion], position: float) -> float:
    """Title over summary over the rest, exact over stemmed over compound over fuzzy; among
    titles, the one the query covers more of (a short title that is the query itself
    first); then the source's own lift (``hit.boost``) and the engine's rank (``position``:
    1 for the source's first hit, towards 0 for its last)."""
    title = [token for token in _tokens(hit.title) if token not in danish.STOP_WORDS]
    # Each word once: a field scores by its best word.
    title_words, summary_words = set(title), set(_tokens(hit.summary))
    total = 0.0
    matched_in_title = 0.0
    for expansion in expansions:
        if not expansion.found:
            continue
        in_title = _field_score(title_words, expansion)
        in_summary = _field_score(summary_words, expansion)
        matched_in_title += in_title
        total += max(in_title * TITLE, in_summary * SUMMARY, BODY)
    if title and matched_in_title:
        total += TITLE * 0.25 * matched_in_title / len(title)
    return round(total, 6) + min(max(hit.boost, 0.0), 0.5) + position * 0.1


def highlight(text: str, expansions: list[vocabulary.Expansion]) -> SafeString:
    """The summary around its first match, escaped, its matching words in ``<mark>``."""
    parts = danish.WORD.split(text)
    matches = danish.WORD.findall(text)
    found = [expansion for expansion in expansions if expansion.found]
    marked = [any(vocabulary.weight(danish.normalise(word), e) for e in found) for word in matches]
    start = 0
    if True in marked and marked.index(True) > SUMMARY_WORDS // 2:
        start = marked.index(True) - SUMMARY_WORDS // 3
    end = min(len(matches), start + SUMMARY_WORDS)
    out = ["… " if start else html.escape(parts[0])]
    for index in range(start, end):
        word = matches[index]  # letters and digits only (danish.WORD): nothing to escape
        out.append(f"<mark>{word}</mark>" if marked[index] else word)
        if index + 1 < end:
            out.append(html.escape(parts[index + 1]))
    if end < len(matches):
        out.append(" …")
    elif matches:
        out.append(html.escape(parts[end]))
    return mark_safe("".join(out))  # noqa: S308 (every part is escaped above)


def _suggestion(expansions: list[vocabulary.Expansion]) -> str | None:
    if not any(expansion.suggestion for expansion in expansions):
        return None
    return " ".join(expansion.suggestion or expansion.key for expansion in expansions)


@dataclass
class _Ranked:
    """A hit ranked from its index rows: which source, which object, how good."""

    source: SearchSource
    pk: object
    title: str
    score: float = 0.0
    #: What the index keeps of it (None: indexed before the index kept entries).
    entry: Entry | None = None
    #: The hit, once made (or made already when the index kept no entry for it).
    hit: Hit | None = None


class Hits(Sequence):
    """The ranked hits of a search. Their order and number come from the index rows alone;
    a hit itself (its object, its link, its date) is made only when it is read: a page of
    results reads its ten, one query per kind among them, never all of them."""

    def __init__(self, ranked: list[_Ranked], request, publics: dict, looked_up: dict):
        self._ranked = ranked
        self._request = request
        self._publics = publics
        self._looked_up = looked_up
        self._made: set[int] = set()

    def __len__(self) -> int:
        return len(self._ranked)

    def __getitem__(self, item):
        if isinstance(item, slice):
            indices = range(*item.indices(len(self._ranked)))
            self._make(indices)
            return [self._ranked[i].hit for i in indices if self._ranked[i].hit is not None]
        index = range(len(self._ranked))[item]
        self._make([index])
        return self._ranked[index].hit

    def __iter__(self):
        return iter(self[:])

    def __eq__(self, other):
        if isinstance(other, list | tuple):
            return self[:] == list(other)
        return NotImplemented

    __hash__ = None

    def _make(self, indices) -> None:
        wanted = [index for index in indices if index not in self._made]
        if not wanted:
            return
        by_source: dict[str, list[_Ranked]] = {}
        for index in wanted:
            self._made.add(index)
            ranked = self._ranked[index]
            if ranked.hit is None:
                by_source.setdefault(ranked.source.key, []).append(ranked)
        with links.one_lookup_per_section(self._looked_up):
            for key, of_source in by_source.items():
                source = of_source[0].source
                objects = _objects(
                    _unfiltered(self._publics[key]), [ranked.pk for ranked in of_source]
                )
                if source.entry_hits is not None:
                    stored = {ranked.pk: ranked.entry for ranked in of_source}
                    made = source.entry_hits(
                        self._request, objects, [stored[obj.pk] for obj in objects]
                    )
                else:
                    made = source.hits(self._request, objects)
                found = dict(zip((obj.pk for obj in objects), made, strict=True))
                for ranked in of_source:
                    hit = found.get(ranked.pk)
                    if hit is not None:
                        hit.kind, hit.kind_label = source.key, str(source.label)
                        hit.score = ranked.score
                    ranked.hit = hit


def _unfiltered(public: _Public):
    """The source's model with its related rows (``select_related``), without its filters:
    the visibility query has just said which of its objects the public may see."""
    unfiltered = public.model._default_manager.all()
    unfiltered.query.select_related = public.select_related
    return unfiltered


def _entries(where: dict[str, dict], candidates: dict[str, list]) -> dict[tuple, Entry]:
    """The stored entries (models.SearchEntry) of the ``candidates`` (pks by source key):
    one query for all sources; ``where[key][pk]`` is the (content type, object id) the
    match found it under."""
    from ..models import SearchEntry

    wanted: dict[int, list[str]] = {}
    back = {}
    for key, pks in candidates.items():
        for pk in pks:
            content_type_id, object_id = where[key][pk]
            wanted.setdefault(content_type_id, []).append(object_id)
            back[content_type_id, object_id] = (key, pk)
    if not wanted:
        return {}
    # Two IN lists (an object id of one type may come back for another: left out here),
    # written out: the ORM's filter cost more to build than the statement to run.
    object_ids = [object_id for ids in wanted.values() for object_id in ids]
    sql = (
        "SELECT content_type_id, object_id, title, summary, boost "  # noqa: S608 (placeholders only)
        f"FROM {SearchEntry._meta.db_table} WHERE content_type_id IN ({_placeholders(wanted)}) "
        f"AND object_id IN ({_placeholders(object_ids)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*wanted, *object_ids])
        rows = cursor.fetchall()
    return {
        back[type_id, object_id]: Entry(title, summary, boost)
        for type_id, object_id, title, summary, boost in rows
        if (type_id, object_id) in back
    }


def _run(request, backend, sources, expansions, wagtail_query, kind, limit, looked_up):
    types = {source.key: matching.content_types(source_model(source)) for source in sources}
    type_ids = sorted({type_id for ids in types.values() for type_id in ids})
    matches = matching.best_matches(backend, wagtail_query, type_ids, MATCHES)
    capped = len(matches) >= MATCHES
    by_type: dict[int, list] = {}
    for row in matches:
        by_type.setdefault(row[0], []).append(row)
    wanted, where = {}, {}
    for source in sources:
        of_types = [type_id for type_id in types[source.key] if type_id in by_type]
        if not of_types:
            continue
        if len(of_types) == 1:
            found = by_type[of_types[0]]
        else:  # several types (pages): the match's order across them
            types_of = set(of_types)
            found = [row for row in matches if row[0] in types_of]
        if found:
            model = source_model(source)
            wanted[source.key], where[source.key] = _ids_in_order(model, found)
    # Only the kinds the match found read their public SQL.
    publics = {source.key: _public(source) for source in sources if source.key in wanted}
    visible = _visible_ids(publics, wanted) if wanted else {}
    kinds: list[Kind] = []
    candidates: dict[str, list] = {}
    for source in sources:
        pks = visible.get(source.key)
        if not pks:
            continue
        chosen = source.key == kind
        shown_limit = 0 if kind and not chosen else PER_KIND if chosen else limit
        candidates[source.key] = pks[:shown_limit]
        kinds.append(Kind(source.key, str(source.label), len(pks), capped, len(pks[:shown_limit])))
    entries = _entries(where, candidates)
    ranked: list[tuple[_Ranked, int]] = []
    for source in sources:
        pks = candidates.get(source.key)
        if not pks:
            continue
        made = _without_entries(request, source, pks, entries, looked_up)
        for position, pk in enumerate(pks):
            entry = entries.get((source.key, pk))
            hit = None
            if entry is None:  # indexed before the index kept entries: made from the object
                hit = made.get(pk)
                if hit is None:
                    continue
                entry = Entry(hit.title, hit.summary, hit.boost)
                hit.kind, hit.kind_label = source.key, str(source.label)
            item = _Ranked(
                source,
                pk,
                entry.title,
                score(entry, expansions, 1 - position / len(pks)),
                entry if hit is None else None,
            )
            if hit is not None:
                hit.score = item.score
                item.hit = hit
            ranked.append((item, source.order))
    ranked.sort(key=lambda pair: (-pair[0].score, pair[1], pair[0].title.casefold()))
    return kinds, Hits([item for item, _order in ranked], request, publics, looked_up)


def _without_entries(request, source, pks, entries, looked_up) -> dict:
    """The hits of ``pks`` the index keeps no entry of (indexed before it kept them, until
    the next ``update_index``), made from their objects."""
    missing = [pk for pk in pks if (source.key, pk) not in entries]
    if not missing:
        return {}
    with links.one_lookup_per_section(looked_up):
        objects = _objects(source.queryset(), missing)
        return {
            obj.pk: hit
            for obj, hit in zip(objects, source.hits(request, objects), strict=True)
            if hit is not None
        }


def search(
    request,
    query: str,
    kind: str | None = None,
    limit: int = PER_SOURCE,
    while_typing: bool = False,
):
    """Search every source for ``query``; ``kind`` (a source's key) keeps only its hits,
    while the kinds and their counts stay those of the whole search. ``while_typing``
    (the suggestions) reads the last word as the start of a word and counts no miss."""
    keys = danish.query_words(query)
    result = SearchResult(query=query)
    if keys:
        result.expansions = expansions = vocabulary.expand(keys, prefix_last=while_typing)
        result.suggestion = _suggestion(expansions)
        sources = search_sources()
        result.kind = kind if kind in {source.key for source in sources} else None
        backend = get_search_backend()
        # All the words first; when that finds nothing, any of them. Kinds that link into
        # the same section (rooms and equipment, associations and initiatives) read its
        # page once, whichever hits are read.
        looked_up: dict = {}
        for all_words in (True, False):
            wagtail_query = _wagtail_query(expansions, all_words)
            if wagtail_query is None:
                break
            result.kinds, result.hits = _run(
                request, backend, sources, expansions, wagtail_query, result.kind, limit, looked_up
            )
            if result.kinds or sum(e.found for e in expansions) < 2:
                break
    if not result.kinds and query.strip() and not while_typing:
        words = " ".join(word.lower() for word in danish.words(query))[:200]
        for fn in wagtail_hooks.get_hooks(hooks.SEARCH_MISSES):
            fn(request, words)
    return result
