"""Recurrence on django-scheduler: the rules an organiser may choose, the expansion of an
event's dates in the local time zone (Europe/Copenhagen, so 19:00 stays 19:00 across
daylight saving) on django-scheduler's rules (persisted ``Occurrence`` rows are its
exceptions: cancelled or moved dates), local times resolved as RFC 5545 says (the
ambiguous hour is its first occurrence: ``resolve_local``), and the calendar's index of
expanded dates (``Slot``)."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from schedule.models import Calendar, Event, Rule
from schedule.utils import OccurrenceReplacer

from . import conf
from .exceptions import InvalidRecurrence, TooManyOccurrences
from .models import PUBLIC_STATUSES, EventDetails, Slot

# key -> (django-scheduler frequency, params, label). Organisers choose a key; the rule's
# parameters never come from a request.
RECURRENCES = {
    "daily": ("DAILY", "", _("Every day")),
    "weekly": ("WEEKLY", "", _("Every week")),
    "biweekly": ("WEEKLY", "interval:2", _("Every other week")),
    "monthly": ("MONTHLY", "", _("Every month (same date)")),
}


def local_tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def calendar() -> Calendar:
    slug = conf.app_settings.CALENDAR_SLUG
    found = Calendar.objects.filter(slug=slug).first()
    if found is None:
        found, _created = Calendar.objects.get_or_create(slug=slug, defaults={"name": slug})
    return found


def rule_for(key: str | None) -> Rule | None:
    if not key:
        return None
    if key not in RECURRENCES:
        raise InvalidRecurrence()
    frequency, params, label = RECURRENCES[key]
    rule, _created = Rule.objects.get_or_create(
        name=f"kalender-{key}",
        defaults={"frequency": frequency, "params": params, "description": str(label)},
    )
    if rule.frequency != frequency or rule.params != params:
        # Someone edited the shared rule in django-scheduler's admin: put it back.
        rule.frequency, rule.params = frequency, params
        rule.save(update_fields=["frequency", "params"])
    return rule


def recurrence_key(rule: Rule | None) -> str:
    if rule is None:
        return ""
    for key, (frequency, params, _label) in RECURRENCES.items():
        if rule.frequency == frequency and rule.params == params:
            return key
    return ""


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The moment a series ends: the end of its last day, local time."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=local_tz())


def validate_series(event: Event) -> int:
    """Raise unless the series is reasonable; return its number of dates."""
    if event.end <= event.start:
        raise InvalidRecurrence(_("The event must end after it starts."))
    if event.end - event.start > datetime.timedelta(hours=conf.app_settings.MAX_DURATION_HOURS):
        raise InvalidRecurrence(_("A single date of the event lasts too long."))
    if event.rule_id is None and event.rule is None:
        return 1
    if event.end_recurring_period is None:
        raise InvalidRecurrence(_("Give the last date of the repetition."))
    if event.end_recurring_period < event.start:
        raise InvalidRecurrence(_("The repetition must end after the first date."))
    span = event.end_recurring_period - event.start
    if span > datetime.timedelta(days=conf.app_settings.MAX_RECURRENCE_DAYS):
        raise TooManyOccurrences()
    limit = conf.app_settings.MAX_OCCURRENCES
    count = sum(1 for _ in itertools.islice(iter(event.get_rrule_object(local_tz())), limit + 1))
    if count > limit:
        raise TooManyOccurrences()
    return count


@dataclass(frozen=True)
class Date:
    """One date of an event: its time now and the time the rule gave it (the exception key)."""

    start: datetime.datetime
    end: datetime.datetime
    original_start: datetime.datetime
    original_end: datetime.datetime
    cancelled: bool = False
    moved: bool = False


def resolve_local(wall: datetime.datetime) -> datetime.datetime:
    """The instant (UTC) of a local wall time, as RFC 5545 (3.3.5) reads it: a time in the
    hour that happens twice (the last Sunday of October) is its FIRST occurrence, in summer
    time; a time in the hour that never happens (the last Sunday of March) is read with the
    offset before the gap, so 02:30 is 03:30 summer time. Python's ``fold=0`` is exactly
    that. (django-scheduler localises with pytz, which takes the second occurrence.)"""
    return wall.replace(tzinfo=local_tz(), fold=0).astimezone(datetime.UTC)


def _window(event: Event, persisted) -> tuple[datetime.datetime, datetime.datetime]:
    start = event.start
    end = event.end_recurring_period if event.rule_id or event.rule else event.end
    end = max(end or event.end, event.end)
    for occurrence in persisted:
        start = min(start, occurrence.start, occurrence.original_start)
        end = max(end, occurrence.end, occurrence.original_end)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC) + (
        event.end - event.start
    ) + datetime.timedelta(seconds=1)


def _rule_dates(event: Event, start, end) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(start, end) in UTC of each date the rule gives that overlaps [start, end).

    The rule runs on local wall times (so 19:00 stays 19:00 across daylight saving) from the
    event's own local start; each wall time is resolved by ``resolve_local``; every date
    lasts the first date's exact duration (RFC 5545 3.8.5.3, as the feed's DTEND says)."""
    duration = event.end - event.start
    if event.rule is None:
        first = event.start.astimezone(datetime.UTC)
        return [(first, first + duration)] if first < end and first + duration > start else []
    tz = local_tz()
    if event.end_recurring_period and event.end_recurring_period < end:
        end = event.end_recurring_period
    rule = event.get_rrule_object(tz)
    # The rule's wall times, widened by a day each side so no resolved instant is missed.
    low = start.astimezone(tz).replace(tzinfo=None) - duration - datetime.timedelta(days=1)
    high = end.astimezone(tz).replace(tzinfo=None) + datetime.timedelta(days=1)
    dates = []
    for wall in rule.between(low, high, inc=True):
        moment = resolve_local(wall)
        if moment < end and moment + duration > start:
            dates.append((moment, moment + duration))
    return dates


