"""The clash check: hard clashes (the same place and room at an overlapping time: another
event, or a loan through the ``VENUE_BOOKINGS`` hook), soft clashes (another published
event for the same audience starting within ``KALENDER_SOFT_CLASH_WINDOW`` hours), possible
duplicates (a similar title at the same place at an overlapping time) and the holidays of
the dates as context. Each of the queries is one indexed range query over the slots."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q

from frivillig_blocks import workdays
from frivillig_blocks.hooks import venue_bookings

from . import conf, rules
from .models import HOLDING_STATUSES, EventStatus, SchoolHoliday, Slot
from .occurrences import Date, local_tz


@dataclass(frozen=True)
class Clash:
    date_index: int  # which of the checked dates
    start: datetime.datetime  # the other thing's time
    end: datetime.datetime
    title: str
    kind: str  # "event" or "loan"
    room: str = ""
    details_id: int | None = None


@dataclass
class ClashReport:
    dates: list[Date]
    hard: list[Clash] = field(default_factory=list)
    soft: list[Clash] = field(default_factory=list)
    duplicates: list[Clash] = field(default_factory=list)
    holidays: list[tuple[datetime.date, str]] = field(default_factory=list)
    school_holidays: list[tuple[datetime.date, str]] = field(default_factory=list)

    @property
    def hard_dates(self) -> list[Date]:
        indexes = sorted({c.date_index for c in self.hard})
        return [self.dates[i] for i in indexes]

    @property
    def has_warnings(self) -> bool:
        return bool(self.soft or self.duplicates)

    def fingerprint(self) -> str:
        """Identifies the warnings shown, so an acknowledgement covers exactly them."""
        items = sorted(
            f"{c.kind}:{c.details_id}:{c.start.isoformat()}" for c in self.soft + self.duplicates
        )
        return hashlib.sha256("|".join(items).encode()).hexdigest()[:16] if items else ""


def _or_of_ranges(terms: list[tuple[str, list]]) -> tuple[str, list]:
    """One WHERE fragment ``(...) OR (...)`` from (sql, params) terms. Built as SQL rather
    than as 52 ``Q`` objects: Django's query building would cost more than the query."""
    sql = " OR ".join(f"({term})" for term, _params in terms)
    params = [p for _term, term_params in terms for p in term_params]
    return f"({sql})", params


def _adapt(value):
    return connection.ops.adapt_datetimefield_value(value)


def _overlapping(dates, place_id: int, longest: datetime.timedelta) -> tuple[str, list]:
    """Slots at the place overlapping any of the dates. Each term names the place and bounds
    ``start`` from below (no slot lasts longer than ``longest``), so the database answers
    the OR with one index range scan per date (SQLite: MULTI-INDEX OR)."""
    t = Slot._meta.db_table
    term = (
        f'"{t}"."place_id" = %s AND "{t}"."start" >= %s AND "{t}"."start" < %s AND "{t}"."end" > %s'
    )
    return _or_of_ranges(
        [
            (term, [place_id, _adapt(d.start - longest), _adapt(d.end), _adapt(d.start)])
            for d in dates
        ]
    )


def _starting_near(dates, window: datetime.timedelta) -> tuple[str, list]:
    """Public slots starting within ``window`` of any of the dates (the same evening)."""
    t = Slot._meta.db_table
    term = f'"{t}"."public" = %s AND "{t}"."start" >= %s AND "{t}"."start" < %s'
    return _or_of_ranges(
        [(term, [True, _adapt(d.start - window), _adapt(d.end + window)]) for d in dates]
    )


ROW = ("start", "end", "room", "details_id", "details__event__title")


def _audience(age_group_ids, theme_ids) -> Q:
    """Slots for any of the age groups or themes."""
    return reduce(
        or_,
        [Q(audience__contains=f"|ag:{i}|") for i in age_group_ids]
        + [Q(audience__contains=f"|th:{i}|") for i in theme_ids],
    )


