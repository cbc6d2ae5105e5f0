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


# -- linked calendars (issue #23) ------------------------------------------------------------


def _organiser_addresses(subscription) -> list[str]:
    """Who hears about a linked calendar: the person who linked it, else the association."""
    user = subscription.created_by
    if user is not None and user.is_active and user.email:
        return [user.email]
    return [subscription.association.email] if subscription.association.email else []


@task()
def refresh_due_subscriptions() -> int:
    """Every minute (schedule.py): the linked calendars due for a fetch, each in a task of
    its own so that a slow calendar does not hold the others. A calendar is due
    ``KALENDER_SUBSCRIPTION_INTERVAL_MINUTES`` after its last fetch; paused calendars and
    those of an association that is not published are not fetched."""
    from django.db.models import Q
    from django.utils import timezone

    from .conf import app_settings
    from .models import Subscription

    due_before = timezone.now() - datetime.timedelta(
        minutes=app_settings.SUBSCRIPTION_INTERVAL_MINUTES
    )
    ids = list(
        Subscription.objects.filter(paused=False, association__live=True)
        .filter(Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lte=due_before))
        .order_by("last_fetched_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        refresh_subscription.enqueue(pk)
    return len(ids)


@task()
def refresh_subscription(subscription_id: int) -> None:
    """Fetch one linked calendar and apply its dates (``subscriptions.importer.refresh``).
    A second run queued before the first was done finds the calendar fresh and does
    nothing."""
    from django.utils import timezone

    from .conf import app_settings
    from .models import Subscription
    from .subscriptions.importer import refresh

    subscription = (
        Subscription.objects.filter(pk=subscription_id, paused=False)
        .select_related("association", "created_by")
        .first()
    )
    if subscription is None:
        return
    fresh_after = timezone.now() - datetime.timedelta(
        minutes=app_settings.SUBSCRIPTION_INTERVAL_MINUTES - 1
    )
    if subscription.last_fetched_at and subscription.last_fetched_at > fresh_after:
        return
    refresh(subscription)


@task()
def tell_import_clashes(subscription_id: int, notice_ids: list[int]) -> None:
    """Tell the organiser about the clashes a fetch of their calendar caught (each clash is
    in one such mail only: the notices are recorded once per event and clash)."""
    from .models import ClashNotice, Subscription

    subscription = (
        Subscription.objects.select_related("association", "created_by")
        .filter(pk=subscription_id)
        .first()
    )
    found = list(
        ClashNotice.objects.filter(pk__in=notice_ids)
        .select_related("details__event", "details__place", "other__event")
        .order_by("details__event__start", "pk")
    )
    if subscription is None or not found:
        return
    to = _organiser_addresses(subscription)
    if not to:
        return
    send_templated_mail(
        to=to,
        template="kalender/mail/import_clashes",
        context={"subscription": subscription, "notices": found},
        purpose="kalender.import_clashes",
    )


@task()
def tell_subscription_failing(subscription_id: int) -> None:
    """Tell the organiser that their linked calendar has failed several times in a row."""
    from .models import Subscription

    subscription = (
        Subscription.objects.select_related("association", "created_by")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        return
    to = _organiser_addresses(subscription)
    if not to:
        return
    send_templated_mail(
        to=to,
        template="kalender/mail/subscription_failing",
        context={"subscription": subscription},
        purpose="kalender.subscription_failing",
    )


@task()
def index_events(ids: list[int]) -> int:
    """The search index of events created in bulk (a linked calendar's import, issue #23):
    what a save of each would have queued, in one task. Returns the number indexed."""
    from wagtail.search.backends import get_search_backends

    from .models import EventDetails

    count = 0
    for first in range(0, len(ids), 500):
        objs = list(EventDetails.get_indexed_objects().filter(pk__in=ids[first : first + 500]))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(EventDetails, objs)
        count += len(objs)
    return count
