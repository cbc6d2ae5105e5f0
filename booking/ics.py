"""iCalendar files: a loan's times (mailed on approval) and a leader's feed."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from frivillig_blocks.ics import IcsEvent, ics_calendar, uid

PRODID = "-//frivillig-platform//booking//DA"


def _location(institution) -> str:
    place = institution.place
    return f"{institution.name}, {place.address}, {place.postcode} {place.city}"


def loan_calendar(loan) -> bytes:
    names = ", ".join(item.resource.name for item in loan.items.select_related("resource"))
    location = _location(loan.institution)
    return ics_calendar(
        [
            IcsEvent(
                uid=uid(loan.reference, slot.pk),
                start=slot.start,
                end=slot.end,
                summary=f"{loan.title} ({names})",
                location=location,
                description=f"{loan.reference}",
            )
            for slot in loan.slots.filter(held=True)
        ],
        name=loan.title,
        prodid=PRODID,
    )


def leader_feed(name: str, institution, slots) -> bytes:
    """A leader's feed: pending and approved loans with what they need to prepare the room
    and the equipment (activity, what is borrowed, how many come, which association) and a
    link to the loan in the admin. A private borrower's name is left out: the feed ends up
    in calendar services outside the municipality; the admin has the name."""
    admin = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    location = _location(institution)
    events = []
    for slot in slots:
        loan = slot.loan
        approved = loan.status == "approved"
        what = ", ".join(
            f"{item.quantity} × {item.resource.name}" if item.quantity > 1 else item.resource.name
            for item in loan.items.all()
        )
        who = f" – {loan.association.name}" if loan.association_id else ""
        status = "" if approved else " (?)"
        events.append(
            IcsEvent(
                uid=uid(loan.reference, slot.pk),
                start=slot.start,
                end=slot.end,
                summary=f"{loan.title}{status}{who}",
                status="CONFIRMED" if approved else "TENTATIVE",
                location=location,
                description=_("%(reference)s: %(what)s, %(participants)d participants")
                % {"reference": loan.reference, "what": what, "participants": loan.participants},
                url=admin + reverse("booking_admin:detail", args=[loan.pk]),
            )
        )
    return ics_calendar(events, name=name, prodid=PRODID)
