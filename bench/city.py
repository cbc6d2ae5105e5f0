"""A city's data: every page at the demo's volume and at fifty times it, on PostgreSQL (#22).

Run ``make bench-city`` or ``BENCH_DATABASE_URL=postgres://…/hb_city .venv/bin/python
bench/city.py [--rebuild] [--rounds N] [--factor 50] [--only NAME …]``.

Two databases are built from the URL's name, ``<name>_1x`` and ``<name>_50x``:

* ``_1x``: migrated, then ``seed_demo`` (the reference site's demo with its two years of
  history behind the follow-up's figures): the demo's volume;
* ``_50x``: a copy of ``_1x`` (``CREATE DATABASE … TEMPLATE``) in which every table of the
  city's activity (``COPIED``: events and their dates, loans, exchange posts and their
  conversations, inquiries and their messages, the inbound mail log, feedback, associations,
  ideas, initiatives, grants, courses with their sessions and registrations, the prize's
  nominations and votes, and the child tables that belong to them) is multiplied ``factor``
  times by SQL (``INSERT … SELECT … CROSS JOIN generate_series``): copy ``g`` of a row gets
  the id ``id + g × offset`` (so its children follow it), unique texts get ``-g``, and its
  dates move by ``g``'s few days (the same for the row and its children), which keeps the
  spread over time, themes, places and statuses of the demo and multiplies the density. The
  search index entries of the copied rows are copied too.

Both databases are kept between runs, keyed by a digest of the migrations, the demo's code and
this file (``--rebuild`` builds them again).

Then every public page type and the admin listings staff use daily (signed in with the
demo's staff roles) are fetched with Django's test client in this process, UNCACHED (the
cache is cleared before every call, the page cache is off), alternating between the two
databases round by round. It prints each page's median time at both sizes, the ratio
50×/1× against the target (≤ 1.5×) and the number of queries at both sizes. The query
counts must be equal: if one differs, the exit code is 1 (the profile's assertion).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
TARGET = 1.5
DEFAULT_FACTOR = 50
DEFAULT_ROUNDS = 7

#: The tables of a city's activity, multiplied in the large database. Their child tables (a
#: foreign key to one of them, deleted with it) are found and copied with them.
COPIED = [
    "frivillig_blocks.Association",
    "frivillig_blocks.Idea",
    "frivillig_blocks.Initiative",
    "frivillig_blocks.Grant",
    "frivillig_blocks.InboundMessage",
    "schedule.Event",
    "kalender.EventDetails",
    "booking.Loan",
    "boers.Post",
    "henvendelser.Inquiry",
    "opfoelgning.Feedback",
    "kurser.Course",
    "initiativpris.Nomination",
    "initiativpris.Vote",
]
#: Never copied, even when they point at a copied table (Wagtail's own bookkeeping).
NOT_COPIED_APPS = {"wagtailcore", "wagtailsearch", "auth", "contenttypes", "admin", "taggit"}


def postgres_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/city.py measures a city's data on PostgreSQL: set "
            "BENCH_DATABASE_URL=postgres://user@host:5432/name (SQLite is not supported; "
            f"got {url or 'nothing'!r})."
        )
    return url


def with_name(url: str, name: str) -> str:
    base, _, _old = url.rpartition("/")
    return f"{base}/{name}"


def setup_django(url: str) -> None:
    for path in (REPO_DIR, REPO_DIR / "site"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dragoer.settings.test"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
    import django

    django.setup()


# --- Building -------------------------------------------------------------------------------


def build_key(factor: int | None = None) -> str:
    """Digest of the migrations and the demo's code (the small database), and with the
    ``factor``, of this file too (the large one)."""
    sys.path.insert(0, str(BENCH_DIR))
    from run import migrations_key

    digest = hashlib.sha256(migrations_key().encode())
    for path in sorted((REPO_DIR / "site" / "dragoer" / "demo").rglob("*.py")):
        digest.update(path.read_bytes())
    if factor is not None:
        digest.update(f":{factor}:".encode() + Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def admin_connection():
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["dbname"] = "postgres"
    return psycopg.connect(autocommit=True, **params)


def stored_key(name: str) -> str | None:
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["dbname"] = name
    try:
        with psycopg.connect(autocommit=True, **params) as conn:
            row = conn.execute("SELECT key FROM bench_city_key").fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


#: One open connection per database, swapped in as Django's default connection, so that the
#: two sizes can alternate call by call without reconnecting (see use_database).
_WRAPPERS: dict = {}


def use_database(name: str) -> None:
    """Make the database ``name`` Django's default connection (its own, kept open)."""
    import copy

    from django.db import connections

    current = connections["default"]
    if current.settings_dict["NAME"] == name:
        return
    _WRAPPERS[current.settings_dict["NAME"]] = current
    if name not in _WRAPPERS:
        settings = copy.deepcopy(current.settings_dict)
        settings["NAME"] = name
        _WRAPPERS[name] = current.__class__(settings, "default")
    connections["default"] = _WRAPPERS[name]