def _holding_at(others, dates, place_id: int, longest: datetime.timedelta):
    """(start, end, room, details, title) of the slots holding the place at any of the dates."""
    where, params = _overlapping(dates, place_id, longest)
    return (
        others.extra(where=[where], params=params)  # noqa: S610 – our SQL, values as params
        .filter(status__in=HOLDING_STATUSES)
        .order_by()
        .values_list(*ROW)
    )


def _published_near(others, dates, window: datetime.timedelta, audience: Q):
    """(start, end, room, details, title) of the published slots for the audience starting
    within ``window`` of any of the dates."""
    where, params = _starting_near(dates, window)
    return (
        others.extra(where=[where], params=params)  # noqa: S610 – our SQL, values as params
        .filter(status=EventStatus.PUBLISHED)
        .filter(audience)
        .order_by()
        .values_list(*ROW)
    )


def check(
    *,
    dates: list[Date],
    title: str,
    place_id: int | None,
    room: str = "",
    age_group_ids=(),
    theme_ids=(),
    exclude_details_id: int | None = None,
) -> ClashReport:
    wanted = [d for d in dates if not d.cancelled]
    report = ClashReport(dates=wanted)
    if not wanted:
        return report
    spans = [(d.start, d.end) for d in wanted]
    others = Slot.objects.all()
    if exclude_details_id:
        others = others.exclude(details_id=exclude_details_id)

    longest = datetime.timedelta(hours=conf.app_settings.MAX_DURATION_HOURS)
    if place_id:
        rows = _holding_at(others, wanted, place_id, longest)
        for index, (start, end, other_room, details_id, other_title) in rules.overlapping_pairs(
            spans, rows
        ):
            clash = Clash(index, start, end, other_title, "event", other_room, details_id)
            if rules.same_room(room, other_room):
                report.hard.append(clash)
            if rules.similar_titles(title, other_title):
                report.duplicates.append(clash)
        bookings = venue_bookings(place_id, wanted[0].start, max(d.end for d in wanted))
        loans = [(b.start, b.end, b) for b in bookings if rules.same_room(room, b.room)]
        for index, (start, end, booking) in rules.overlapping_pairs(spans, loans):
            report.hard.append(Clash(index, start, end, booking.label, "loan", booking.room))

    if age_group_ids or theme_ids:
        window = datetime.timedelta(hours=conf.app_settings.SOFT_CLASH_WINDOW)
        rows = _published_near(others, wanted, window, _audience(age_group_ids, theme_ids))
        hard_keys = {(c.details_id, c.start) for c in report.hard}
        widened = [(s - window, e + window) for s, e in spans]
        seen = set()
        for index, (start, end, other_room, details_id, other_title) in rules.overlapping_pairs(
            widened, rows
        ):
            key = (index, details_id, start)
            if key in seen or (details_id, start) in hard_keys:
                continue
            seen.add(key)
            report.soft.append(
                Clash(index, start, end, other_title, "event", other_room, details_id)
            )

    tz = local_tz()
    days = sorted({d.start.astimezone(tz).date() for d in wanted})
    holidays = workdays.holidays_between(days[0], days[-1])
    report.holidays = [(day, holidays[day]) for day in days if day in holidays]
    report.school_holidays = _school_holidays(days)
    for items in (report.hard, report.soft, report.duplicates):
        items.sort(key=lambda c: (c.start, c.title))
    return report


def _school_holidays(days: list[datetime.date]) -> list[tuple[datetime.date, str]]:
    periods = [
        (h.start_date, h.end_date, h.name)
        for h in SchoolHoliday.objects.filter(start_date__lte=days[-1], end_date__gte=days[0])
    ]
    for name, first, last in conf.app_settings.SCHOOL_HOLIDAYS:
        periods.append(
            (datetime.date.fromisoformat(first), datetime.date.fromisoformat(last), name)
        )
    found = []
    for day in days:
        for first, last, name in periods:
            if first <= day <= last:
                found.append((day, name))
                break
    return found


# --- Many dates at once: a linked calendar's import (issue #23) ---------------------------


