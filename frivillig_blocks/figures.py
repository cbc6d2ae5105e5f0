"""The figures each service reports for the council's follow-up, through one small registry.

An app registers a :class:`FigureSource` with the ``FIGURE_SOURCES`` Wagtail hook::

    @hooks.register(FIGURE_SOURCES)
    def figure_source():
        return LoanFigures()

A source answers :meth:`FigureSource.figures` for a :class:`Period` and the
:class:`Filters` it understands, with a fixed number of aggregate queries whatever the
amount of data (the report's query count is asserted in the tests and measured in
``bench/bench_figures.py``). The council follow-up app shows them: its admin report, its
exports and PDF, and the public page "Frivilligheden i tal" all read the same
:func:`compute`. No app imports a sibling: an app that is not installed registers nothing and its section is simply absent.

Every figure says how many people it describes (``people``); the public page shows no
figure, and no row of a breakdown, that describes fewer than ``PUBLIC_MINIMUM`` people.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from threading import Lock
from zoneinfo import ZoneInfo

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractIsoWeekDay, Mod, TruncDate
from django.db.models.query import ValuesIterable
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .hooks import FIGURE_SOURCES

PUBLIC_MINIMUM = 5
CPH = ZoneInfo("Europe/Copenhagen")

_PERIOD_SUFFIX = re.compile(r"_p\d+$")

FILTER_NAMES = ("institution", "association", "age_group", "topic")
FILTER_LABELS = {
    "institution": _("Institution"),
    "association": _("Association"),
    "age_group": _("Age group"),
    "topic": _("Topic"),
}


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end``, both included, in Europe/Copenhagen."""

    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("end before start")

    @property
    def since(self) -> dt.datetime:
        """The first instant of the period (aware)."""
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=CPH)

    @property
    def until(self) -> dt.datetime:
        """The first instant after the period (aware): filter with ``__lt``."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=CPH)

    def q(self, field_name: str) -> Q:
        """``Q`` for a datetime field inside the period."""
        return Q(**{f"{field_name}__gte": self.since, f"{field_name}__lt": self.until})

    def q_date(self, field_name: str) -> Q:
        """``Q`` for a date field inside the period."""
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lte": self.end})

    def year_before(self) -> Period:
        return Period(shift_year(self.start, -1), shift_year(self.end, -1))

    @classmethod
    def last_twelve_months(cls, today: dt.date) -> Period:
        return cls(shift_year(today, -1) + dt.timedelta(days=1), today)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))


def shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the report to. Values are the keys of the choices the
    sources offer (an institution's pk as text, an association's pk, an age group's code, a
    topic's slug); an empty string means "all"."""

    institution: str = ""
    association: str = ""
    age_group: str = ""
    topic: str = ""

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTER_NAMES if getattr(self, name)}


@dataclass(frozen=True)
class Row:
    """One line of a breakdown (a bar in the chart, a row in its table)."""

    label: str
    value: float | int | None
    people: int | None = None
    merged: bool = False  # the public page's "Other": small rows put together


@dataclass(frozen=True)
class Figure:
    """One number of a service. ``unit`` is shown after the value ("dage", "%"); ``people``
    is how many people the figure describes (``None`` when it describes none, such as a
    number of seats); ``rows`` is an optional breakdown."""

    key: str
    label: str
    value: float | int | None
    unit: str = ""
    people: int | None = None
    rows: tuple[Row, ...] = ()
    decimals: int = 0
    help_text: str = ""
    additive: bool = True  # do the rows add up to the value (counts) or not (medians, scores)
    #: False for a breakdown whose labels staff wrote freely (a leader's reason for a
    #: decline): the public page shows the figure but not those rows.
    public_rows: bool = True

    def formatted(self, value=None) -> str:
        return format_value(self.value if value is None else value, self.decimals)


