"""The calendar's settings, each read with a default (validated in checks.py)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # Hours before and after an event within which another published event for the same
    # audience is a soft clash ("the same evening").
    "KALENDER_SOFT_CLASH_WINDOW": 3,
    # A recurring event may have at most this many dates, over at most this many days.
    "KALENDER_MAX_OCCURRENCES": 260,
    "KALENDER_MAX_RECURRENCE_DAYS": 400,
    # One date of an event may last at most this many hours (also bounds the clash
    # queries' index ranges).
    "KALENDER_MAX_DURATION_HOURS": 96,
    # Largest image an organiser may upload, in megabytes.
    "KALENDER_MAX_IMAGE_MB": 5,
    # Events per page in the list views.
    "KALENDER_PAGE_SIZE": 25,
    # The django-scheduler calendar the events belong to.
    "KALENDER_CALENDAR_SLUG": "frivillig",
    # Days after today the feed and the API include by default.
    "KALENDER_FEED_DAYS": 400,
    # School holidays as (name, first day ISO, last day ISO) besides the editable snippets.
    "KALENDER_SCHOOL_HOLIDAYS": [],
    # Days after an event's last date when it loses who made it (and a private person's
    # event its organiser's name, address, description and image): see integration.py.
    "KALENDER_RETENTION_DAYS": 730,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