@dataclass(frozen=True)
class Planned:
    """One date to check on its own, with its own title and place."""

    date: Date
    title: str
    place_id: int | None


#: Dates per statement of ``check_each``: each is one term of an ``OR`` of index ranges.
CHUNK = 200


def _chunks(items: list, size: int = CHUNK):
    for first in range(0, len(items), size):
        yield items[first : first + size]


def check_each(
    planned: list[Planned], *, room: str = "", age_group_ids=(), theme_ids=()
) -> list[ClashReport]:
    """``check`` of each planned date on its own (``check(dates=[p.date], title=p.title,
    place_id=p.place_id, room=room, ...)``), against the calendar as it stands, in a number
    of statements that grows with the number of places and of chunks of ``CHUNK`` dates,
    not with the dates: the same range queries as ``check`` (one ``OR`` term per date), the
    venues' bookings once per place over all its dates, the school holidays once. The dates
    must not be cancelled."""
    reports = [ClashReport(dates=[p.date]) for p in planned]
    if not planned:
        return reports
    longest = datetime.timedelta(hours=conf.app_settings.MAX_DURATION_HOURS)
    by_place: dict[int, list[int]] = {}
    for i, p in enumerate(planned):
        if p.place_id:
            by_place.setdefault(p.place_id, []).append(i)
    for place_id, indexes in by_place.items():
        indexes.sort(key=lambda i: planned[i].date.start)
        for chunk in _chunks(indexes):
            dates = [planned[i].date for i in chunk]
            rows = _holding_at(Slot.objects.all(), dates, place_id, longest)
            spans = [(d.start, d.end) for d in dates]
            for k, (start, end, other_room, details_id, other_title) in rules.overlapping_pairs(
                spans, rows
            ):
                i = chunk[k]
                clash = Clash(0, start, end, other_title, "event", other_room, details_id)
                if rules.same_room(room, other_room):
                    reports[i].hard.append(clash)
                if rules.similar_titles(planned[i].title, other_title):
                    reports[i].duplicates.append(clash)
        dates = [planned[i].date for i in indexes]
        bookings = venue_bookings(place_id, dates[0].start, max(d.end for d in dates))
        loans = [(b.start, b.end, b) for b in bookings if rules.same_room(room, b.room)]
        for k, (start, end, booking) in rules.overlapping_pairs(
            [(d.start, d.end) for d in dates], loans
        ):
            reports[indexes[k]].hard.append(
                Clash(0, start, end, booking.label, "loan", booking.room)
            )

    if age_group_ids or theme_ids:
        window = datetime.timedelta(hours=conf.app_settings.SOFT_CLASH_WINDOW)
        audience = _audience(age_group_ids, theme_ids)
        ordered = sorted(range(len(planned)), key=lambda i: planned[i].date.start)
        for chunk in _chunks(ordered):
            dates = [planned[i].date for i in chunk]
            rows = _published_near(Slot.objects.all(), dates, window, audience)
            widened = [(d.start - window, d.end + window) for d in dates]
            seen = set()
            for k, (start, end, other_room, details_id, other_title) in rules.overlapping_pairs(
                widened, rows
            ):
                i = chunk[k]
                report = reports[i]
                key = (i, details_id, start)
                if key in seen or (details_id, start) in {
                    (c.details_id, c.start) for c in report.hard
                }:
                    continue
                seen.add(key)
                report.soft.append(
                    Clash(0, start, end, other_title, "event", other_room, details_id)
                )

    tz = local_tz()
    days = [p.date.start.astimezone(tz).date() for p in planned]
    first, last = min(days), max(days)
    holidays = workdays.holidays_between(first, last)
    school = dict(_school_holidays(sorted(set(days))))
    for report, day in zip(reports, days, strict=True):
        if day in holidays:
            report.holidays = [(day, holidays[day])]
        if day in school:
            report.school_holidays = [(day, school[day])]
        for items in (report.hard, report.soft, report.duplicates):
            items.sort(key=lambda c: (c.start, c.title))
    return reports
