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


def _clauses(query) -> tuple[bool, list[list[str]]] | None:
    """The engine's query as ``(all_words, clauses)``, each clause the words of which any
    may match (a query word's forms, engine.py): a single word, an ``Or`` of words, an
    ``And`` of such clauses (all of them must match) or an ``Or`` of them (any may). None
    for any other shape, or for a "word" that is not one lexeme."""
    from modelsearch.query import And, Or, PlainText

    def words(part) -> list[str] | None:
        if isinstance(part, PlainText):
            return [part.query_string] if _ONE_WORD.fullmatch(part.query_string) else None
        if isinstance(part, Or) and all(isinstance(sub, PlainText) for sub in part.subqueries):
            found = [words(subquery) for subquery in part.subqueries]
            if found and None not in found:
                return [word for of_part in found for word in of_part]
        return None

    single = words(query)
    if single is not None:
        return True, [single]
    if isinstance(query, And | Or) and query.subqueries:
        clauses = [words(subquery) for subquery in query.subqueries]
        if None not in clauses:
            return isinstance(query, And), clauses
    return None


#: A ``tsquery`` matching any of the words of one text parameter, each lexeme once (see
#: ``_postgres``). A lexeme holds letters and digits only (the words are ``_ONE_WORD``),
#: so quoting it needs no escaping; a text of stop words only gives the empty query, which
#: matches nothing (as Wagtail's ``to_tsquery`` of a stop word does).
_LEXEMES = (
    "(SELECT CASE WHEN length(v) = 0 THEN ''::tsquery ELSE "
    "('''' || array_to_string(tsvector_to_array(v), ''' | ''') || '''')::tsquery END "
    "FROM (SELECT {vector} AS v) words)"
)


def _postgres(backend, compiler, query, type_ids, limit):
    """The match as one statement over Wagtail's index table: the entries holding every
    clause (any, for an ``Or``) in their title or their body (a query's words may be split
    between the two), found through the title's and the body's GIN indexes, ranked as
    Wagtail ranks (``ts_rank`` with its weights, the title's times its ``title_norm``
    plus the body's; an ``And`` multiplies ``1 + rank`` of its clauses, an ``Or``
    averages them), best first.

    Each clause is one ``tsquery`` of its words' distinct lexemes (``_LEXEMES``), ranked
    once. Wagtail's own query has a ``to_tsquery`` per word form, so the forms of one stem
    (frivillig, frivillige, frivilligt) were the same lexeme several times: ranked once
    each (22 ``ts_rank`` per entry for »frivillig«), and counted by the planner as that
    many words, so that it read every entry rather than the GIN indexes; and all the words
    were checked on the title and body joined, for every entry holding any of them
    (issue #22, at fifty times the demo: a word with many hits 20 ms against 7, two words
    12 against 2). A query of another shape is matched through Wagtail's own expressions
    (``_postgres_expressions``)."""
    from wagtail.search.models import IndexEntry

    shape = _clauses(query)
    if shape is None:
        return _postgres_expressions(backend, compiler, query, type_ids, limit)
    if not type_ids:
        return []
    all_words, clauses = shape
    config = backend.config
    vector = "to_tsvector(%s::regconfig, %s)" if config else "to_tsvector(%s)"
    lexemes = _LEXEMES.format(vector=vector)
    texts = [" ".join(words) for words in clauses]
    if not all_words and len(texts) > 1:  # any of the words: one clause of them all
        texts.append(" ".join(texts))
    # Each clause's query worked out once: a CTE read by sub-selects (initplans, which the
    # GIN index scans take as their condition).
    columns, params = [], []
    for index, text in enumerate(texts):
        columns.append(f"{lexemes} AS q{index:d}")
        params.extend([config, text] if config else [text])
    clause = [f"(SELECT q{index:d} FROM q)" for index in range(len(clauses))]  # noqa: S608
    # A clause of single lexemes matches the title and the body together when it matches
    # either: all the words are a bitmap AND of a bitmap OR of the two indexes per clause,
    # any of them one bitmap OR.
    wanted = clause if all_words else [f"(SELECT q{len(texts) - 1:d} FROM q)"]  # noqa: S608
    where = " AND ".join(f"(e.title @@ {part} OR e.body @@ {part})" for part in wanted)

    def rank(column: str) -> str:
        ranks = [f"ts_rank(%s::float4[], e.{column}, {part})" for part in clause]
        if len(ranks) == 1:
            return ranks[0]
        if all_words:
            return "(" + " * ".join(f"(1 + {one})" for one in ranks) + " - 1)"
        return "((" + " + ".join(ranks) + f") / {len(ranks):d})"

    # Table and column names, our own placeholders and numbers only: every word is a
    # parameter.
    sql = (
        f"WITH q AS MATERIALIZED (SELECT {', '.join(columns)}) "  # noqa: S608
        f'SELECT e.content_type_id, e.object_id FROM "{IndexEntry._meta.db_table}" e '
        f"WHERE e.content_type_id = ANY(%s::integer[]) AND {where} "
        f"ORDER BY ({rank('title')} * e.title_norm + {rank('body')}) DESC, e.id LIMIT %s"
    )
    params.extend([list(type_ids), *[compiler.sql_weights] * (2 * len(clause)), limit])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _postgres_expressions(backend, compiler, query, type_ids, limit):
    """The match through Wagtail's own query and rank expressions (a ``to_tsquery`` and a
    ``ts_rank`` per word form): for a query of a shape ``_postgres`` does not write."""
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
