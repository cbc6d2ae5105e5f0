"""Danish holidays and working days, from the ``holidays`` package (one source for every
app: the calendar shows the holidays, the inbox counts its promise in working days).

The set is the days a Danish municipality's offices are closed: the public holidays
(helligdage: Nytårsdag, Skærtorsdag, Langfredag, Påskedag, Anden påskedag, Store bededag
until 2023, Kristi himmelfartsdag, Pinsedag, Anden pinsedag, Juledag, Anden juledag) plus
Grundlovsdag (5 June) and Juleaftensdag (24 December), which the package lists as optional
holidays. A working day is Monday to Friday and not one of those days."""

from __future__ import annotations

import datetime
import functools

import holidays
from django.conf import settings
from django.utils import translation

#: Optional Danish holidays (month, day) on which municipal offices are closed.
CLOSED_OPTIONAL_DAYS = frozenset({(6, 5), (12, 24)})


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE or "da"
    return "da" if language.lower().startswith("da") else "en_US"


@functools.lru_cache(maxsize=128)
def _holidays_of(year: int, language: str) -> dict[datetime.date, str]:
    days = dict(holidays.country_holidays("DK", years=year, language=language).items())
    optional = holidays.country_holidays(
        "DK", years=year, categories=("optional",), language=language
    )
    for day, name in optional.items():
        if (day.month, day.day) in CLOSED_OPTIONAL_DAYS:
            days[day] = name
    return dict(sorted(days.items()))


def _date(day) -> datetime.date:
    return day.date() if isinstance(day, datetime.datetime) else day


def holidays_of_year(year: int) -> dict[datetime.date, str]:
    """The year's holidays with their names in the active language (Danish or English)."""
    return dict(_holidays_of(year, _language()))


def holidays_between(first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    """The holidays from ``first`` to ``last``, both included."""
    first, last = _date(first), _date(last)
    found = {}
    for year in range(first.year, last.year + 1):
        for day, name in _holidays_of(year, _language()).items():
            if first <= day <= last:
                found[day] = name
    return found


def holiday_name(day: datetime.date) -> str | None:
    day = _date(day)
    return _holidays_of(day.year, _language()).get(day)


def is_holiday(day: datetime.date) -> bool:
    day = _date(day)
    return day in _holidays_of(day.year, "en_US")


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and not a holiday."""
    day = _date(day)
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The day ``n`` working days after ``day`` (before it when ``n`` is negative); ``day``
    itself need not be a working day. ``n == 0`` gives ``day``."""
    day = _date(day)
    step = datetime.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    """How many working days come after ``first`` up to and including ``last`` (negative
    when ``last`` is before ``first``): ``add_working_days(first, n)`` lands on or before
    ``last`` for each n up to this count."""
    first, last = _date(first), _date(last)
    if last < first:
        return -working_days_between(last, first)
    count = 0
    day = first
    while day < last:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