def close_all() -> None:
    from django.db import connections

    for wrapper in _WRAPPERS.values():
        wrapper.close()
    connections.close_all()


def build(small: str, large: str, factor: int, rebuild: bool) -> None:
    from psycopg import sql

    key, large_key = build_key(), build_key(factor)
    small_ok = not rebuild and stored_key(small) == key
    if small_ok and stored_key(large) == large_key:
        print(f"reusing {small} and {large} (key {key})")
        return
    from django.core.management import call_command
    from django.db import connection, transaction

    close_all()
    if not small_ok:
        started = time.perf_counter()
        with admin_connection() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(small))
            )
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(small)))
        use_database(small)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_city_key (key text)")
            cursor.execute("DELETE FROM bench_city_key")
            cursor.execute("INSERT INTO bench_city_key VALUES (%s)", [key])
        print(f"built {small} in {time.perf_counter() - started:.0f}s")
    close_all()
    started = time.perf_counter()
    with admin_connection() as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(large))
        )
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(large), sql.Identifier(small)
            )
        )
    use_database(large)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_city_key")
    with transaction.atomic():
        multiply(factor)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("INSERT INTO bench_city_key VALUES (%s)", [large_key])
    print(f"built {large} in {time.perf_counter() - started:.0f}s")
    close_all()


def copied_models():
    """The models of ``COPIED`` and, recursively, their child tables and M2M tables."""
    from django.apps import apps
    from django.db import models

    found, todo = [], [apps.get_model(label) for label in COPIED if _installed(label)]
    while todo:
        model = todo.pop(0)
        if model in found or model._meta.app_label in NOT_COPIED_APPS:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        found.append(model)
        for rel in model._meta.related_objects:
            child = rel.related_model
            if rel.many_to_many:
                through = rel.through if hasattr(rel, "through") else None
                if through is not None and through._meta.auto_created:
                    todo.append(through)
                continue
            if rel.on_delete is models.CASCADE:
                todo.append(child)
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                todo.append(through)
    return found


def _installed(label: str) -> bool:
    from django.apps import apps

    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def shift_days(g: str) -> str:
    """SQL for copy ``g``'s shift in days, in -14..14: a row and its children move alike."""
    return f"((({g}) * 13) % 29 - 14)"


def multiply(factor: int) -> None:
    from django.db import connection, models

    models_ = copied_models()
    offsets = {}
    with connection.cursor() as cursor:
        for model in models_:
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField | models.BigAutoField):
                raise SystemExit(f"{model._meta.label}: the primary key is not an integer")
            cursor.execute(
                f'SELECT COALESCE(MAX("{pk.column}"), 0) + 1 FROM "{model._meta.db_table}"'  # noqa: S608 (names from the models' meta)
            )
            offsets[model] = cursor.fetchone()[0]
        for model in models_:
            copy_table(cursor, model, offsets, factor)
        for model in models_:
            # The search index: one entry per copy, its object id moved like the row's.
            if not hasattr(model, "search_fields"):
                continue
            copy_index_entries(cursor, model, offsets[model], factor)