def format_value(value, decimals: int = 0) -> str:
    """Danish number formatting: 1.234 and 3,5."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",").replace("\u00a0", ".")


class FigureSource:
    """What an app registers. Subclasses set ``key``, ``title``, ``order`` and ``filters``
    (the filter names they honour) and implement :meth:`figures`."""

    key: str = ""
    title: str = ""
    order: int = 100
    filters: frozenset[str] = frozenset()

    def filter_choices(self) -> dict[str, list[tuple[str, str]]]:
        """Choices for filters only this source knows (the loans app's institutions)."""
        return {}

    def figures(self, period: Period, filters: Filters) -> list[Figure]:
        """The figures of one period (the report reads :meth:`figures_for`)."""
        return self.figures_for((period,), filters)[0]

    def figures_for(self, periods: tuple[Period, ...], filters: Filters) -> list[list[Figure]]:
        """The figures of each of ``periods``, in order: the report asks for a period and the
        year before at once. A source that overrides this reads its tables once for all the
        periods (:func:`aggregate_per_period`); by default each period is a pass of its own."""
        if type(self).figures is FigureSource.figures:
            raise NotImplementedError
        return [self.figures(period, filters) for period in periods]


@dataclass
class Comparison:
    figure: Figure
    previous: Figure | None

    @property
    def change(self):
        if self.previous is None or self.figure.value is None or self.previous.value is None:
            return None
        return self.figure.value - self.previous.value

    def previous_row(self, label: str):
        if self.previous is None:
            return None
        for row in self.previous.rows:
            if row.label == label:
                return row.value
        return None


@dataclass
class Section:
    key: str
    title: str
    comparisons: list[Comparison]
    honoured: frozenset[str]
    ignored: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Report:
    period: Period
    previous_period: Period
    filters: Filters
    sections: list[Section]

    def figure(self, key: str) -> Figure | None:
        for section in self.sections:
            for comparison in section.comparisons:
                if comparison.figure.key == key:
                    return comparison.figure
        return None


def report_to_data(report: Report) -> dict:
    """``report`` as plain JSON data (dates as ISO text), for keeping it in a JSON column;
    :func:`report_from_data` gives the same report back."""

    def number(value):
        return float(value) if isinstance(value, Decimal) else value

    def figure(f: Figure | None):
        if f is None:
            return None
        data = {**dataclasses.asdict(f), "value": number(f.value)}
        data["rows"] = [{**dataclasses.asdict(row), "value": number(row.value)} for row in f.rows]
        return data

    def period(p: Period) -> list[str]:
        return [p.start.isoformat(), p.end.isoformat()]

    return {
        "period": period(report.period),
        "previous_period": period(report.previous_period),
        "filters": dataclasses.asdict(report.filters),
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "honoured": sorted(section.honoured),
                "ignored": sorted(section.ignored),
                "comparisons": [
                    {"figure": figure(c.figure), "previous": figure(c.previous)}
                    for c in section.comparisons
                ],
            }
            for section in report.sections
        ],
    }


def report_from_data(data: dict) -> Report:
    """The report :func:`report_to_data` wrote (KeyError, TypeError or ValueError for data
    of another shape)."""

    def figure(d: dict | None) -> Figure | None:
        if d is None:
            return None
        return Figure(**{**d, "rows": tuple(Row(**row) for row in d["rows"])})

    def period(p: list[str]) -> Period:
        return Period(dt.date.fromisoformat(p[0]), dt.date.fromisoformat(p[1]))

    return Report(
        period=period(data["period"]),
        previous_period=period(data["previous_period"]),
        filters=Filters(**data["filters"]),
        sections=[
            Section(
                key=section["key"],
                title=section["title"],
                comparisons=[
                    Comparison(figure(c["figure"]), figure(c["previous"]))
                    for c in section["comparisons"]
                ],
                honoured=frozenset(section["honoured"]),
                ignored=frozenset(section["ignored"]),
            )
            for section in data["sections"]
        ],
    )


def sources() -> list[FigureSource]:
    found = [fn() for fn in hooks.get_hooks(FIGURE_SOURCES)]
    return sorted((s for s in found if s is not None), key=lambda s: (s.order, s.key))


