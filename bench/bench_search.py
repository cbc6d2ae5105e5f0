"""Benchmark of the site search (/soeg/) on the demo ×20.

``search_demo_x20``: the reference site's demo (``manage.py seed_demo``) is copied nineteen
times over (``dragoer.demo.copies``: every row of every searched table, published or not,
past or upcoming, with its children and links, and every page), so the search runs on
~20,000 rows of all kinds (the counts are printed); ``manage.py update_index`` then builds
the search index. Both sides run the same queries (the issue's five and five more of the
relevance set: a word form, a compound, a typo, "aa" for "å", each kind):

* baseline: a single indexed query over the same table per query – Wagtail's search of the
  query on ``Page.objects.live()`` through ``get_search_backend()``, every result fetched:
  one full-text query on the index table;
* measured: ``engine.search(request, query)``, the site search over every source (pages,
  associations, grants, ideas, contact persons, events, exchange posts, courses,
  institutions, rooms and equipment) with stemming, compounds, typos, ranking and the
  suggestion: everything the results page shows.

The issue's target is at most 3× the baseline. The number of queries of each side is printed
too; tests/search/test_relevance.py asserts that a search's count does not grow with the data.
Runs on SQLite, and on PostgreSQL with ``BENCH_DATABASE_URL`` (bench/run.py).
"""

from __future__ import annotations

from run import benchmark

COPIES = 19  # the demo and nineteen copies: ×20
QUERIES = [
    "senior",
    "lokale",
    "pulje",
    "ansøgning",
    "frivilig",
    "kursus",
    "spejder",
    "haandbold",
    "loppemarked",
    "lydanlæg",
]


@benchmark(
    "search_demo_x20",
    target=3.0,
    description="the site search on the demo ×20 vs one indexed query over the pages",
    equal_rows=False,
)
class SearchBenchmark:
    def setup(self, tree):
        import io
        import time

        from django.apps import apps
        from django.contrib.auth.models import AnonymousUser
        from django.core.management import call_command
        from django.db import connection
        from django.test import RequestFactory
        from django.test.utils import CaptureQueriesContext
        from wagtail.models import Page
        from wagtail.search.backends import get_search_backend

        from dragoer.demo import copies

        started = time.perf_counter()
        call_command("seed_demo", stdout=io.StringIO())
        seeded = time.perf_counter()
        created = copies.create(copies=COPIES)
        copied = time.perf_counter()
        call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
        indexed = time.perf_counter()

        self.backend = get_search_backend()
        self.pages = Page.objects.live()
        factory = RequestFactory()
        self.requests = []
        for query in QUERIES:
            request = factory.get("/soeg/", {"q": query})
            request.user = AnonymousUser()
            self.requests.append((request, query))

        with CaptureQueriesContext(connection) as measured:
            hits = self.measured()
        with CaptureQueriesContext(connection) as baseline:
            pages = self.baseline()
        links = sum(n for label, n in created.items() if apps.get_model(label)._meta.auto_created)
        rows = sum(created.values()) - links
        print(
            f"    demo ×{COPIES + 1}: {rows:,} rows copied (+{links:,} links); seed {seeded - started:.0f}s, copies {copied - seeded:.0f}s, "
            f"update_index {indexed - copied:.0f}s"
        )
        print(
            f"    {len(QUERIES)} queries: {hits:,} hits ranked (pages only: {pages:,}); queries: "
            f"search {len(measured)}, baseline {len(baseline)}"
        )
        # Not the same work (equal_rows=False): the baseline's rows are the live pages its
        # one query finds; the search's are the hits it ranks (the best of every kind).
        self._rows = (pages, hits)

    def rows(self) -> tuple[int, int]:
        """(pages the baseline finds, hits the search ranks) over the ten queries, counted
        once after setup."""
        return self._rows

    def baseline(self):
        found = 0
        for _request, query in self.requests:
            found += len(list(self.backend.search(query, self.pages)))
        return found

    def measured(self):
        from frivillig_blocks.search import engine, views

        found = 0
        for request, query in self.requests:
            result = engine.search(request, query)
            # What the results page shows: the best five and its first page, highlighted.
            result.highlight(result.hits[: views.PER_PAGE])
            found += len(result.hits)
        return found
