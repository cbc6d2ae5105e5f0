"""Background work of the prize (django-tasks); the times are in schedule.py."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from .models import Nomination, PrizeRound


@task()
def delete_voter_identifiers() -> int:
    """After each announced round's result: pending votes go, counted votes lose their
    voter key and the confirmation mails their addresses. Returns the votes touched."""
    from .services import delete_voter_identifiers as delete

    ids = PrizeRound.objects.filter(
        announcement_at__lte=timezone.now(), voter_identifiers_deleted_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(delete(pk) for pk in list(ids))


@task()
def delete_unconfirmed_nominations() -> int:
    """Nominations nobody confirmed within the link's lifetime are deleted."""
    from .services import link_max_age

    cutoff = timezone.now() - link_max_age() - datetime.timedelta(days=1)
    return Nomination.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()[0]