def compute(period: Period, filters: Filters | None = None, *, compare: bool = True) -> Report:
    filters = filters or Filters()
    active = set(filters.active())
    previous_period = period.year_before()
    sections = []
    both = (period, previous_period)
    for source in sources():
        if compare and disjoint(both):
            current, earlier = source.figures_for(both, filters)
            before = {f.key: f for f in earlier}
        elif compare:  # a period longer than a year overlaps the year before: one each
            (current,), (earlier,) = (source.figures_for((p,), filters) for p in both)
            before = {f.key: f for f in earlier}
        else:
            (current,), before = source.figures_for((period,), filters), {}
        sections.append(
            Section(
                key=source.key,
                title=str(source.title),
                comparisons=[Comparison(f, before.get(f.key)) for f in current],
                honoured=frozenset(source.filters),
                ignored=frozenset(active - set(source.filters)),
            )
        )
    return Report(period, previous_period, filters, sections)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Every filter's choices: associations, age groups and topics from the shared models,
    the rest from the sources that know them. A filter no installed source honours is left
    out."""
    from .models import AgeGroup, Association, Topic

    honoured = set().union(*(s.filters for s in sources())) if sources() else set()
    choices: dict[str, list[tuple[str, str]]] = {}
    if "association" in honoured:
        choices["association"] = [
            (str(pk), name)
            for pk, name in Association.objects.order_by("name").values_list("pk", "name")
        ]
    if "age_group" in honoured:
        choices["age_group"] = list(AgeGroup.objects.values_list("code", "name"))
    if "topic" in honoured:
        choices["topic"] = list(Topic.objects.values_list("slug", "name"))
    for source in sources():
        for name, values in source.filter_choices().items():
            if name in honoured:
                choices.setdefault(name, []).extend(values)
    return {name: choices[name] for name in FILTER_NAMES if name in choices}


# -- helpers the sources share ---------------------------------------------------------


def covering(periods: tuple[Period, ...], field_name: str, *, date: bool = False) -> Q:
    """``Q`` for the rows of ``field_name`` inside any of ``periods``: one range where the
    periods touch or overlap (a period and the year before do), so that one scan serves
    them all; the rows of each period are then told apart by :func:`period_number` (or a
    condition per period, :func:`per_condition`)."""
    spans: list[list[dt.date]] = []
    for period in sorted(periods, key=lambda p: p.start):
        if spans and period.start <= spans[-1][1] + dt.timedelta(days=1):
            spans[-1][1] = max(spans[-1][1], period.end)
        else:
            spans.append([period.start, period.end])
    q = Q()
    for start, end in spans:
        span = Period(start, end)
        q |= span.q_date(field_name) if date else span.q(field_name)
    return q


def disjoint(periods: tuple[Period, ...]) -> bool:
    """Do no two of ``periods`` share a day (a period and the year before share none)?"""
    ordered = sorted(periods, key=lambda p: p.start)
    return all(a.end < b.start for a, b in pairwise(ordered))


def period_number(periods: tuple[Period, ...], field_name: str, *, date: bool = False):
    """The index in ``periods`` of the period that holds a row's ``field_name``, for the rows
    of :func:`covering` (the periods :func:`disjoint`, as :func:`compute` sees to): a row
    before the first period's end is in the first, and so on; the last needs no test."""
    ordered = sorted(range(len(periods)), key=lambda i: periods[i].start)
    whens = []
    for i in ordered[:-1]:
        period = periods[i]
        if date:
            before_end = Q(**{f"{field_name}__lte": period.end})
        else:
            before_end = Q(**{f"{field_name}__lt": period.until})
        whens.append(When(before_end, then=Value(i)))
    if not whens:
        return Value(ordered[-1], output_field=IntegerField())
    return Case(*whens, default=Value(ordered[-1]), output_field=IntegerField())


# -- statements compiled once ------------------------------------------------------------

#: The statements of the helpers below as compiled, by what they were built from (the
#: queryset's model, conditions, joins and values, the aggregates, the periods): the report
#: is asked again and again for the same period and filters (the admin report, its exports,
#: the public page), and building and compiling some 40 statements through the ORM cost
#: about as much as running them (issue #22). Only the statement is kept, never its rows:
#: every call runs it. Bounded: the oldest are forgotten first.
_compiled: OrderedDict[_HashedKey, tuple] = OrderedDict()
_compiled_lock = Lock()
COMPILED_KEEP = 256


def _statement_key(queryset: QuerySet, *more) -> tuple | None:
    """What a ``values()`` statement built on ``queryset`` depends on, comparable and
    hashable, or None where that cannot be told (the statement is then built afresh). A
    condition's values (a period's bounds, a filter's id, a cut-off time) are part of it;
    a subquery compares by identity, so a statement with one is never reused."""
    query = queryset.query
    if (
        query.combinator
        or query.extra
        or query.extra_tables
        or query.select_related
        or query.distinct_fields
        or query.select_for_update
        or query.low_mark
        or query.high_mark is not None
    ):
        return None
    key = (
        queryset.db,
        query.model,
        queryset._iterable_class,
        query.where,
        tuple(query.alias_map.items()),
        tuple(query.values_select),
        tuple(query.annotations.items()),
        None if query.annotation_select_mask is None else tuple(query.annotation_select_mask),
        tuple(query.selected.items()) if query.selected else None,
        query.group_by if query.group_by in (None, True) else tuple(query.group_by),
        tuple(query.order_by),
        query.default_ordering,
        query.distinct,
        *more,
    )
    try:
        return _HashedKey(key)
    except TypeError:
        return None


