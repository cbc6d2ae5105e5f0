"""iCalendar (RFC 5545) files over ``icalendar``: one event shape and one calendar builder
for every app (a loan's times, a course's meetings, a theme meeting, the calendar's feeds).

An :class:`IcsEvent` is what an app knows about one event; :func:`ics_calendar` turns a list
of them into the bytes of a ``.ics`` file. Times are written as given (an aware UTC time
as ``…Z``), or, with ``tz``, in that zone with its ``TZID``. A feed that streams its events
uses :func:`calendar_header` and :func:`vevent` piece by piece."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import icalendar
from django.utils import timezone

from .conf import app_settings

PRODID = "-//frivillig-platform//DA"


@dataclass
class IcsEvent:
    """One VEVENT. ``uid`` must stay the same for the same event (a calendar that imported
    it updates it instead of adding a copy). ``extra``: further properties in order, as
    ``(name, value)`` pairs (``("rrule", {...})``, ``("exdate", moment)``, ``("sequence", 2)``)."""

    uid: str
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = ""
    categories: list[str] = field(default_factory=list)
    stamp: datetime.datetime | None = None
    extra: list[tuple[str, Any]] = field(default_factory=list)


def uid(*parts: object) -> str:
    """A stable UID under the site's mail domain: ``<parts joined by ->@<domain>``."""
    domain = app_settings.MESSAGE_ID_DOMAIN or "localhost"
    return "-".join(str(p) for p in parts) + f"@{domain}"


def _moment(value, tz):
    if tz is not None and isinstance(value, datetime.datetime):
        return value.astimezone(tz)
    return value


def vevent(event: IcsEvent, *, tz: datetime.tzinfo | None = None) -> icalendar.Event:
    """The VEVENT of one event; with ``tz`` its times (and time-valued extras) in that zone."""
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", (event.stamp or timezone.now()).astimezone(datetime.UTC))
    component.add("dtstart", _moment(event.start, tz))
    component.add("dtend", _moment(event.end, tz))
    component.add("summary", event.summary)
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    if event.url:
        component.add("url", event.url)
    if event.categories:
        component.add("categories", list(event.categories))
    if event.status:
        component.add("status", event.status)
    for name, value in event.extra:
        component.add(name, _moment(value, tz) if name in ("exdate", "recurrence-id") else value)
    return component


def calendar_header(
    name: str = "", *, prodid: str = PRODID, tz: datetime.tzinfo | None = None
) -> icalendar.Calendar:
    """An empty VCALENDAR (PUBLISH) with the calendar's name and, with ``tz``, its zone's
    name (``X-WR-TIMEZONE``)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    if tz is not None:
        calendar.add("x-wr-timezone", str(tz))
    return calendar


def timezone_component(
    tz: datetime.tzinfo, first: datetime.date, last: datetime.date
) -> icalendar.Timezone:
    """The VTIMEZONE of ``tz`` with its transitions between ``first`` and ``last``."""
    return icalendar.Timezone.from_tzid(str(tz), first_date=first, last_date=last)


def ics_calendar(
    events: Iterable[IcsEvent],
    *,
    name: str = "",
    prodid: str = PRODID,
    tz: datetime.tzinfo | None = None,
) -> bytes:
    """The bytes of a ``.ics`` file holding ``events``; with ``tz`` the times carry its TZID
    and the file its VTIMEZONE."""
    events = list(events)
    calendar = calendar_header(name, prodid=prodid, tz=tz)
    if tz is not None and events:
        first = min(e.start for e in events).date() - datetime.timedelta(days=1)
        last = max(e.end for e in events).date() + datetime.timedelta(days=1)
        calendar.add_component(timezone_component(tz, first, last))
    for event in events:
        calendar.add_component(vevent(event, tz=tz))
    return calendar.to_ical()