def _occurrences(event: Event, persisted, start, end):
    """django-scheduler's ``Event.get_occurrences`` on our own expansion: the rule's dates,
    each replaced by its persisted exception (cancelled or moved), plus exceptions moved
    into the period from outside it."""
    replacer = OccurrenceReplacer(persisted)
    result = []
    for o_start, o_end in _rule_dates(event, start, end):
        occurrence = event._create_occurrence(o_start, o_end)
        if replacer.has_occurrence(occurrence):
            stored = replacer.get_occurrence(occurrence)
            if stored.start < end and stored.end >= start:
                result.append(stored)
        else:
            result.append(occurrence)
    return result + replacer.get_additional_occurrences(start, end)


def expand(event: Event, persisted=None) -> list[Date]:
    """Every date of the event, cancelled ones included (flagged), sorted by start, in UTC.

    The rule's dates with the event's persisted exceptions (django-scheduler's
    ``Occurrence`` rows) swapped in; an unsaved event (the form's clash check) has none."""
    if persisted is None:
        persisted = list(event.occurrence_set.all()) if event.pk else []
    start, end = _window(event, persisted)
    occurrences = _occurrences(event, persisted, start, end)
    dates = []
    seen = set()
    for occurrence in occurrences:
        # django-scheduler's occurrences of different events compare equal: key ourselves.
        key = (event.pk, occurrence.original_start, occurrence.original_end)
        if key in seen:
            continue
        seen.add(key)
        moved = (
            occurrence.start != occurrence.original_start
            or occurrence.end != occurrence.original_end
        )
        dates.append(
            Date(
                start=occurrence.start.astimezone(datetime.UTC),
                end=occurrence.end.astimezone(datetime.UTC),
                original_start=occurrence.original_start.astimezone(datetime.UTC),
                original_end=occurrence.original_end.astimezone(datetime.UTC),
                cancelled=bool(occurrence.cancelled),
                moved=moved,
            )
        )
    return sorted(dates, key=lambda d: (d.start, d.original_start))


def audience_key(age_group_ids, theme_ids) -> str:
    parts = [f"ag:{i}" for i in sorted(age_group_ids)] + [f"th:{i}" for i in sorted(theme_ids)]
    return f"|{'|'.join(parts)}|" if parts else ""


def slots_for(details: EventDetails, dates: list[Date], audience: str | None = None) -> list[Slot]:
    public = details.status in PUBLIC_STATUSES and details.published_at is not None
    if audience is None:
        audience = audience_key(
            details.age_groups.values_list("pk", flat=True),
            details.themes.values_list("pk", flat=True),
        )
    return [
        Slot(
            details=details,
            event_id=details.event_id,
            start=d.start,
            end=d.end,
            original_start=d.original_start,
            day=d.start.astimezone(local_tz()).date(),
            moved=d.moved,
            status=details.status,
            public=public,
            place_id=details.place_id,
            room=details.room,
            audience=audience,
        )
        for d in dates
        if not d.cancelled
    ]


@transaction.atomic
def reindex(details: EventDetails) -> int:
    """Rebuild the event's slots from django-scheduler (after any change of the event)."""
    event = details.event
    Slot.objects.filter(details=details).delete()
    slots = slots_for(details, expand(event))
    Slot.objects.bulk_create(slots)
    return len(slots)


def sync_status(details: EventDetails) -> None:
    """Copy the event's status, place and room onto its slots."""
    public = details.status in PUBLIC_STATUSES and details.published_at is not None
    Slot.objects.filter(details=details).update(
        status=details.status, public=public, place_id=details.place_id, room=details.room
    )
