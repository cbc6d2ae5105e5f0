"""Danish holidays and working days from the ``holidays`` package (issue #19): the days a
municipality's offices are closed, shared by the calendar and the inbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from frivillig_blocks import workdays

D = dt.date


def test_the_holiday_set_is_the_public_holidays_plus_grundlovsdag_and_juleaftensdag():
    with translation.override("da"):
        days = workdays.holidays_of_year(2026)
    assert days == {
        D(2026, 1, 1): "Nytårsdag",
        D(2026, 4, 2): "Skærtorsdag",
        D(2026, 4, 3): "Langfredag",
        D(2026, 4, 5): "Påskedag",
        D(2026, 4, 6): "Anden påskedag",
        D(2026, 5, 14): "Kristi himmelfartsdag",
        D(2026, 5, 24): "Pinsedag",
        D(2026, 5, 25): "Anden pinsedag",
        D(2026, 6, 5): "Grundlovsdag",
        D(2026, 12, 24): "Juleaftensdag",
        D(2026, 12, 25): "Juledag",
        D(2026, 12, 26): "Anden juledag",
    }
    # Not days off for the offices: 1 May and New Year's Eve.
    assert not workdays.is_holiday(D(2026, 5, 1))
    assert not workdays.is_holiday(D(2026, 12, 31))


def test_store_bededag_is_a_holiday_until_2023_only():
    assert workdays.is_holiday(D(2023, 5, 5))
    assert not any(d.month == 4 and d.day == 24 for d in workdays.holidays_of_year(2024))
    assert len(workdays.holidays_of_year(2023)) == 13
    assert len(workdays.holidays_of_year(2024)) == 12


def test_names_follow_the_active_language():
    with translation.override("da"):
        assert workdays.holiday_name(D(2026, 4, 5)) == "Påskedag"
    with translation.override("en"):
        assert workdays.holiday_name(D(2026, 4, 5)) == "Easter Sunday"
    assert workdays.holiday_name(D(2026, 4, 7)) is None


def test_holidays_between_spans_years_both_ends_included():
    with translation.override("da"):
        found = workdays.holidays_between(D(2026, 12, 24), D(2027, 1, 1))
    assert found == {
        D(2026, 12, 24): "Juleaftensdag",
        D(2026, 12, 25): "Juledag",
        D(2026, 12, 26): "Anden juledag",
        D(2027, 1, 1): "Nytårsdag",
    }


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 4, 1), True),  # Wednesday before Easter
        (D(2026, 4, 2), False),  # Skærtorsdag
        (D(2026, 4, 4), False),  # Saturday
        (D(2026, 4, 6), False),  # Anden påskedag
        (D(2026, 4, 7), True),
        (D(2026, 6, 5), False),  # Grundlovsdag, a Friday
        (dt.datetime(2026, 12, 24, 9), False),  # a datetime counts by its date
    ],
)
def test_is_working_day(day, working):
    assert workdays.is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 4, 1), 1, D(2026, 4, 7)),  # over Easter: Wed → Tue
        (D(2026, 4, 7), -1, D(2026, 4, 1)),  # and back
        (D(2026, 4, 8), -2, D(2026, 4, 1)),
        (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday → Monday
        (D(2026, 11, 29), -1, D(2026, 11, 27)),  # Sunday → Friday
        (D(2026, 11, 29), 0, D(2026, 11, 29)),
        (D(2026, 12, 23), 1, D(2026, 12, 28)),  # Juleaftensdag, Juledag, the weekend
    ],
)
def test_add_working_days(day, n, expected):
    assert workdays.add_working_days(day, n) == expected


def test_working_days_between_counts_after_the_first_up_to_the_last():
    assert workdays.working_days_between(D(2026, 4, 1), D(2026, 4, 7)) == 1
    assert workdays.working_days_between(D(2026, 4, 7), D(2026, 4, 1)) == -1
    assert workdays.working_days_between(D(2026, 11, 23), D(2026, 11, 27)) == 4
    assert workdays.working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    # December 2026: 23 weekdays, two of them closed (24th, 25th; the 31st is open).
    assert workdays.working_days_between(D(2026, 11, 30), D(2026, 12, 31)) == 21
