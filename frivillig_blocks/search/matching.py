"""One full-text match over Wagtail's index for all kinds at once.

Wagtail's backends search one model per query; a search over every kind would run the
full-text match once per kind. This runs it once over Wagtail's own index table (its
``IndexEntry``, through the backend's own query compiler, so the match and the rank are
Wagtail's), for the content types of every source, best first. What the public may see is
decided in the same query: each index entry is kept only when its object is in its
source's public queryset (``EXISTS`` on that queryset by primary key), so the ids come
back visible, ranked, and counted in one go.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    AutoField,
    BigIntegerField,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
)
from django.db.models.functions import Cast
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page


def content_types(model) -> list[int]:
    return list(get_descendants_content_types_pks(model))


def best_matches(backend, query, visible: list, limit: int) -> list[tuple[str, tuple]]:
    """The index entries matching ``query`` (a Wagtail search query) whose object the public
    may see, best first, at most ``limit``: each as its object id and the sources that show
    it (their positions in ``visible``, which lists ``(content type ids, public queryset)``
    per source; two sources may share a content type, as rooms and equipment do)."""
    compiler = backend.query_compiler_class(Page.objects.none(), query)
    if connection.vendor == "sqlite":
        matched, prefix = _sqlite(compiler, query), "index_entry__"
    elif connection.vendor == "postgresql":
        matched, prefix = _postgres(backend, compiler, query), ""
    else:
        raise NotImplementedError(
            f"The site search needs SQLite or PostgreSQL, not {connection.vendor}."
        )
    owners: dict[int, list[int]] = {}
    for position, (type_ids, _queryset) in enumerate(visible):
        for type_id in type_ids:
            owners.setdefault(type_id, []).append(position)
    shared = sorted({p for positions in owners.values() if len(positions) > 1 for p in positions})
    publics = [_public(queryset, f"{prefix}object_id") for _type_ids, queryset in visible]
    condition = Q()
    for position, (type_ids, _queryset) in enumerate(visible):
        condition |= Q(**{f"{prefix}content_type_id__in": type_ids}) & publics[position]
    flags = {f"_shown_by_{position}": publics[position] for position in shared}
    rows = (
        matched.filter(Q(**{f"{prefix}content_type_id__in": sorted(owners)}) & condition)
        .annotate(**flags)
        .values_list(f"{prefix}content_type_id", f"{prefix}object_id", *flags)
    )
    found = []
    for type_id, object_id, *shown in rows[:limit]:
        positions = owners[type_id]
        if len(positions) > 1:
            by = dict(zip(shared, shown, strict=True))
            positions = [position for position in positions if by[position]]
        found.append((object_id, tuple(positions)))
    return found


def _public(queryset, object_id: str) -> Exists:
    """The index entry's object (its id at ``object_id``) is in ``queryset``: a lookup by
    primary key."""
    key = queryset.model._meta.pk
    while key.is_relation:  # a child model's key is its parent's
        key = key.target_field
    outer = OuterRef(object_id)
    if isinstance(key, AutoField | IntegerField):
        public = queryset.filter(pk=Cast(outer, BigIntegerField()))
    else:  # a key of another type: compared as the index holds it, as text
        public = queryset.alias(_key=Cast("pk", CharField())).filter(_key=outer)
    return Exists(public.order_by().values("pk"))


def _sqlite(compiler, query):
    """The index entries matching ``query``, best first (BM25: the lower, the better)."""
    from modelsearch.backends.database.sqlite.query import MatchExpression
    from modelsearch.backends.database.sqlite.query import normalize as normalised
    from wagtail.search.models import SQLiteFTSIndexEntry

    match = MatchExpression(
        compiler.FTS_TABLE_FIELDS, compiler.build_search_query(normalised(query))
    )
    rank = compiler._build_rank_expression(compiler.get_search_vectors(), None)
    return (
        SQLiteFTSIndexEntry.objects.filter(match)
        .annotate(score=rank)
        .order_by("score", "index_entry_id")
    )


def _postgres(backend, compiler, query):
    """The index entries matching ``query``, best first."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import CombinedExpression
    from wagtail.search.models import IndexEntry

    config = backend.config
    search_query = compiler.build_tsquery(query, config=config)
    vector = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
    rank = compiler.build_tsrank(F("title"), query, config=config) * F(
        "title_norm"
    ) + compiler.build_tsrank(F("body"), query, config=config)
    return (
        IndexEntry.objects.annotate(_vector_=vector)
        .filter(_vector_=search_query)
        .annotate(score=rank)
        .order_by("-score", "id")
    )
