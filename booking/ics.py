"""iCalendar files: a loan's times (mailed on approval) and a leader's feed."""

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


def leader_feed(name: str, institution, slots) -> bytes:
    """A leader's feed: pending and approved loans with what they need to prepare the room
    and the equipment (activity, what is borrowed, how many come, which association) and a
    link to the loan in the admin. A private borrower's name is left out: the feed ends up
    in calendar services outside the municipality; the admin has the name."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    calendar = _calendar(name)
    now = timezone.now()
    admin = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for slot in slots:
        loan = slot.loan
        event = Event()
        event.add("uid", f"{loan.reference}-{slot.pk}@{_domain()}")
        event.add("dtstamp", now)
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        approved = loan.status == "approved"
        what = ", ".join(
            f"{item.quantity} × {item.resource.name}" if item.quantity > 1 else item.resource.name
            for item in loan.items.all()
        )
        who = f" – {loan.association.name}" if loan.association_id else ""
        status = "" if approved else " (?)"
        event.add("summary", f"{loan.title}{status}{who}")
        event.add("status", "CONFIRMED" if approved else "TENTATIVE")
        event.add("location", _location(institution))
        event.add(
            "description",
            _("%(reference)s: %(what)s, %(participants)d participants")
            % {"reference": loan.reference, "what": what, "participants": loan.participants},
        )
        event.add("url", admin + reverse("booking_admin:detail", args=[loan.pk]))
        calendar.add_component(event)
    return calendar.to_ical()