class SharedSubquery(Subquery):
    """``Subquery`` of a queryset the source keeps for the whole process (made once, e.g.
    with ``functools.cache``): two made from the same queryset object compare equal, so a
    statement reading it is compiled once (:func:`_statement_key`). Django's own
    ``Subquery`` compares as an object, so a statement with one is compiled every time."""

    def __init__(self, queryset, output_field=None, **extra):
        self.shared = queryset
        super().__init__(queryset, output_field, **extra)

    def _shared(self) -> tuple:
        return (type(self), id(self.shared), self.__dict__.get("output_field"))

    def __eq__(self, other) -> bool:
        return isinstance(other, SharedSubquery) and (
            self.shared is other.shared and self._shared() == other._shared()
        )

    def __hash__(self) -> int:
        return hash(self._shared())


class _HashedKey:
    """A statement's key with its hash worked out once: hashing a query's conditions walks
    every expression in them, and the key is hashed again by each lookup (issue #22)."""

    __slots__ = ("hashed", "parts")

    def __init__(self, parts: tuple):
        self.parts, self.hashed = parts, hash(parts)

    def __hash__(self) -> int:
        return self.hashed

    def __eq__(self, other) -> bool:
        return isinstance(other, _HashedKey) and (
            self.hashed == other.hashed and self.parts == other.parts
        )


#: Stands in for the moment a report is made for (or a cut-off worked out from it) in a
#: statement compiled once: a condition on "now" would make the statement new at every call
#: (issue #22). A source writes ``MOMENT`` where the moment goes and gives the moment itself
#: to :func:`_values` or :func:`aggregate` (``moment=``), which run the statement with it in
#: the stand-in's place. No row nor period of a report is at this instant.
MOMENT = dt.datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC)


def _with_moment(db: str, params, moment: dt.datetime | None) -> tuple:
    """``params`` of a statement with the moment in the place of :data:`MOMENT`."""
    ops = connections[db].ops
    stand_in = ops.adapt_datetimefield_value(MOMENT)
    if moment is None:
        if any(_same(param, stand_in) for param in params):
            raise ValueError("A statement with figures.MOMENT needs its moment (moment=…).")
        return tuple(params)
    value = ops.adapt_datetimefield_value(moment)
    return tuple(value if _same(param, stand_in) else param for param in params)


def _same(param, stand_in) -> bool:
    return type(param) is type(stand_in) and param == stand_in


def _kept(key) -> tuple | None:
    if key is None:
        return None
    with _compiled_lock:
        entry = _compiled.get(key)
        if entry is not None:
            _compiled.move_to_end(key)
        return entry


def _keep(key, entry: tuple) -> None:
    if key is None:
        return
    with _compiled_lock:
        _compiled[key] = entry
        while len(_compiled) > COMPILED_KEEP:
            _compiled.popitem(last=False)


def aggregate(queryset: QuerySet, aggregates: dict, *, moment: dt.datetime | None = None) -> dict:
    """``queryset.aggregate(**aggregates)``, its statement compiled once for the same
    rows and aggregates (:func:`_statement_key`) and run afresh at every call, with
    ``moment`` in the place of :data:`MOMENT`. Django's ``aggregate()`` of a grouped
    queryset (a ``values().annotate()``, aggregated again) rewrites every expression of
    the inner query at each call: some 30 ms of the inbox's figures (issue #22). The
    statement is the one Django ran the first time; it is kept only when all its values
    were whole numbers (counts and sums of counts), and read as whole numbers again."""
    key = _statement_key(queryset, "aggregate()", tuple(aggregates.items()))
    entry = _kept(key)
    if entry is not None:
        db, sql, params, names = entry
        with connections[db].cursor() as cursor:
            cursor.execute(sql, _with_moment(db, params, moment))
            row = cursor.fetchone()
        # Whole numbers as Django gives them (PostgreSQL's SUM of a count is a numeric).
        return {name: None if v is None else int(v) for name, v in zip(names, row, strict=True)}
    ran: list[tuple] = []

    def note(execute, sql, params, many, context):
        ran.append((sql, params))
        return execute(sql, _with_moment(queryset.db, params or (), moment), many, context)

    with connections[queryset.db].execute_wrapper(note):
        values = queryset.aggregate(**aggregates)
    plain = all(type(value) is int for value in values.values())
    if len(ran) == 1 and plain:
        sql, params = ran[0]
        _keep(key, (queryset.db, sql, tuple(params or ()), list(values)))
    return values


