"""The contract between the site search and the apps that give it content.

An app registers ``fn() -> iterable[SearchSource]`` under ``hooks.SEARCH_SOURCES`` (in its
integration.py; wagtail_hooks.py only registers). The search engine (engine.py) runs the
Danish query against each source's ``queryset()`` through Wagtail's search backend, ranks
the hits of all sources together, and asks each source to turn the objects it found into
``Hit`` objects with ``hits(request, objects)``, once per source and search (so a source
resolves its links for all its objects in one or a few queries, never one per object).

``queryset()`` is the whole visibility rule: only what the public may see (published,
approved, not expired, not hidden by moderation). Its SQL runs at every search, so a
change of state (publish, moderate, expire) shows on the next request without touching
the index. The engine compiles it once per process (engine._public): the only thing that
may change between searches is the time, read as ``timezone.now()`` and put in afresh at
each search; a queryset with another date (yesterday, today's date) or one that reads the
database while it is built is built again at every search, and it must not depend on the
request, the language or a setting read from a cache. Its model is ``wagtail.search.index.Indexed`` and its ``search_fields`` hold
only public text: never a borrower, a poster's address or another personal detail. Use a
``SearchField("title", boost=…)`` for the name a citizen sees as the hit's title.

``entry(obj) -> Entry`` gives what the search ranks by without reading the object: the
hit's title, its summary and the source's lift, the same as ``hits`` makes of it. The
search backend stores it beside Wagtail's index entry whenever Wagtail indexes ``obj``
(``models.SearchEntry``), so a search reads objects, section pages and links only for the
hits a page shows. A source without ``entry`` is ranked by the title Wagtail indexed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wagtail import hooks as wagtail_hooks

from .. import hooks


@dataclass
class Hit:
    """One result as the results page shows it. ``summary`` is plain text (the engine
    escapes it and highlights the words); ``date`` is shown beside the kind (an event's next
    date, a course's first open session)."""

    title: str
    url: str
    summary: str = ""
    date: datetime.date | datetime.datetime | None = None
    #: A small lift the source gives among equal matches (0 to 0.5): a section's own page
    #: before its sub-pages.
    boost: float = 0.0
    #: Set by the engine: the source's key and label, the score, the highlighted summary.
    kind: str = ""
    kind_label: str = ""
    score: float = 0.0
    highlighted: str = ""


@dataclass(frozen=True)
class Entry:
    """What the index keeps of a hit for the ranking (see ``SearchSource.entry``)."""

    title: str
    summary: str = ""
    boost: float = 0.0


@dataclass(frozen=True)
class SearchSource:
    """One kind of public content. ``key`` is unique and stable (it is the filter's value in
    the URL: ``?type=events``); ``label`` is the kind's plural name for the filter and the
    hit ("Arrangementer"); ``order`` breaks ties between equal scores and orders the
    filters."""

    key: str
    label: str
    queryset: Callable[[], object]
    hits: Callable[[object, list], Iterable[Hit | None]]
    order: int = 100
    entry: Callable[[object], Entry] | None = None
    #: ``entry_hits(request, objects, entries)``: the hits of ``objects`` made with their
    #: stored entries (an ``Entry``, or None where the index kept none), so what the
    #: entries hold (a page's summary) is not read again; the engine uses it instead of
    #: ``hits`` when given.
    entry_hits: Callable[[object, list, list], Iterable[Hit | None]] | None = None


def search_sources() -> list[SearchSource]:
    """Every installed app's sources, in their order (an app not installed adds none)."""
    sources: list[SearchSource] = []
    for fn in wagtail_hooks.get_hooks(hooks.SEARCH_SOURCES):
        sources.extend(source for source in (fn() or ()) if source is not None)
    keys = [source.key for source in sources]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise ValueError(f"Two search sources share a key: {sorted(duplicates)}")
    return sorted(sources, key=lambda source: (source.order, source.key))


#: Each source's model by its key (a source's queryset is built at every search; its model
#: does not change while the process runs).
_models: dict[str, type] = {}


def source_model(source: SearchSource) -> type:
    model = _models.get(source.key)
    if model is None:
        model = _models[source.key] = source.queryset().model
    return model


def entry_for(model) -> Callable[[object], Entry] | None:
    """The ``entry`` function of the first source whose model ``model`` is (or inherits)."""
    for source in search_sources():
        if source.entry is not None and issubclass(model, source_model(source)):
            return source.entry
    return None
