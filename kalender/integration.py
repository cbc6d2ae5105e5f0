"""What the calendar gives the other apps through the one door's hooks
(``UPCOMING_EVENTS`` and ``CALENDAR_EVENTS``)."""

from __future__ import annotations

from django.utils import timezone

from .models import CalendarPage
from .queries import public_slots


def _detail_url():
    page = CalendarPage.objects.live().first()
    if page is None:
        return lambda event_id: ""
    base = page.url or ""
    return lambda event_id: base + page.reverse_subpage("detail", args=[event_id])


def _entries(slots, url):
    return [
        {
            "title": slot.details.event.title,
            "url": url(slot.details.event_id),
            "start": slot.start,
            "end": slot.end,
            "place": slot.details.place.name if slot.details.place_id else slot.details.address,
        }
        for slot in slots
    ]


def upcoming_events(limit):
    limit = max(1, min(int(limit or 5), 50))
    slots = public_slots({}, start=timezone.now())[:limit]
    return _entries(slots, _detail_url())


def calendar_events(start, end, limit=50):
    limit = max(1, min(int(limit or 50), 500))
    slots = public_slots({}, start=start, end=end)[:limit]
    return _entries(slots, _detail_url())