def rows(
    queryset: QuerySet, *, limit: int | None = None, moment: dt.datetime | None = None
) -> list[dict]:
    """``list(queryset[:limit])`` of a ``values()`` queryset, its statement compiled once
    for the same rows and values (:func:`_statement_key`) and run afresh at every call."""
    return _values(
        _statement_key(queryset, "rows", limit),
        lambda: queryset if limit is None else queryset[:limit],
        moment=moment,
    )


def _values(key: tuple | None, build, *, moment: dt.datetime | None = None) -> list[dict]:
    """The rows of the ``values()`` queryset ``build()`` returns, as dicts; its statement
    compiled once per ``key`` (:func:`_statement_key`; None: built and compiled each time)
    and run afresh at every call (with ``moment`` in the place of :data:`MOMENT`), through
    the database's converters as the ORM would."""
    entry = _kept(key)
    if entry is None:
        queryset = build()
        if queryset._iterable_class is not ValuesIterable:
            raise TypeError("a values() queryset")
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return list(queryset)
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        entry = (queryset.db, sql, tuple(params), compiler, names)
        _keep(key, entry)
    db, sql, params, compiler, names = entry
    with connections[db].cursor() as cursor:
        cursor.execute(sql, _with_moment(db, params, moment))
        fetched = cursor.fetchall()
    return [dict(zip(names, row, strict=True)) for row in compiler.results_iter([fetched])]


def aggregate_per_period(
    queryset: QuerySet,
    aggregates: dict,
    periods: tuple[Period, ...],
    field_name: str,
    *,
    date: bool = False,
) -> dict:
    """``queryset.aggregate(**aggregates)`` for each period at once (``queryset`` holds the
    rows of :func:`covering`): one statement grouped by the period's number, so each row is
    read and each aggregate computed once. The values are named ``<name>_p<i>``
    (:func:`of_period` gives the ``i``-th period's); a period without rows gets what
    ``aggregate()`` gives on no rows (0 for a count, ``None`` otherwise)."""
    if len(periods) == 1:
        return {f"{name}_p0": value for name, value in queryset.aggregate(**aggregates).items()}
    # Aliases of our own: an aggregate's name may be a field's name (aggregate() allows it,
    # annotate() does not).
    aliases = {f"_agg_{n}": name for n, name in enumerate(aggregates)}

    def build():
        return (
            queryset.order_by()
            .annotate(_period=period_number(periods, field_name, date=date))
            .values("_period")
            .annotate(**{alias: aggregates[name] for alias, name in aliases.items()})
        )

    key = _statement_key(
        queryset, "aggregate", tuple(aggregates.items()), periods, field_name, date
    )
    found = {row["_period"]: row for row in _values(key, build)}
    values = {}
    for i in range(len(periods)):
        row = found.get(i)
        for alias, name in aliases.items():
            empty = aggregates[name].empty_result_set_value
            values[f"{name}_p{i}"] = row[alias] if row is not None else empty
    return values


