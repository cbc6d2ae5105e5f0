"""Background work of loans (django-tasks); arguments are primary keys. The retention
(anonymising ended loans) runs in the personal data registry's nightly task, through
``integration.personal_data_sources``."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .conf import app_settings

logger = logging.getLogger(__name__)


def overdue_grace() -> dt.timedelta:
    return dt.timedelta(hours=int(app_settings.OVERDUE_GRACE_HOURS))


@task()
def send_overdue_reminders() -> int:
    """One reminder per loan whose equipment was handed out and not returned by the end of
    the loan (plus BOOKING_OVERDUE_GRACE_HOURS)."""
    from . import mail
    from .models import EquipmentState, Loan

    cutoff = timezone.now() - overdue_grace()
    sent = 0
    ids = Loan.objects.filter(
        equipment_state=EquipmentState.HANDED_OUT,
        last_end__lt=cutoff,
        overdue_reminded_at__isnull=True,
    ).values_list("pk", flat=True)
    for loan_id in list(ids):
        with transaction.atomic():
            loan = Loan.objects.select_for_update().get(pk=loan_id)
            if (
                loan.overdue_reminded_at is not None
                or loan.equipment_state != EquipmentState.HANDED_OUT
            ):
                continue
            loan.overdue_reminded_at = timezone.now()
            loan.save(update_fields=["overdue_reminded_at"])
            mail.send_overdue(loan)
            sent += 1
    return sent