def unique_texts(model) -> set[str]:
    """Columns of text that must stay unique (alone or with others): copies get ``-g``."""
    from django.db import models

    names = set()
    groups = [[f.name] for f in model._meta.local_fields if f.unique and not f.primary_key]
    groups += [list(fields) for fields in model._meta.unique_together]
    groups += [
        list(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    for group in groups:
        fields = [model._meta.get_field(name) for name in group]
        if any(f.is_relation and f.related_model in _COPIED_NOW for f in fields):
            continue
        for f in fields:
            if isinstance(f, models.CharField | models.TextField):
                names.add(f.column)
                break
    return names


_COPIED_NOW: set = set()


def copy_table(cursor, model, offsets, factor: int) -> None:
    from django.db import models

    _COPIED_NOW.clear()
    _COPIED_NOW.update(offsets)
    table = model._meta.db_table
    texts = unique_texts(model)
    columns, values = [], []
    days = shift_days("g")
    for f in model._meta.local_concrete_fields:
        col = f'"{f.column}"'
        columns.append(col)
        if f.primary_key:
            values.append(f"t.{col} + g * {offsets[model]}")
        elif f.is_relation and f.related_model in offsets:
            values.append(f"t.{col} + g * {offsets[f.related_model]}")
        elif f.column in texts:
            text = f"left(t.{col}, {f.max_length - 4})" if f.max_length else f"t.{col}"
            values.append(f"CASE WHEN t.{col} = '' THEN '' ELSE {text} || '-' || g END")
        elif isinstance(f, models.UUIDField) and f.unique:
            values.append("gen_random_uuid()")
        elif isinstance(f, models.DateTimeField | models.DateField):
            kind = "date" if type(f) is models.DateField else "timestamptz"
            values.append(f"(t.{col} + make_interval(days => {days}))::{kind}")
        else:
            values.append(f"t.{col}")
    cursor.execute(
        f'INSERT INTO "{table}" ({", ".join(columns)}) '  # noqa: S608 (names from the models' meta)
        f'SELECT {", ".join(values)} FROM "{table}" t '
        f"CROSS JOIN generate_series(1, {factor - 1}) AS g "
        f'WHERE t."{model._meta.pk.column}" < {offsets[model]}'
    )
    pk = model._meta.pk.column
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "  # noqa: S608 (names from the models' meta)
        f'(SELECT MAX("{pk}") FROM "{table}"))'
    )


#: The search's tables keyed by an object's content type and id: Wagtail's index entries
#: and the entries the site search keeps beside them (``frivillig_blocks.SearchEntry``, what
#: a hit shows and ranks by). Both are copied: without its entry a copy's hit would be made
#: from its object, as for one indexed before the entries were kept, which no site has after
#: ``update_index``.
SEARCH_TABLES = ("wagtailsearch_indexentry", "frivillig_blocks_searchentry")


def copy_index_entries(cursor, model, offset: int, factor: int) -> None:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(model)
    for table in SEARCH_TABLES:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name NOT IN ('id', 'object_id')",
            [table],
        )
        others = [f'"{row[0]}"' for row in cursor.fetchall()]
        cursor.execute(
            f"INSERT INTO {table} (object_id, {', '.join(others)}) "  # noqa: S608 (names from the models' meta)
            f"SELECT (e.object_id::bigint + g * {offset})::text, "
            f"{', '.join('e.' + c for c in others)} "
            f"FROM {table} e "
            f"CROSS JOIN generate_series(1, {factor - 1}) AS g "
            "WHERE e.content_type_id = %s AND e.object_id ~ '^[0-9]+$' "
            f"AND e.object_id::bigint < {offset}",
            [ct.pk],
        )


def row_counts(names: list[str]) -> list[tuple[str, list[int]]]:
    from django.db import connection

    rows = {}
    for i, name in enumerate(names):
        use_database(name)
        with connection.cursor() as cursor:
            for model in copied_models():
                cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')  # noqa: S608
                rows.setdefault(model._meta.label, [0] * len(names))[i] = cursor.fetchone()[0]
    return sorted(rows.items())


# --- Pages ----------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    user: str | None = None  # the demo user's username, signed in
    #: A whole-data export (the full feed, the printed programme): its work and its output
    #: grow with the data by definition, and it is streamed in chunks of rows (a few queries
    #: per chunk), so its query count may grow too; shown, marked EXPORT, not asserted.
    export: bool = False
    #: A search: one query per kind of content among the hits its page shows (#20), so at
    #: more data, where other kinds may be on the first page, it may make more or fewer
    #: queries — never more than one per kind, whatever the rows: asserted as "at most one
    #: query more or fewer per search source".
    per_kind: bool = False


ADMIN_USERS = {
    "booking": "institutionsleder",
    "henvendelser": "koordinator",
    "kalender": "kommunikation",
    "boers": "koordinator",
    "kurser": "kursus",
}


