"""The relevance set (relevance.py) run through the search engine on the seeded demo, on
the database the suite runs on (SQLite, and PostgreSQL in CI): the share found is printed
and must be 100 %. And a search's query count does not grow with the data."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from frivillig_blocks.search import engine

from ..conftest import requires_apps
from .relevance import QUERIES, SUGGESTIONS, TOP, missing

# The set covers every kind of content: the demo with every app that gives the search one.
pytestmark = requires_apps("booking", "kalender", "boers", "kurser")

#: Queries whose query count is compared between the demo and the demo doubled: a word
#: form, a compound, a typo (with its suggestion) and one that finds nothing.
COUNTED = ["senior", "pulje", "frivilig", "lokale", "xyzzyqwv"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo (``manage.py seed_demo``), seeded once for the module in a transaction that
    is rolled back after its last test (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
    for cache in caches.all():
        cache.clear()


def search(query: str):
    request = RequestFactory().get("/soeg/", {"q": query})
    request.user = AnonymousUser()
    return engine.search(request, query)


def test_the_relevance_set_is_found_in_the_first_five(demo, db, capsys):
    failures = []
    for query, expected in QUERIES:
        titles = [hit.title for hit in search(query).hits]
        lost = missing(expected, titles)
        if lost:
            failures.append(f"  {query!r}: missing {lost}; first {TOP}: {titles[:TOP]}")
    found = len(QUERIES) - len(failures)
    share = f"Relevance: {found}/{len(QUERIES)} ({round(100 * found / len(QUERIES))} %)"
    with capsys.disabled():
        print(f"\n{share} on {connection.vendor}")
        for line in failures:
            print(line)
    assert not failures, "\n".join([share, *failures])


@pytest.mark.parametrize(("query", "suggestion"), SUGGESTIONS)
def test_a_misspelt_query_gets_a_suggestion_from_the_index(demo, db, query, suggestion):
    assert search(query).suggestion == suggestion


def count_queries(query: str) -> tuple[int, int]:
    """(queries, hits) of one search, after one search to warm any cache up."""
    search(query)
    with CaptureQueriesContext(connection) as queries:
        hits = len(search(query).hits)
    return len(queries), hits


def test_the_query_count_of_a_search_does_not_grow_with_the_data(demo, db):
    from dragoer.demo import copies

    before = {query: count_queries(query) for query in COUNTED}
    copies.create(copies=1)
    call_command("update_index", stdout=io.StringIO())
    after = {query: count_queries(query) for query in COUNTED}

    # The demo doubled: every query that found something finds more now.
    for query in COUNTED:
        assert (after[query][1] > before[query][1]) == (before[query][1] > 0), (
            query,
            before[query],
            after[query],
        )
    # A search makes one query per source with hits and, for the pages it shows, one per
    # page type among them (Wagtail's specific()): never more because there is more data.
    counts = {query: (before[query][0], after[query][0]) for query in COUNTED}
    assert all(large <= small for small, large in counts.values()), counts


def matches_compared():
    """``(query, wagtail_query, backend, compiler, content types)`` for every query of the
    set and one more, with all its words and with any of them: what the engine's match is
    compared with Wagtail's own on."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from frivillig_blocks.search import danish, matching, vocabulary
    from frivillig_blocks.search.sources import search_sources, source_model

    backend = get_search_backend()
    types = sorted(
        {t for source in search_sources() for t in matching.content_types(source_model(source))}
    )
    for query, _expected in [*QUERIES, ("frivillig forening pulje", None)]:
        expansions = vocabulary.expand(danish.query_words(query))
        for all_words in (True, False):
            wagtail_query = engine._wagtail_query(expansions, all_words)
            if wagtail_query is not None:
                compiler = backend.query_compiler_class(Page.objects.none(), wagtail_query)
                yield query, wagtail_query, backend, compiler, types


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's match statement")
def test_the_match_ranks_as_wagtails_own_expression(demo, db):
    """The SQLite match computes ``bm25()`` once per entry; it finds and orders exactly
    what Wagtail's rank expression (``bm25()`` twice per word) does."""
    from frivillig_blocks.search import matching

    compared = 0
    for query, wagtail_query, _backend, compiler, types in matches_compared():
        found = matching._sqlite(compiler, wagtail_query, types, engine.MATCHES)
        reference = matching._sqlite_reference(compiler, wagtail_query, types, engine.MATCHES)
        assert [tuple(row) for row in found] == [tuple(row) for row in reference], query
        compared += bool(found)
    assert compared > len(QUERIES)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's match statement")
def test_the_postgresql_match_finds_what_wagtails_expressions_find(demo, db):
    """The PostgreSQL match ranks each query word's distinct lexemes once (its forms
    frivillig, frivillige and frivilligt are one lexeme); it finds exactly the entries
    Wagtail's own query and rank expressions find, for every query of the set, with all
    words and with any of them."""
    from frivillig_blocks.search import matching

    compared = 0
    for query, wagtail_query, backend, compiler, types in matches_compared():
        assert matching._clauses(wagtail_query) is not None, query
        found = matching._postgres(backend, compiler, wagtail_query, types, engine.MATCHES)
        reference = matching._postgres_expressions(
            backend, compiler, wagtail_query, types, engine.MATCHES
        )
        assert len(found) == len(set(found)), query
        assert {tuple(row) for row in found} == {tuple(row) for row in reference}, query
        compared += bool(found)
    assert compared > len(QUERIES)
