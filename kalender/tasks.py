"""Background work of the calendar (arguments are primary keys)."""

from __future__ import annotations

import datetime

from django_tasks import task

from frivillig_blocks.outbound import send_templated_mail


@task()
def tell_venue_contact(details_id: int, contact_id: int, dates: list[str]) -> None:
    """Tell a place's contact that an organiser states the place agreed to a clash."""
    from .models import EventDetails, VenueContact

    details = (
        EventDetails.objects.select_related("event", "place", "association")
        .filter(pk=details_id)
        .first()
    )
    contact = VenueContact.objects.filter(pk=contact_id).first()
    if details is None or contact is None:
        return
    send_templated_mail(
        to=[contact.email],
        template="kalender/mail/venue_agreed",
        context={
            "details": details,
            "contact": contact,
            "dates": [datetime.datetime.fromisoformat(d) for d in dates],
        },
        purpose="kalender.venue_agreed",
        # Tied to the event: erasing or anonymising it scrubs this mail (the organiser's
        # name and note).
        related=details,
    )
