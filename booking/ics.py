"""iCalendar files: a loan's times (mailed on approval) and a resource's feed."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//frivillig-platform//booking//DA"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _domain() -> str:
    return getattr(settings, "FRIVILLIG_MESSAGE_ID_DOMAIN", "localhost")


def _location(institution) -> str:
    place = institution.place
    return f"{institution.name}, {place.address}, {place.postcode} {place.city}"


def loan_calendar(loan) -> bytes:
    calendar = _calendar(loan.title)
    names = ", ".join(item.resource.name for item in loan.items.select_related("resource"))
    now = timezone.now()
    for slot in loan.slots.filter(held=True):
        event = Event()
        event.add("uid", f"{loan.reference}-{slot.pk}@{_domain()}")
        event.add("dtstamp", now)
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        event.add("summary", f"{loan.title} ({names})")
        event.add("location", _location(loan.institution))
        event.add("description", f"{loan.reference}")
        calendar.add_component(event)
    return calendar.to_ical()


def resource_feed(resource, slots) -> bytes:
    """The leader's feed of a resource: pending and approved loans with who borrows."""
    calendar = _calendar(resource.name)
    now = timezone.now()
    for slot in slots:
        loan = slot.loan
        event = Event()
        event.add("uid", f"{loan.reference}-{slot.pk}@{_domain()}")
        event.add("dtstamp", now)
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        who = loan.association.name if loan.association_id else loan.borrower_name
        status = "" if loan.status == "approved" else " (?)"
        event.add("summary", f"{loan.title}{status} – {who}")
        event.add("status", "CONFIRMED" if loan.status == "approved" else "TENTATIVE")
        event.add("location", _location(resource.institution))
        event.add("description", f"{loan.reference}, {loan.participants}")
        calendar.add_component(event)
    return calendar.to_ical()
