"""Side-by-side benchmarks: how much slower is our page than a bare one?

Run ``make bench`` or ``.venv/bin/python bench/run.py [names...]`` (``--list`` lists the
benchmarks, ``--rounds`` sets how many timed rounds each one gets).

The runner sets Django up with ``dragoer.settings.test`` on a fresh SQLite file in a
temporary directory (or, with ``BENCH_DATABASE_URL=postgres://…``, on a fresh PostgreSQL
database of that name, the production database), migrates it and builds the test site tree
(``tests.conftest.build_site_tree()``). Each benchmark then times two callables in the same
process, interleaved round by round: a *baseline* (the cheapest comparable thing) and the
*measured* code. It prints the median time per call of each, the ratio measured/baseline and
the benchmark's target ratio. A ratio over target prints OVER, but the exit code stays 0:
timings vary between machines, so the ratios are information, not a gate.

Adding a benchmark
------------------
Write a class with ``baseline`` and ``measured`` methods (no arguments) and decorate it with
``@benchmark``. ``setup(tree)`` (given the ``SiteTree``) and ``teardown()`` are optional; put
data creation in ``setup`` so it is not timed. Each benchmark runs inside a transaction that
is rolled back afterwards (and the cache is cleared), so data made in ``setup`` does not leak
into the next benchmark; ``transaction.on_commit`` callbacks therefore never fire. On
PostgreSQL the runner analyses the database after ``setup`` (``analyze()``), as autovacuum
would have done to tables of that size in production. Example::

    @benchmark("directory", target=1.5, description="directory with 500 associations vs 10")
    class Directory:
        def setup(self, tree):
            self.client = Client()
            AssociationFactory.create_batch(500)  # compare against a 10-row query, etc.

        def baseline(self):
            ...

        def measured(self):
            response = self.client.get("/foreninger/")
            assert response.status_code == 200

An app can keep its benchmarks beside this file, in ``bench/bench_<app>.py``: every such
module is imported after Django is set up, and ``from run import benchmark`` gives it the
decorator (``bench/`` is on ``sys.path``, as is the repository root).

Equal work: rows on every line (issue #22)
-------------------------------------------
A ratio means something only when one knows what each side did. A benchmark class may
define ``rows(self) -> tuple[int, int]``: the rows (dates, posts, messages, …) the
*baseline* and the *measured* side each produce per call. The runner calls it once after
``setup``, untimed, and prints it on the result line (``rows 9555 | 9555``). Decorate with
``@benchmark(..., equal_rows=True)`` where both sides must produce the same rows: if the
two numbers differ, the line says ``UNEQUAL WORK`` and the runner exits 1 at the end. A
benchmark without ``rows()`` prints the number of SQL queries of one call of each side
instead (``queries 3 | 12``), so every line says what each side did.

``--check-rows`` sets each selected benchmark up, prints its rows and skips the timing
(exit 1 on unequal work); ``--equal-rows`` selects the benchmarks marked ``equal_rows``.
``BENCH_SCALE`` (or ``--scale``, default 1.0) scales the data sizes: a bench module sizes
its data with ``run.scaled(10_000)``. ``tests/bench/test_equal_rows.py`` runs
``run.py --check-rows --equal-rows --scale 0.02`` in the normal test suite.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent

# Timing parameters: each timed batch repeats a callable until it lasts about BATCH_SECONDS,
# so that timer resolution and one-off hiccups matter little.
WARMUP_CALLS = 5
DEFAULT_ROUNDS = 21
BATCH_SECONDS = 0.05
# Where migrated databases are kept between runs (see setup_django).
MIGRATED_CACHE_DIR = Path(tempfile.gettempdir()) / "frivillig-bench-cache"


# --- Registry -----------------------------------------------------------------------------


@dataclass
class Benchmark:
    name: str
    target: float
    description: str
    factory: Callable[[], object]
    equal_rows: bool = False
    #: At most this many timed rounds, and this many warm-up calls, for a benchmark whose
    #: one call takes seconds (``None``: the runner's ``--rounds`` and ``WARMUP_CALLS``).
    rounds: int | None = None
    warmup: int | None = None


def scale() -> float:
    """The data scale: ``BENCH_SCALE`` (set by ``--scale``), 1.0 by default."""
    value = float(os.environ.get("BENCH_SCALE", "") or 1.0)
    if value <= 0:
        raise ValueError(f"BENCH_SCALE must be positive, not {value}")
    return value


def scaled(count: int, minimum: int = 1) -> int:
    """``count`` at the data scale (``BENCH_SCALE``), at least ``minimum``."""
    return max(minimum, round(count * scale()))


REGISTRY: dict[str, Benchmark] = {}


def benchmark(
    name: str,
    target: float = 1.5,
    description: str = "",
    equal_rows: bool = False,
    rounds: int | None = None,
    warmup: int | None = None,
):
    """Register a benchmark class (see the module docstring). ``rounds`` and ``warmup`` cap
    the timed rounds and the warm-up calls of a benchmark whose one call takes seconds."""

    def register(cls):
        for method in ("baseline", "measured"):
            if not callable(getattr(cls, method, None)):
                raise TypeError(f"benchmark {name!r} needs a {method}() method")
        if equal_rows and not callable(getattr(cls, "rows", None)):
            raise TypeError(f"benchmark {name!r} has equal_rows=True but no rows() method")
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} is registered twice")
        description_ = description or (cls.__doc__ or "").strip()
        REGISTRY[name] = Benchmark(
            name, target, description_, cls, equal_rows, rounds=rounds, warmup=warmup
        )
        return cls

    return register


# When run as a script this module is ``__main__``; make ``from run import benchmark`` in
# the bench_<app>.py modules reach this very registry instead of a second copy.
sys.modules.setdefault("run", sys.modules[__name__])


# --- Django -------------------------------------------------------------------------------


def setup_django(tmp: Path, use_cache: bool = True):
    """Django on a fresh SQLite file, migrated, with the test site tree; returns the tree."""
    for path in (REPO_DIR, REPO_DIR / "site"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    # Everything the settings read from the environment must be set before they load.
    database = tmp / "bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "dragoer.settings.test"
    postgres = os.environ.get("BENCH_DATABASE_URL", "")
    if postgres.startswith(("postgres://", "postgresql://")):
        # The production database: a fresh database of that name, migrated from zero.
        sys.path.insert(0, str(REPO_DIR / "deploy"))
        from ensure_database import main as ensure_database

        ensure_database(postgres, fresh=True)
        os.environ["DATABASE_URL"] = postgres
        use_cache = False
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["TEST_MEDIA_ROOT"] = str(tmp / "media")

    from django.conf import settings

    # bench/templates holds the baseline templates (e.g. bench/bare_page.html).
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], BENCH_DIR / "templates"]
    settings.TEMPLATES = templates

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connections

    # Migrating from scratch takes ~10 s (Django rebuilding model states), so a migrated
    # database is kept in the system's temp directory, keyed by every migration file, and
    # copied into this run's fresh file. `migrate` still runs: it is a quick no-op then.
    cached = MIGRATED_CACHE_DIR / f"migrated-{migrations_key()}.sqlite3"
    if use_cache and cached.exists():
        shutil.copyfile(cached, database)
    call_command("migrate", verbosity=0, interactive=False)
    if use_cache and not cached.exists():
        connections.close_all()
        MIGRATED_CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(database, partial)
        os.replace(partial, cached)

    from tests.conftest import build_site_tree

    return build_site_tree()


def migrations_key() -> str:
    """A digest of Django's version and every installed app's migration files."""
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for app in apps.get_app_configs():
        for path in sorted(Path(app.path).glob("migrations/*.py")):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def load_app_benchmarks() -> None:
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        importlib.import_module(path.stem)


# --- Timing -------------------------------------------------------------------------------


def time_batch(func: Callable[[], object], number: int) -> float:
    """Seconds per call over ``number`` calls, with the garbage collector off (as timeit)."""
    gc.collect()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            func()
        elapsed = time.perf_counter() - start
    finally:
        if gc_was_enabled:
            gc.enable()
    return elapsed / number


def calls_per_batch(func: Callable[[], object]) -> int:
    one_call = time_batch(func, 1)
    if one_call >= BATCH_SECONDS:  # a slow call is a batch of its own
        return 1
    one_call = time_batch(func, 3)
    return max(1, round(BATCH_SECONDS / max(one_call, 1e-9)))


def compare(
    baseline: Callable[[], object],
    measured: Callable[[], object],
    rounds: int,
    warmup: int = WARMUP_CALLS,
):
    """Median seconds per call of (baseline, measured), timed in alternating rounds."""
    for _ in range(warmup):
        baseline()
        measured()
    # Move everything alive now (Django, the apps, the warmed-up caches) out of the garbage
    # collector's sight, so that the gc.collect() before each batch takes microseconds.
    gc.collect()
    gc.freeze()
    try:
        return timed_rounds(baseline, measured, rounds)
    finally:
        gc.unfreeze()


def timed_rounds(baseline: Callable[[], object], measured: Callable[[], object], rounds: int):
    """Median seconds per call of each side over ``rounds`` rounds of one batch each."""
    numbers = {"baseline": calls_per_batch(baseline), "measured": calls_per_batch(measured)}
    samples: dict[str, list[float]] = {"baseline": [], "measured": []}
    funcs = {"baseline": baseline, "measured": measured}
    for round_ in range(rounds):
        # Swap the order every round so that neither side always runs first.
        order = ("baseline", "measured") if round_ % 2 == 0 else ("measured", "baseline")
        for side in order:
            samples[side].append(time_batch(funcs[side], numbers[side]))
    return statistics.median(samples["baseline"]), statistics.median(samples["measured"])


@dataclass
class Work:
    """What each side of a benchmark did: its rows (``rows()``) or else its queries."""

    kind: str  # "rows" or "queries"
    baseline: int
    measured: int
    must_be_equal: bool

    @property
    def unequal(self) -> bool:
        return self.must_be_equal and self.baseline != self.measured

    def __str__(self) -> str:
        text = f"{self.kind} {self.baseline} | {self.measured}"
        return text + ("  UNEQUAL WORK" if self.unequal else "")


def work_of(bench: Benchmark, instance) -> Work:
    """The rows of both sides (``rows()``, untimed), or the queries of one call of each."""
    rows = getattr(instance, "rows", None)
    if callable(rows):
        baseline, measured = rows()
        return Work("rows", int(baseline), int(measured), bench.equal_rows)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for side in (instance.baseline, instance.measured):
        with CaptureQueriesContext(connection) as queries:
            side()
        counts.append(len(queries.captured_queries))
    return Work("queries", counts[0], counts[1], False)


def analyze() -> None:
    """On PostgreSQL, the planner's statistics of the data ``setup`` just loaded. A table in
    production has them (autovacuum analyses a table after 10 % of its rows changed); a bulk
    load inside the benchmark's transaction has none, and the planner then guesses a dozen
    rows where there are thousands (issue #22: a nested loop of 9,555 index probes for one
    month's dates). ``ANALYZE`` runs inside a transaction and samples its own rows."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def run_one(bench: Benchmark, tree, rounds: int | None):
    """Set ``bench`` up, measure its work and (unless ``rounds`` is None) time it:
    ((baseline s, measured s) or None, Work)."""
    from django.core.cache import caches
    from django.db import transaction

    def clear_caches():
        for cache in caches.all():
            cache.clear()

    clear_caches()
    try:
        with transaction.atomic():
            instance = bench.factory()
            if hasattr(instance, "setup"):
                instance.setup(tree)
            analyze()
            try:
                work = work_of(bench, instance)
                if rounds is None:
                    return None, work
                if bench.rounds is not None:
                    rounds = min(rounds, bench.rounds)
                warmup = WARMUP_CALLS if bench.warmup is None else bench.warmup
                return compare(instance.baseline, instance.measured, rounds, warmup), work
            finally:
                if hasattr(instance, "teardown"):
                    instance.teardown()
                transaction.set_rollback(True)
    finally:
        clear_caches()


# --- Benchmarks ---------------------------------------------------------------------------


def get_ok(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, f"GET {path} returned {response.status_code}"
    return response


BARE_SLUG = "bare"
BARE_TEMPLATE = "bench/bare_page.html"


class BarePage:
    """A bare Wagtail page at ``/bare/``: a TopicPage under the home page, rendered with a
    minimal template (no base layout, no menus) by wrapping ``TopicPage.get_template`` for
    its slug only; ``remove()`` restores the method. The cost every served page pays (the
    routing, the middleware, the page lookup), as a baseline."""

    def __init__(self, tree):
        from frivillig_blocks.models import TopicPage
        from tests.factories import TopicPageFactory

        TopicPageFactory(parent=tree.home, title="Bar side", slug=BARE_SLUG, body=[])
        self.original_get_template = TopicPage.__dict__.get("get_template")
        inherited = TopicPage.get_template

        def get_template(page, request, *args, **kwargs):
            if page.slug == BARE_SLUG:
                return BARE_TEMPLATE
            return inherited(page, request, *args, **kwargs)

        TopicPage.get_template = get_template

    def remove(self):
        from frivillig_blocks.models import TopicPage

        if self.original_get_template is None:
            del TopicPage.get_template
        else:
            TopicPage.get_template = self.original_get_template


@benchmark(
    "home_page",
    target=1.5,
    description='the home page "/" vs a bare Wagtail page',
    equal_rows=True,
)
class HomePageBenchmark:
    """The real home page (base layout, header, menu, footer, site settings) against a bare
    Wagtail page: same routing, middleware and page lookup, minimal template."""

    def setup(self, tree):
        from django.test import Client

        self.bare = BarePage(tree)
        self.client = Client()
        assert b"<h1>Bar side</h1>" in get_ok(self.client, f"/{BARE_SLUG}/").content

    def teardown(self):
        self.bare.remove()

    def rows(self):
        """The pages each side serves per call: one Wagtail page each, through the same
        routing (what differs is the layout around it)."""
        return (
            int(self.baseline().status_code == 200),
            int(self.measured().status_code == 200),
        )

    def baseline(self):
        return get_ok(self.client, f"/{BARE_SLUG}/")

    def measured(self):
        return get_ok(self.client, "/")


# --- Main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="timed rounds")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    parser.add_argument(
        "--no-cache", action="store_true", help="migrate from scratch (no cached database)"
    )
    parser.add_argument(
        "--scale", type=float, help="scale of the data sizes (sets BENCH_SCALE; default 1.0)"
    )
    parser.add_argument(
        "--check-rows",
        action="store_true",
        help="set each benchmark up and print its rows, no timing; exit 1 on unequal work",
    )
    parser.add_argument(
        "--equal-rows", action="store_true", help="only the benchmarks marked equal_rows"
    )
    args = parser.parse_args(argv)
    if args.scale is not None:
        if args.scale <= 0:
            parser.error("--scale must be positive")
        os.environ["BENCH_SCALE"] = repr(args.scale)

    tmp = Path(tempfile.mkdtemp(prefix="frivillig-bench-"))
    try:
        started = time.perf_counter()
        tree = setup_django(tmp, use_cache=not args.no_cache)
        load_app_benchmarks()
        if args.list:
            for bench in REGISTRY.values():
                equal = " [equal rows]" if bench.equal_rows else ""
                print(f"{bench.name:<28} target {bench.target:.2f}{equal}  {bench.description}")
            return 0
        unknown = [name for name in args.names if name not in REGISTRY]
        if unknown:
            parser.error(
                f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}"
            )
        selected = [REGISTRY[name] for name in args.names] or list(REGISTRY.values())
        if args.equal_rows:
            selected = [bench for bench in selected if bench.equal_rows]

        print(
            f"setup {time.perf_counter() - started:.1f}s; scale {scale():g}; "
            + ("rows only, no timing" if args.check_rows else f"{args.rounds} rounds per benchmark")
        )
        if args.check_rows:
            print(f"{'benchmark':<28} work (baseline | measured)")
        else:
            print(
                f"{'benchmark':<28} {'baseline ms':>11} {'measured ms':>11} {'ratio':>7} "
                f"{'target':>7}  result  work (baseline | measured)"
            )
        over, unequal = [], []
        for bench in selected:
            times, work = run_one(bench, tree, None if args.check_rows else args.rounds)
            if work.unequal:
                unequal.append(bench.name)
            if times is None:
                print(f"{bench.name:<28} {work}", flush=True)
                continue
            base, measured = times
            ratio = measured / base
            result = "OK" if ratio <= bench.target else "OVER"
            if result == "OVER":
                over.append(bench.name)
            print(
                f"{bench.name:<28} {base * 1000:>11.2f} {measured * 1000:>11.2f} "
                f"{ratio:>7.2f} {bench.target:>7.2f}  {result:<6}  {work}",
                flush=True,
            )
        total = time.perf_counter() - started
        summary = f"{len(selected)} benchmark(s)"
        if not args.check_rows:
            summary += f", {len(selected) - len(over)} OK"
            summary += f", {len(over)} OVER ({', '.join(over)})" if over else ", 0 OVER"
        summary += f", {len(unequal)} UNEQUAL WORK" + (
            f" ({', '.join(unequal)})" if unequal else ""
        )
        print(
            f"summary: {summary} in {total:.1f}s (ratios are information, not a gate; "
            "unequal work is)"
        )
        return 1 if unequal else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
