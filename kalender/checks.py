"""System checks for the calendar's settings (see conf.py)."""

from __future__ import annotations

import datetime

from django.core.checks import Error, register

from . import conf

POSITIVE_INTS = {
    "KALENDER_SOFT_CLASH_WINDOW": (0, 48),
    "KALENDER_MAX_OCCURRENCES": (1, 5000),
    "KALENDER_MAX_RECURRENCE_DAYS": (1, 3660),
    "KALENDER_MAX_DURATION_HOURS": (1, 24 * 366),
    "KALENDER_MAX_IMAGE_MB": (1, 100),
    "KALENDER_PAGE_SIZE": (1, 500),
    "KALENDER_FEED_DAYS": (1, 3660),
    "KALENDER_RETENTION_DAYS": (1, 3660),
}


@register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for name, (low, high) in POSITIVE_INTS.items():
        value = conf.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(
                Error(
                    f"{name} must be a whole number from {low} to {high} (got {value!r}).",
                    id=f"kalender.E{list(POSITIVE_INTS).index(name) + 1:03d}",
                )
            )
    slug = conf.get("KALENDER_CALENDAR_SLUG")
    if not isinstance(slug, str) or not slug:
        errors.append(
            Error("KALENDER_CALENDAR_SLUG must be a non-empty string.", id="kalender.E020")
        )
    holidays = conf.get("KALENDER_SCHOOL_HOLIDAYS")
    try:
        for name, first, last in holidays:
            if datetime.date.fromisoformat(first) > datetime.date.fromisoformat(last):
                raise ValueError(name)
    except (TypeError, ValueError):
        errors.append(
            Error(
                "KALENDER_SCHOOL_HOLIDAYS must be a list of (name, first day, last day) with "
                "ISO dates (YYYY-MM-DD), the first day not after the last.",
                id="kalender.E021",
            )
        )
    return errors