def annotate_per_period(
    values: QuerySet,
    aggregates: dict,
    periods: tuple[Period, ...],
    field_name: str,
    *,
    date: bool = False,
    period_first: bool = False,
) -> list[list[dict]]:
    """``list(values.annotate(**aggregates))`` (a breakdown: ``values`` is a ``values()``
    queryset over the rows of :func:`covering`) for each period at once, each period's rows
    in the statement's order. On SQLite the groups stay the breakdown's own (so the
    database may still read them in the order of an index) and each aggregate is computed
    per period (:func:`period_conditions`); a group shows in the periods that hold rows of
    it. On PostgreSQL the period is one more group (:func:`period_number`).

    ``period_first``: on SQLite too the period is a group, and the first one. For a
    breakdown by an indexed column (a foreign key) SQLite otherwise walks that index to
    read the groups in order, fetching every row of the table by its rowid, which cost
    more than reading the table once and sorting (measured at 100,000 rows, issue #22)."""
    if len(periods) == 1:
        return [list(values.annotate(**aggregates))]
    vendor = connections[values.db].vendor
    key = _statement_key(
        values, "annotate", tuple(aggregates.items()), periods, field_name, date, period_first
    )
    if vendor == "postgresql" or period_first:
        # PostgreSQL sorts the rows of each group for every distinct count: grouped by the
        # period as well, each count sorts each row once (a filter per period would sort
        # every row for each period's count).
        def build():
            rows = values.annotate(_period=period_number(periods, field_name, date=date)).annotate(
                **aggregates
            )
            if period_first and vendor != "postgresql":
                rows.query.group_by = _period_first(rows.query.group_by)
            return rows

        split = [[] for _period in periods]
        for row in _values(key, build):
            split[row.pop("_period")].append(row)
        return split
    # The group's rows in each period: the breakdown's own count of them if it has one.
    present = next((name for name, a in aggregates.items() if _counts_rows(a)), None)
    counted = aggregates if present else {**aggregates, "_rows": Count("pk")}
    rows = _values(
        key,
        lambda: values.annotate(
            **per_condition(counted, period_conditions(periods, field_name, date=date))
        ),
    )
    split = []
    for i in range(len(periods)):
        split.append([])
        for row in rows:
            if row[f"{present or '_rows'}_p{i}"]:
                values_of_period = of_period(row, i)
                values_of_period.pop("_rows", None)
                split[-1].append(values_of_period)
    return split


def _period_first(group_by) -> tuple:
    """A breakdown's ``GROUP BY`` with the period's number (``_period``) first: no index of
    the table starts with it, so SQLite reads the table in its own order and sorts."""
    first = [e for e in group_by if getattr(e, "refs", None) == "_period"]
    return (*first, *(e for e in group_by if not any(e is f for f in first)))


def _counts_rows(aggregate) -> bool:
    """Is ``aggregate`` a plain ``Count("pk")`` (every row, once)?"""
    return (
        isinstance(aggregate, Count)
        and not aggregate.distinct
        and aggregate.filter is None
        and aggregate.get_source_expressions()[:1] == [F("pk")]
    )


def period_conditions(
    periods: tuple[Period, ...], field_name: str, *, date: bool = False
) -> list[Q]:
    """A condition per period for the rows of :func:`covering` (the periods
    :func:`disjoint`): a row is in the first period if it is before that period's end, in the
    last if it is from its start on, so a condition is one comparison where it can be."""
    ordered = sorted(range(len(periods)), key=lambda i: periods[i].start)
    first, last = ordered[0], ordered[-1]
    conditions = []
    for i, period in enumerate(periods):
        if date:
            since = Q(**{f"{field_name}__gte": period.start})
            until = Q(**{f"{field_name}__lte": period.end})
        else:
            since = Q(**{f"{field_name}__gte": period.since})
            until = Q(**{f"{field_name}__lt": period.until})
        conditions.append(until if i == first else since if i == last else since & until)
    return conditions


def per_condition(aggregates: dict, conditions: list[Q]) -> dict:
    """Each aggregate once per period, named ``<name>_p<i>``, counting only the rows the
    ``i``-th condition picks (``FILTER (WHERE …)``), for periods that are not a column's
    range (months of closing, groups already made per period). With one condition the
    aggregates are left as they are (the statement's ``WHERE`` holds it). The condition
    comes first in each ``FILTER``, so that the aggregate's own condition is evaluated only
    for the rows of its period."""
    split = {}
    for i, inside in enumerate(conditions):
        for name, aggregate in aggregates.items():
            if len(conditions) > 1:
                aggregate = aggregate.copy()
                aggregate.filter = inside if aggregate.filter is None else inside & aggregate.filter
            split[f"{name}_p{i}"] = aggregate
    return split


def of_period(row: dict, i: int) -> dict:
    """The values of the ``i``-th period of a row made with :func:`aggregate_per_period` or
    :func:`per_condition`, under their own names (the other keys, such as a breakdown's
    group, are kept as they are)."""
    suffix = f"_p{i}"
    values = {}
    for key, value in row.items():
        if key.endswith(suffix):
            values[key[: -len(suffix)]] = value
        elif not _PERIOD_SUFFIX.search(key):
            values[key] = value
    return values