def discover_pages() -> list[Page]:
    """Every public page type of the demo and the admin listings staff use daily. Read from
    the small database: the large one holds the same rows (and more)."""
    from django.apps import apps
    from django.test import Client
    from wagtail.models import Page as WagtailPage

    client = Client()
    pages: list[Page] = [Page("home", "/")]

    def first_link(path: str, pattern: str) -> str | None:
        response = client.get(path)
        if response.status_code != 200:
            return None
        match = re.search(pattern, response.content.decode())
        return match.group(1) if match else None

    def section(model_label: str) -> str | None:
        try:
            model = apps.get_model(model_label)
        except LookupError:
            return None
        page = model.objects.live().first()
        return page.url if page else None

    def add(name, path, user=None, export=False, per_kind=False):
        if path:
            pages.append(Page(name, path, user, export, per_kind))

    from frivillig_blocks.models import TopicPage, VolunteerHubPage

    hub = VolunteerHubPage.objects.live().first()
    add("hub", hub.url)
    topic = TopicPage.objects.live().exclude(slug__in=["bare"]).first()
    add("topic page", topic.url if topic else None)
    directory = section("frivillig_blocks.AssociationIndexPage")
    add("directory", directory)
    if directory:
        add("association", first_link(directory, rf'href="({re.escape(directory)}[^"/]+/)"'))
        add("directory by theme", first_link(directory, r'href="(\?[^"]*tema[^"]*)"') and None)
    grants = section("frivillig_blocks.GrantIndexPage")
    add("grants", grants)
    if grants:
        add("grant", first_link(grants, rf'href="({re.escape(grants)}[^"/?]+/)"'))
    ideas = section("frivillig_blocks.IdeaCatalogPage")
    add("ideas", ideas)
    if ideas:
        add("idea", first_link(ideas, rf'href="({re.escape(ideas)}(?!foreslaa)[^"/?]+/)"'))
    calendar = section("kalender.CalendarPage")
    if calendar:
        add("calendar list", calendar)
        add("calendar month", calendar + "maaned/")
        add("calendar week", calendar + "uge/")
        add("calendar day", calendar + "dag/")
        add("event", first_link(calendar, rf'href="({re.escape(calendar)}arrangement/\d+/)"'))
        add("calendar feed", calendar + "ical/", export=True)
        add("calendar programme", calendar + "program/", export=True)
    loans = section("booking.BookingIndexPage")
    if loans:
        add("loans section", loans)
        institution = first_link(loans, rf'href="({re.escape(loans)}(?!kvittering)[^"/]+/)"')
        add("loans institution", institution)
        if institution:
            resource = first_link(
                institution, rf'href="({re.escape(institution)}(?!anmod/)[^"/]+/)"'
            )
            add("loans resource", resource)
            if resource:
                add("loans month", first_link(resource, r'href="(\?[^"]*)"'))
    exchange = section("boers.ExchangePage")
    if exchange:
        add("exchange list", exchange)
        add("exchange post", first_link(exchange, rf'href="({re.escape(exchange)}\d+/)"'))
    prize = section("initiativpris.PrizePage")
    if prize:
        add("prize", prize)
        add("prize archive", prize + "arkiv/")
        add(
            "prize result",
            first_link(prize + "arkiv/", rf'href="({re.escape(prize)}arkiv/[^"/]+/)"'),
        )
    courses = section("kurser.CourseIndexPage")
    if courses:
        add("course list", courses)
        add(
            "course", first_link(courses, rf'href="({re.escape(courses)}(?!behov|afmeld)[^"/?]+/)"')
        )
    add("figures (follow-up)", section("opfoelgning.FiguresPage"))
    for query in ("frivillig", "spejder", "koncert i dragør"):
        add(f"search {query!r}", f"/soeg/?q={query.replace(' ', '+')}", per_kind=True)
    # The admin listings staff use daily, as the role that uses them.
    for name, path, user in ADMIN_PAGES:
        add(name, path, user)
    if apps.is_installed("kurser"):
        from django.db.models import Count

        from kurser.models import Session

        busiest = Session.objects.annotate(n=Count("registrations")).order_by("-n", "pk").first()
        if busiest:
            add("admin: participants", f"/admin/kurser/hold/{busiest.pk}/", "kursus")
    del WagtailPage
    return [p for p in pages if p.path]


ADMIN_PAGES = [
    ("admin: dashboard", "/admin/", "koordinator"),
    ("admin: loans to decide", "/admin/laan/", "institutionsleder"),
    ("admin: inbox", "/admin/henvendelser/", "koordinator"),
    ("admin: calendar review", "/admin/kalender/", "kommunikation"),
    ("admin: exchange review", "/admin/boers/", "koordinator"),
    ("admin: exchange posts", "/admin/boers-opslag/", "koordinator"),
    ("admin: courses", "/admin/kurser/kurser/", "kursus"),
    ("admin: feedback", "/admin/feedback/", "koordinator"),
    ("admin: inbound mail", "/admin/mail-log/inbound/", "koordinator"),
]


# --- Measuring ------------------------------------------------------------------------------


