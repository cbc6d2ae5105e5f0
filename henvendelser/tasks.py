"""Periodic work of the inbox (django-tasks); the times are in schedule.py.

Working days are Monday to Friday except the Danish holidays the municipality's offices
are closed on (``frivillig_blocks.workdays``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from frivillig_blocks import workdays
from frivillig_blocks.roles import FRIVILLIGKOORDINATOR

from .conf import app_settings
from .models import Attachment, Inquiry, InquiryMessage, InquiryStatus


def unanswered_days() -> int:
    return int(app_settings.UNANSWERED_WORKING_DAYS)


def subtract_working_days(moment: datetime, days: int) -> datetime:
    """``moment`` moved back by ``days`` working days (Mon–Fri, not a holiday), at the same
    time of day."""
    day = moment.date()
    return moment - timedelta(days=(day - workdays.add_working_days(day, -days)).days)


def unanswered_cutoff(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    return subtract_working_days(now, unanswered_days())


def unanswered_inquiries(now: datetime | None = None):
    """Waiting for us (new or assigned, not spam) since before the cutoff."""
    return (
        Inquiry.objects.filter(
            is_spam=False, status__in=[InquiryStatus.NEW, InquiryStatus.ASSIGNED]
        )
        .annotate(waiting_since=Coalesce("last_message_at", "received_at"))
        .filter(waiting_since__lt=unanswered_cutoff(now))
    )


def state_counts(queryset=None) -> dict[str, int]:
    queryset = Inquiry.objects.all() if queryset is None else queryset
    counts = queryset.aggregate(
        new=Count("pk", filter=Q(is_spam=False, status=InquiryStatus.NEW)),
        assigned=Count("pk", filter=Q(is_spam=False, status=InquiryStatus.ASSIGNED)),
        waiting=Count("pk", filter=Q(is_spam=False, status=InquiryStatus.WAITING)),
        closed=Count("pk", filter=Q(is_spam=False, status=InquiryStatus.CLOSED)),
        spam=Count("pk", filter=Q(is_spam=True)),
    )
    return counts


def coordinators():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=FRIVILLIGKOORDINATOR)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


@task()
def send_daily_summary() -> int:
    """Mail each coordinator the counts per state and the inquiries unanswered too long.
    Returns the number of mails queued."""
    from frivillig_blocks.outbound import send_templated_mail

    unanswered = list(
        unanswered_inquiries().select_related("assignee").order_by("waiting_since")[:200]
    )
    context = {
        "counts": state_counts(),
        "unanswered": unanswered,
        "unanswered_count": len(unanswered),
        "days": unanswered_days(),
        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("henvendelser_admin:index"),
    }
    sent = 0
    for user in coordinators():
        with transaction.atomic():
            send_templated_mail(
                to=[user.email],
                template="henvendelser/mail/daily_summary",
                context={**context, "user": user},
                purpose="inquiry_daily_summary",
            )
        sent += 1
    return sent


def anonymise_inquiry(pk: int) -> None:
    """Remove personal data from an inquiry: the sender, every text, the raw mails, the
    attachments (their files after the commit), the mail we sent about it and the inquiry's
    name in its history. Used by the retention and by account deletion
    (``integration.expire_inquiries`` and ``erase_inquiries``, the personal data registry)."""
    from frivillig_blocks.models import InboundMessage, OutboundMessage
    from frivillig_blocks.personal_data import scrub_mail

    files = []
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=pk)
        if inquiry.anonymised_at:
            return
        messages = InquiryMessage.objects.filter(inquiry=inquiry)
        attachments = Attachment.objects.filter(message__inquiry=inquiry)
        files = [a.file.name for a in attachments if a.file]
        attachments.delete()
        inbound_ids = [
            inquiry.inbound_message_id,
            *messages.exclude(inbound_message=None).values_list("inbound_message_id", flat=True),
        ]
        outbound_ids = list(
            messages.exclude(outbound_message=None).values_list("outbound_message_id", flat=True)
        )
        InboundMessage.objects.filter(pk__in=[i for i in inbound_ids if i]).update(
            raw=b"", sender="", subject="", recipients=[]
        )
        OutboundMessage.objects.filter(pk__in=outbound_ids).update(
            to=[], reply_to=[], subject="", body_text="", body_html="", attachments=[]
        )
        messages.update(sender="", body_text="", body_html="")
        inquiry.sender_email = ""
        inquiry.sender_name = ""
        inquiry.subject = ""
        inquiry.body_text = ""
        inquiry.routing_note = ""
        inquiry.anonymised_at = timezone.now()
        inquiry.save()
        scrub_mail([inquiry])  # the acknowledgements and replies tied to it
        # The history's entries carry the inquiry's name as it was (subject or address).
        ModelLogEntry.objects.for_instance(inquiry).update(label=str(inquiry))
        log(inquiry, "henvendelser.anonymise", user=None)

        def delete_files():
            storage = Attachment._meta.get_field("file").storage  # the private storage

            for name in files:
                storage.delete(name)

        transaction.on_commit(delete_files)
