"""Background work of the shared base (django-tasks). Arguments are primary keys."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)


@task()
def send_outbound_message(outbound_id: int) -> str:
    """Send one stored mail through Anymail and record the ESP's answer."""
    from .outbound import build_email

    failure: Exception | None = None
    with transaction.atomic():
        # The row lock keeps two workers from sending the same mail.
        outbound = OutboundMessage.objects.select_for_update().filter(pk=outbound_id).first()
        if outbound is None:
            return "gone"  # erased with its person (or pruned) before the worker came
        if outbound.status == OutboundMessage.Status.SENT:
            return outbound.status  # a retried task sends nothing twice
        message = build_email(outbound)
        try:
            message.send()
        except Exception as exc:
            failure = exc
            outbound.status = OutboundMessage.Status.FAILED
            outbound.error = f"{type(exc).__name__}: {exc}"[:2000]
            # A secret is not kept for a retry: the person asks for a new code instead.
            outbound.sealed_text = outbound.sealed_html = ""
            outbound.save(update_fields=["status", "error", "sealed_text", "sealed_html"])
        else:
            status = getattr(message, "anymail_status", None)
            esp_id = getattr(status, "message_id", None)
            outbound.esp_message_id = "" if esp_id is None else str(esp_id)[:255]
            outbound.status = OutboundMessage.Status.SENT
            outbound.sent_at = timezone.now()
            outbound.error = ""
            outbound.sealed_text = outbound.sealed_html = ""  # the secret has left; forget it
            outbound.save(
                update_fields=[
                    "esp_message_id",
                    "status",
                    "sent_at",
                    "error",
                    "sealed_text",
                    "sealed_html",
                ]
            )
    if failure is not None:
        logger.error("sending mail %s failed: %s", outbound.message_id, outbound.error)
        raise failure
    return outbound.status


@task()
def retry_inbound_message(inbound_id: int) -> str:
    """Hand a stored inbound mail to its app again (after a handler failed)."""
    from .inbound import dispatch_stored

    inbound = InboundMessage.objects.get(pk=inbound_id)
    dispatch_stored(inbound)
    return inbound.status


@task()
def heartbeat() -> str:
    """Run every minute by the scheduler: its finished result tells /readyz a worker is alive."""
    return timezone.now().isoformat()


@task()
def prune_operational_records(days: int = 14) -> int:
    """Forget finished task results and periodic-run records older than ``days`` (the
    heartbeat alone leaves 1,440 of each a day)."""
    from django.conf import settings

    from .models import PeriodicRun

    cutoff = timezone.now() - datetime.timedelta(days=days)
    removed, _ = PeriodicRun.objects.filter(slot__lt=cutoff).delete()
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        finished = DBTaskResult.objects.filter(finished_at__lt=cutoff)
        removed += finished.delete()[0]
    from . import submissions

    # The one-time keys of the public forms: no browser sends a form again after a week.
    removed += submissions.prune()
    return removed


@task()
def expire_personal_data() -> dict:
    """Every source of the personal data registry deletes or anonymises what is past its
    retention period (personal_data.py; the periods are in the README's record)."""
    from . import personal_data

    return personal_data.expire()


@task()
def rebuild_search_vocabulary() -> int:
    """The search's vocabulary again from what the index holds now: words no index entry
    holds any more (an erased name, an edited title) stop being suggested."""
    from .search import vocabulary

    return vocabulary.rebuild()