def make_clients(names: list[str], pages: list[Page]) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = {p.user for p in pages if p.user}
    clients = {}
    for name in names:
        use_database(name)
        clients[(name, None)] = Client()
        for username in users:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            clients[(name, username)] = client
    return clients


def fetch(client, page: Page):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for cache in caches.all():
        cache.clear()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(page.path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        elapsed = time.perf_counter() - started
    return response.status_code, elapsed, len(queries)


def queries_alike(page: Page, small: int, large: int) -> bool:
    """The same number of queries at both sizes; for a search (``per_kind``) at most one
    more or fewer per search source (kind of content): the kinds among the hits a page
    shows may differ with the data, each one query at most."""
    if not page.per_kind:
        return small == large
    from frivillig_blocks.search.sources import search_sources

    return abs(large - small) <= len(search_sources())


def measure(names, pages, rounds):
    """Each page's times at both sizes, alternating call by call (the order swapped every
    round), so that the machine's load falls on both alike; and its queries and status."""
    clients = make_clients(names, pages)
    times = {(p.name, n): [] for p in pages for n in names}
    queries = {}
    statuses = {}
    # A first, untimed pass over every page at both sizes fills the process's caches
    # (templates, content types, the site root).
    for name in names:
        use_database(name)
        for page in pages:
            fetch(clients[(name, page.user)], page)
    for page in pages:
        for round_ in range(rounds):
            for name in names if round_ % 2 == 0 else list(reversed(names)):
                use_database(name)
                status, elapsed, count = fetch(clients[(name, page.user)], page)
                statuses.setdefault((page.name, name), status)
                queries[(page.name, name)] = count
                times[(page.name, name)].append(elapsed)
    return times, queries, statuses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build both databases again")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--factor", type=int, default=DEFAULT_FACTOR)
    parser.add_argument("--only", nargs="*", default=[], help="pages whose name contains …")
    parser.add_argument("--list", action="store_true", help="list the pages and stop")
    args = parser.parse_args(argv)

    url = postgres_url()
    base = url.rpartition("/")[2]
    small, large = f"{base}_1x", f"{base}_{args.factor}x"
    setup_django(with_name(url, small))
    started = time.perf_counter()
    build(small, large, args.factor, args.rebuild)
    names = [small, large]
    print(f"{'table':<40} {'1×':>10} {f'{args.factor}×':>10}")
    for label, counts in row_counts(names):
        print(f"{label:<40} {counts[0]:>10,} {counts[1]:>10,}")
    use_database(small)
    pages = discover_pages()
    if args.only:
        pages = [p for p in pages if any(word in p.name for word in args.only)]
    if args.list:
        for page in pages:
            print(f"{page.name:<28} {page.path}  {page.user or ''}")
        return 0
    print(f"setup {time.perf_counter() - started:.0f}s; {args.rounds} rounds, uncached")
    times, queries, statuses = measure(names, pages, args.rounds)
    header = (
        f"{'page':<28} {'1× ms':>8} {f'{args.factor}× ms':>8} {'ratio':>6} {'target':>6} "
        f"{'q 1×':>5} {f'q {args.factor}×':>5}  result"
    )
    print(header)
    failed, over = [], []
    for page in pages:
        a = statistics.median(times[(page.name, small)]) * 1000
        b = statistics.median(times[(page.name, large)]) * 1000
        qa, qb = queries[(page.name, small)], queries[(page.name, large)]
        sa, sb = statuses[(page.name, small)], statuses[(page.name, large)]
        ratio = b / a
        result = "OK" if ratio <= TARGET else "OVER"
        if page.export:
            result += " EXPORT"
        elif not queries_alike(page, qa, qb):
            result += " QUERIES DIFFER"
            failed.append(page.name)
        if sa != 200 or sb != 200:
            result += f" HTTP {sa}/{sb}"
            failed.append(page.name)
        if ratio > TARGET and not page.export:
            over.append(page.name)
        spread = max(times[(page.name, large)]) / min(times[(page.name, large)])
        print(
            f"{page.name:<28} {a:>8.1f} {b:>8.1f} {ratio:>6.2f} {TARGET:>6.2f} "
            f"{qa:>5} {qb:>5}  {result}  (50× spread {spread:.2f})",
            flush=True,
        )
    print(
        f"summary: {len(pages)} pages ({sum(p.export for p in pages)} exports, not gated), "
        f"{len(pages) - len(over)} within {TARGET}×, "
        f"{len(over)} over ({', '.join(over) or '-'}); query counts or statuses differ on "
        f"{len(set(failed))} ({', '.join(sorted(set(failed))) or '-'})"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
