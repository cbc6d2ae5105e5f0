"""The .ics file of a session (one event per meeting), attached to the confirmation."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def session_location(session) -> str:
    parts = []
    if session.place_id:
        parts.append(f"{session.place.name}, {session.place.address}")
    if session.location:
        parts.append(session.location)
    if session.online_url:
        parts.append(session.online_url)
    return " – ".join(parts)


def session_calendar(session, *, url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//frivillig-platform//kurser//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    domain = getattr(settings, "FRIVILLIG_MESSAGE_ID_DOMAIN", "localhost")
    location = session_location(session)
    for meeting in session.meetings.all():
        event = Event()
        event.add("uid", f"kurser-meeting-{meeting.pk}@{domain}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", session.course.title)
        if location:
            event.add("location", location)
        if url:
            event.add("url", url)
        event.add("description", session.course.summary)
        calendar.add_component(event)
    return calendar.to_ical()
