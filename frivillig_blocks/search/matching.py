"""One full-text match over Wagtail's index for all kinds at once.

Wagtail's backends search one model per query; a search over every kind would run the
full-text match once per kind. This runs it once over Wagtail's own index table (its
``IndexEntry``, through the backend's own query compiler, so the match and the rank are
Wagtail's), for the content types of every source, best first; each source then keeps what
the public may see of its ids with one primary-key query (engine.py).
"""

from __future__ import annotations

import functools
import re

from django.db import connection
from django.db.models import F, Q
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page


@functools.cache
def _content_types(model) -> tuple[int, ...]:
    return tuple(get_descendants_content_types_pks(model))


def content_types(model) -> list[int]:
    """The content types of ``model`` and its subclasses (read once per process: looking
    them up walks every installed model)."""
    return list(_content_types(model))


def best_matches(backend, query, type_ids: list[int], limit: int) -> list[tuple[int, str]]:
    """``(content type id, object id)`` of the index entries matching ``query`` (a Wagtail
    search query) among ``type_ids``, best first, at most ``limit``."""
    compiler = backend.query_compiler_class(Page.objects.none(), query)
    if connection.vendor == "sqlite":
        return _sqlite(compiler, query, type_ids, limit)
    if connection.vendor == "postgresql":
        return _postgres(backend, compiler, query, type_ids, limit)
    raise NotImplementedError(
        f"The site search needs SQLite or PostgreSQL, not {connection.vendor}."
    )


def _rank_sql(query) -> str:
    """Wagtail's rank of an entry for ``query`` (``build_tsrank`` of its SQLite backend) as
    SQL over ``b``, the entry's ``bm25()``: the same expression term by term (FTS5's
    ``bm25()`` is one number for the whole match, so Wagtail's expression repeats it once
    per word of the query), with ``bm25()`` computed once per row instead of twice per
    word."""
    from modelsearch.query import And, Not, Or, Phrase, PlainText
    from modelsearch.utils import balanced_reduce

    if isinstance(query, Phrase | PlainText | Not):
        return "b"
    if isinstance(query, And):
        factors = [f"(1 + {_rank_sql(subquery)})" for subquery in query.subqueries]
        return f"({balanced_reduce(lambda x, y: f'({x} * {y})', factors)} - 1)"
    if isinstance(query, Or):
        terms = [_rank_sql(subquery) for subquery in query.subqueries]
        total = balanced_reduce(lambda x, y: f"({x} + {y})", terms)
        return f"({total} / {len(query.subqueries) or 1})"
    raise NotImplementedError(f"No rank for {type(query).__name__}")


def _sqlite(compiler, query, type_ids, limit):
    """The match as Wagtail's SQLite backend makes it (its MATCH string and its rank), in
    one statement that computes each entry's ``bm25()`` once."""
    from modelsearch.backends.database.sqlite.query import MatchExpression
    from modelsearch.backends.database.sqlite.query import normalize as normalised
    from wagtail.search.models import IndexEntry, SQLiteFTSIndexEntry

    if not type_ids:
        return []
    fts, entries = SQLiteFTSIndexEntry._meta.db_table, IndexEntry._meta.db_table
    match = MatchExpression(
        compiler.FTS_TABLE_FIELDS, compiler.build_search_query(normalised(query))
    )
    sql_compiler = SQLiteFTSIndexEntry.objects.none().query.get_compiler(connection=connection)
    match_sql, match_params = match.as_sql(sql_compiler, connection)
    rank = _rank_sql(query)
    types = ", ".join(["%s"] * len(type_ids))
    # Table names, placeholders and the rank's fixed tokens only: the query's text is the
    # MATCH parameter.
    sql = (
        f'WITH found AS MATERIALIZED (SELECT e."content_type_id" AS type_id, '  # noqa: S608
        f'e."object_id" AS object_id, e."title_norm" AS title_norm, "{fts}"."rowid" AS row, '
        f'bm25("{fts}") AS b FROM "{fts}" INNER JOIN "{entries}" e ON "{fts}"."rowid" = e."id" '
        f'WHERE {match_sql} AND e."content_type_id" IN ({types})) '
        f"SELECT type_id, object_id FROM found "
        f"ORDER BY (({rank} * title_norm) + ({rank} * 1.0)) ASC, row ASC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match_params, *type_ids, limit])
        return cursor.fetchall()


def _sqlite_reference(compiler, query, type_ids, limit):
    """The same match through the ORM with Wagtail's own rank expression (``bm25()`` twice
    per word): what ``_sqlite`` must return, row for row (tests/search)."""
    from modelsearch.backends.database.sqlite.query import MatchExpression
    from modelsearch.backends.database.sqlite.query import normalize as normalised
    from wagtail.search.models import SQLiteFTSIndexEntry

    match = MatchExpression(
        compiler.FTS_TABLE_FIELDS, compiler.build_search_query(normalised(query))
    )
    rank = compiler._build_rank_expression(compiler.get_search_vectors(), None)
    rows = (
        SQLiteFTSIndexEntry.objects.filter(match)
        .filter(index_entry__content_type_id__in=type_ids)
        .annotate(score=rank)
        .order_by("score", "index_entry_id")  # BM25: the lower, the better
        .values_list("index_entry__content_type_id", "index_entry__object_id")
    )
    return list(rows[:limit])


def _postgres(backend, compiler, query, type_ids, limit):
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import CombinedExpression
    from wagtail.search.models import IndexEntry

    config = backend.config
    search_query = compiler.build_tsquery(query, config=config)
    vector = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
    rank = compiler.build_tsrank(F("title"), query, config=config) * F(
        "title_norm"
    ) + compiler.build_tsrank(F("body"), query, config=config)
    # The title's and the body's GIN indexes find the entries holding any of the words
    # (a bitmap OR of the two); the whole query is then checked on those rows only, over
    # title and body together (a query's words may be split between the two).
    any_word = compiler.build_tsquery(_any_word(query), config=config)
    rows = IndexEntry.objects.filter(content_type_id__in=type_ids).filter(
        Q(title=any_word) | Q(body=any_word)
    )
    if not _only_any_word(query):  # else the prefilter is the whole query
        rows = rows.annotate(_vector_=vector).filter(_vector_=search_query)
    rows = (
        rows.annotate(score=rank)
        .order_by("-score", "id")
        .values_list("content_type_id", "object_id")
    )
    return list(rows[:limit])


#: One word of an index word's letters and digits: a single lexeme (no space or hyphen that
#: Wagtail's compiler, or PostgreSQL's parser, would split it at).
_ONE_WORD = re.compile(r"[^\W_]+")


def _only_any_word(query) -> bool:
    """The query matches when any of its words does (an OR of single words): its prefilter
    ``_any_word`` over title and body is then the whole match, and the title and body need
    not be joined for it."""
    from modelsearch.query import Or, PlainText

    if isinstance(query, PlainText):
        return _ONE_WORD.fullmatch(query.query_string) is not None
    if isinstance(query, Or):
        return all(_only_any_word(subquery) for subquery in query.subqueries)
    return False


def _any_word(query):
    """The query with every word optional: an OR of its words (a prefilter that the title's
    and the body's indexes answer)."""
    from modelsearch.query import And, Or, PlainText

    if isinstance(query, PlainText):  # a text of several lexemes: any of them
        return PlainText(query.query_string, operator="or")
    if isinstance(query, And | Or):
        words = []
        for subquery in query.subqueries:
            found = _any_word(subquery)
            words.extend(found.subqueries if isinstance(found, Or) else [found])
        return Or(words)
    return query
