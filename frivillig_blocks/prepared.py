"""Statements a page runs on every request, built and compiled by Django once per process.

A page with a few small querysets spends more time having Django build and compile them
than having the database run them: the course page's three took 2.9 ms in one process, of
which PostgreSQL ran them in 0.25 (issue #22). A ``PreparedQuery`` builds its queryset
once per process and database from sample values, keeps the SQL Django compiled and the
places of the samples among its parameters, and on each call runs that SQL with the
call's values put in: the rows come back as model instances made by Django's own
iterable (``select_related`` and annotations included), with Django's converters.

    COURSE = PreparedQuery(
        lambda slug: Course.objects.filter(published=True, slug=slug)[:1], slug=str
    )
    course = next(iter(COURSE(slug="foreningens-regnskab")), None)

The build function takes the named values and answers a queryset of model instances; each
value must reach the SQL as given (an exact match, a comparison: not inside ``contains``
or arithmetic, which compile to another value), and must not decide the shape of the
query (an ``if`` on it, a list of variable length). What the build function does with
anything else is fixed for the life of the process, so it may not read the database or
hold a date or time other than its values: ``ImproperlyConfigured`` says so at the first
call. The statements bind their values on the server on PostgreSQL
(``prepared_cursor``), so that the database also plans them once per connection.

Written by hand: Django compiles every queryset afresh and has no prepared querysets, and
the libraries that keep query results (django-cachalot, cacheops) keep the rows, which is
caching, not this."""

from __future__ import annotations

import copy
import datetime
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable
from django.utils import timezone


def prepared_cursor(connection):
    """A cursor whose statements PostgreSQL may plan once per connection: Django's cursor
    binds its parameters in the client (the values written into the text), which can never
    be prepared; this one binds them on the server (Django's ``ServerBindingCursor``), so
    that psycopg prepares a statement after ``prepare_threshold`` runs on the connection
    (the database's ``OPTIONS``; None, Django's default and the setting behind a pooler
    in transaction mode, prepares nothing). The calendar month's lines took 0.85 ms to plan
    and 0.35 to run on every request (issue #22). Django's cursor on another database or
    driver (a site on SQLite may have no PostgreSQL driver installed: nothing of it is
    imported). Both count in Django's query log and ``assertNumQueries``."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor
    from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

    connection.ensure_connection()
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    return wrapper(ServerBindingCursor(connection.connection), connection)


#: The kinds of value a prepared query takes, and how a database receives each.
KINDS = (int, str, datetime.datetime)

#: A date or time written as a database takes it as text (SQLite's parameters).
_DATE_TEXT = re.compile(r"\d{4}-\d\d-\d\d")


def _sample(kind: type, index: int):
    """A value of ``kind`` that no query holds of itself (the ``index``-th of the query):
    found among the compiled parameters, it marks where the value goes. The integers stay
    within a 32-bit field's range (Django compiles a value out of range to an empty
    result)."""
    if kind is int:
        return -1_987_654_321 - index
    if kind is str:
        return f"~prepared-value-{index}~"
    return datetime.datetime(2198, 3, 4, 5, 6, 7, 100_000 + index, tzinfo=datetime.UTC)


def _adapt(kind: type, value, connection):
    if kind is datetime.datetime:
        if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
            raise TypeError(f"a prepared query takes an aware datetime, not {value!r}")
        return connection.ops.adapt_datetimefield_value(value)
    if type(value) is not kind:
        raise TypeError(f"a prepared query takes {kind.__name__}, not {value!r}")
    return value


def is_time(value) -> bool:
    """Whether a compiled parameter is a date, a time or a duration (also as SQLite's text):
    what a statement kept for the life of the process must not hold unnoticed (also the
    search engine's kept statements)."""
    return isinstance(value, datetime.date | datetime.time | datetime.timedelta) or (
        isinstance(value, str) and bool(_DATE_TEXT.match(value))
    )


@dataclass(frozen=True)
class _Compiled:
    model: type
    compiler: object  # Django's SQLCompiler after as_sql(): its select, klass_info, ...
    sql: str
    params: tuple
    slots: dict  # name -> positions in params
    prefetch: tuple


class _Run:
    """What Django's ``ModelIterable`` reads of a queryset, for one call: the database and
    the compiler that runs the kept SQL."""

    _known_related_objects: dict = {}

    def __init__(self, model, db, compiler):
        self.model, self.db, self._compiler = model, db, compiler
        self.query = self

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


class PreparedQuery:
    """A queryset compiled once per process and database; called with its values (by
    name, of the kinds given at construction), it answers the list of instances."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        for name, kind in kinds.items():
            if kind not in KINDS:
                raise TypeError(f"{name}: a prepared query takes {KINDS}, not {kind!r}")
        self.build, self.kinds = build, kinds
        self._kept: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"a prepared query takes {sorted(self.kinds)}, not {sorted(values)}")
        connection = connections[using]
        key = (using, connection.vendor, connection.settings_dict["NAME"])
        compiled = self._kept.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._kept.get(key) or self._compile(using, connection)
                self._kept[key] = compiled
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            value = _adapt(self.kinds[name], values[name], connection)
            for position in positions:
                params[position] = value
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        width = compiler.col_count if compiler.has_extra_select else None

        def execute_sql(*args, **kwargs):
            # Django's MULTI result: chunks of rows, the columns it added to order by cut.
            with prepared_cursor(connection) as cursor:
                cursor.execute(compiled.sql, params)
                rows = cursor.fetchall()
            return [[row[:width] for row in rows] if width is not None else rows]

        compiler.execute_sql = execute_sql
        objects = list(ModelIterable(_Run(compiled.model, using, compiler)))
        if compiled.prefetch and objects:
            prefetch_related_objects(objects, *compiled.prefetch)
        return objects

    def _compile(self, using: str, connection) -> _Compiled:
        samples = {name: _sample(kind, i) for i, (name, kind) in enumerate(self.kinds.items())}
        ran: list[str] = []

        def note(execute, sql, params, many, context):
            ran.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            queryset = self.build(**samples).using(using)
            if queryset._iterable_class is not ModelIterable or queryset._fields:
                raise ImproperlyConfigured("a prepared query answers model instances")
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
        if ran:
            raise ImproperlyConfigured(f"building the prepared query read the database: {ran}")
        adapted = {
            name: _adapt(self.kinds[name], sample, connection) for name, sample in samples.items()
        }
        slots: dict[str, list[int]] = {name: [] for name in samples}
        for position, param in enumerate(params):
            name = next(
                (n for n, a in adapted.items() if type(param) is type(a) and param == a), None
            )
            if name is not None:
                slots[name].append(position)
            elif is_time(param):
                raise ImproperlyConfigured(
                    f"the prepared query holds a time that is none of its values ({param!r}): "
                    "it would be kept for the life of the process"
                )
        missing = [name for name, positions in slots.items() if not positions]
        if missing:
            raise ImproperlyConfigured(
                f"the prepared query's {missing} do not reach its SQL as given"
            )
        return _Compiled(
            model=queryset.model,
            compiler=compiler,
            sql=sql,
            params=tuple(params),
            slots={name: tuple(positions) for name, positions in slots.items()},
            prefetch=tuple(queryset._prefetch_related_lookups),
        )