def rows_of_period(rows, i: int, present: str = "n") -> list[dict]:
    """The groups of a breakdown made with :func:`per_condition` that the ``i``-th period
    holds (``present``: a count of the group's rows in that period), as :func:`of_period`
    gives them: the groups a query of that period alone would have given."""
    return [values for row in rows if (values := of_period(row, i))[present]]


class SpanSeconds(Func):
    """``end - start`` in seconds as a float, computed by the database itself: on SQLite with
    ``julianday()`` rather than Django's Python function for datetime arithmetic (which is
    called once per row and dominates on large tables), on PostgreSQL with ``date_part``,
    a ``double precision``: ``EXTRACT`` answers a ``numeric`` since PostgreSQL 14, and the
    medians' ordered reads sorted those numbers five times slower (a year's loans at
    1,000,000 rows of history: 151 against 28 ms, issue #22)."""

    output_field = FloatField()
    arg_joiner = " - "
    template = "date_part('epoch', %(expressions)s)"

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class Choose(Func):
    """``CASE operand WHEN key THEN value … ELSE default END``: the database evaluates the
    operand once per row, where a searched ``CASE`` (Django's ``Case``) or an ``OR`` of one
    branch per key evaluates it again for every branch (costly for an operand such as
    :func:`local_date_and_weekday`'s)."""

    def __init__(self, operand, choices, default=None, *, output_field):
        expressions = [operand]
        for key, value in choices:
            expressions += [Value(key), Value(value)]
        expressions.append(Value(default) if default is None else default)
        super().__init__(*expressions, output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        (operand, params), *pairs, (default, default_params) = compiled
        sql = [f"CASE {operand}"]
        params = list(params)
        for (key, key_params), (value, value_params) in zip(pairs[::2], pairs[1::2], strict=True):
            sql.append(f"WHEN {key} THEN {value}")
            params += [*key_params, *value_params]
        sql.append(f"ELSE {default} END")
        return " ".join(sql), [*params, *default_params]


@lru_cache(maxsize=32)
def offset_spans(first: dt.date, last: dt.date) -> tuple[tuple[dt.datetime, dt.datetime, int], ...]:
    """Europe/Copenhagen's UTC offset as spans of constant offset covering the days ``first``
    to ``last``: ``(since, until, seconds)`` with aware UTC bounds, ``until`` exclusive."""
    utc = dt.UTC
    start = dt.datetime.combine(first, dt.time.min, tzinfo=CPH).astimezone(utc)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=CPH).astimezone(utc)

    def offset(instant: dt.datetime) -> int:
        return int(instant.astimezone(CPH).utcoffset().total_seconds())

    spans = []
    since, current = start, offset(start)
    day = start
    while day < end:
        following = min(day + dt.timedelta(days=1), end)
        if offset(following) != current:
            low, high = day, following  # the change lies in (low, high]: bisect to the second
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset(middle) == current:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            spans.append((since, high, current))
            since, current = high, offset(high)
        day = following
    spans.append((since, end, current))
    return tuple(spans)


def local_date_and_weekday(field_name: str, first: dt.date, last: dt.date, vendor: str):
    """The date and ISO weekday (1 = Monday) in Europe/Copenhagen of a datetime column.

    On PostgreSQL Django's own ``TruncDate``/``ExtractIsoWeekDay`` (``AT TIME ZONE``). On
    SQLite those call a Python function for every row, which dominated the report on a large
    table; there the instant is shifted by the offset of its span (:func:`offset_spans` of
    the days ``first`` to ``last``) with SQLite's own ``date()`` and ``strftime('%w')``, and
    Django's functions answer only for instants outside those days.
    """
    date = TruncDate(field_name, tzinfo=CPH)
    weekday = ExtractIsoWeekDay(field_name, tzinfo=CPH)
    if vendor != "sqlite":
        return date, weekday
    spans = offset_spans(first, last)
    shift = Case(
        *(
            When(
                Q(**{f"{field_name}__gte": since, f"{field_name}__lt": until}),
                then=Value(f"{seconds:+d} seconds"),
            )
            for since, until, seconds in spans
        ),
        default=Value(None),
    )
    inside = Q(**{f"{field_name}__gte": spans[0][0], f"{field_name}__lt": spans[-1][1]})
    native_date = Func(F(field_name), shift, function="date", output_field=DateField())
    sunday_first = Cast(
        Func(Value("%w"), F(field_name), shift, function="strftime"), IntegerField()
    )
    native_weekday = Mod(sunday_first + 6, 7, output_field=IntegerField()) + 1
    return (
        Case(When(inside, then=native_date), default=date, output_field=DateField()),
        Case(When(inside, then=native_weekday), default=weekday, output_field=IntegerField()),
    )


def median_duration(
    queryset: QuerySet, start_field: str, end_field: str, count: int | None = None
) -> tuple[dt.timedelta | None, int]:
    """The median of ``end - start`` over the rows where both are set, and how many rows
    there were: two queries (a count and one or two ordered rows) whatever the size, the
    same on SQLite and PostgreSQL. A source that already counts those rows in its own
    aggregate passes ``count`` (the number of rows of ``queryset`` where both are set) and
    saves the first query."""

    def spans():
        return queryset.filter(
            **{f"{start_field}__isnull": False, f"{end_field}__isnull": False}
        ).annotate(_span=SpanSeconds(F(end_field), F(start_field)))

    n = spans().count() if count is None else count
    if not n:
        return None, 0
    # The middle one or two rows: a statement compiled once for the same rows and count.
    middle = [
        row["_span"]
        for row in _values(
            _statement_key(queryset, "median", start_field, end_field, n),
            lambda: spans().order_by("_span").values("_span")[(n - 1) // 2 : n // 2 + 1],
        )
    ]
    return dt.timedelta(seconds=round(sum(middle) / len(middle), 3)), n


def days(span: dt.timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds() / 86400, 1)


def hours(span: dt.timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds() / 3600, 1)


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or ``None`` of nothing."""
    return None if not whole else round(100 * part / whole, 1)


def rows_from_counts(
    counts: dict, labels: dict | None = None, people: dict | None = None
) -> tuple[Row, ...]:
    """Rows from ``{key: count}``, labelled, the biggest first (then by label)."""
    labels = labels or {}
    people = people or {}
    rows = [
        Row(str(labels.get(key, key) or _("(none)")), value, people.get(key))
        for key, value in counts.items()
        if value
    ]
    return tuple(sorted(rows, key=lambda r: (-(r.value or 0), r.label)))


# -- the public view of a figure -------------------------------------------------------


@dataclass(frozen=True)
class PublicFigure:
    figure: Figure
    shown: bool
    rows: tuple[Row, ...]


def public(figure: Figure, minimum: int = PUBLIC_MINIMUM) -> PublicFigure:
    """The figure as the public page may show it. A figure that describes fewer than
    ``minimum`` people is withheld. In a breakdown, rows under the minimum are merged into
    one "Øvrige" row; if that row is still under the minimum, the next smallest rows join it
    until it is not (so nobody can subtract their way to a small group); if it never gets
    there the breakdown is withheld."""
    if figure.people is not None and figure.people < minimum:
        return PublicFigure(figure, False, ())
    if not figure.rows or not figure.public_rows:
        return PublicFigure(figure, True, ())
    if any(row.people is None for row in figure.rows):
        # A breakdown that describes things, not people (seats, events): shown as it is.
        return PublicFigure(figure, True, figure.rows)
    rows = sorted(figure.rows, key=lambda r: (r.people, r.label))
    small = [r for r in rows if r.people < minimum]
    if not small:
        return PublicFigure(figure, True, figure.rows)
    big = [r for r in rows if r.people >= minimum]
    if not figure.additive:
        # Medians and scores do not add up: small rows are left out, not merged.
        return PublicFigure(figure, True, tuple(r for r in figure.rows if r.people >= minimum))
    while sum(r.people for r in small) < minimum and big:
        small.append(big.pop(0))
    if sum(r.people for r in small) < minimum or not big:
        # Nothing to show beside one "Other" row that would be the whole figure again.
        return PublicFigure(figure, True, ())
    other_value = sum((r.value or 0) for r in small)
    merged = Row(str(_("Other")), other_value, sum(r.people for r in small), merged=True)
    kept = (*sorted(big, key=lambda r: (-(r.value or 0), r.label)), merged)
    return PublicFigure(figure, True, kept)
