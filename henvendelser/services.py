"""Receiving messages into inquiries, and acknowledging new inquiries.

:func:`receive_message` is used by the mail handler (``henvendelser.inbound``) and by the
contact form: it threads the message into an existing inquiry or opens a new one (routed
by ``routing.route_inquiry``), stores text (CPR redacted), cleaned HTML and attachments,
and acknowledges a new inquiry when that is safe (never machine mail, rate-limited)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from frivillig_blocks.outbound import send_templated_mail

from . import safety
from .models import Attachment, Inquiry, InquiryMessage, InquiryStatus
from .threading import find_inquiry, reply_address

ACK_PURPOSE = "inquiry_ack"
DEFAULT_ACK_LIMIT = 3  # acknowledgements per sender per hour


def _valid_email(value: str) -> str:
    value = safety.one_line(value)[:254]
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _attachment_parts(item) -> tuple[str, str, bytes | None, int]:
    """(name, content type, content or None, size) from a tuple or an uploaded file."""
    if isinstance(item, tuple | list):
        name, content_type, content = item
        return name, content_type or "", content, len(content)
    size = item.size
    content = None if size > safety.max_attachment_bytes() else item.read()
    return item.name, getattr(item, "content_type", "") or "", content, size


def _store_attachments(message: InquiryMessage, attachments: Iterable) -> list[str]:
    """Store attachments within the size limit; returns notes about the ones left out."""
    limit = safety.max_attachment_bytes()
    notes = []
    for item in attachments:
        name, content_type, content, size = _attachment_parts(item)
        name = safety.sanitize_filename(name)
        if content is None or size > limit:
            notes.append(
                _("The attachment “%(name)s” (%(size)s) was too large and was not stored.")
                % {"name": name, "size": filesizeformat(size)}
            )
            continue
        attachment = Attachment(
            message=message,
            filename=name,
            content_type=safety.one_line(content_type)[:100],
            size=size,
        )
        # The storage name comes from attachment_path (random); never from the sender.
        attachment.file.save("attachment", ContentFile(content), save=False)
        attachment.save()
    return notes


def _reopen(inquiry: Inquiry) -> None:
    if inquiry.status in (InquiryStatus.WAITING, InquiryStatus.CLOSED):
        inquiry.status = InquiryStatus.ASSIGNED if inquiry.assignee_id else InquiryStatus.NEW
        inquiry.closed_at = None


def _route(inquiry: Inquiry, recipient: str) -> None:
    if importlib.util.find_spec("henvendelser.routing") is None:
        return
    from .routing import route_inquiry

    route_inquiry(inquiry, recipient=recipient)


def receive_message(**kwargs) -> InquiryMessage:
    """Store one incoming message in its inquiry (new or continued); see ``_receive``.

    Two deliveries of the same mail that race past the duplicate check meet the database's
    unique Message-ID: the loser's work is rolled back and it gets the stored message."""
    try:
        return _receive(**kwargs)
    except IntegrityError:
        message_id = safety.one_line(kwargs.get("message_id", ""))[:998]
        existing = (
            InquiryMessage.objects.filter(message_id=message_id, kind=InquiryMessage.Kind.INCOMING)
            .select_related("inquiry")
            .first()
            if message_id
            else None
        )
        if existing is None:
            raise
        sender = safety.one_line(kwargs.get("sender_email", "")).lower()
        if existing.inquiry.sender_email.lower() != sender:
            # Someone else's Message-ID (forged or broken): keep the mail, without the id.
            return _receive(**{**kwargs, "message_id": ""})
        return existing


@transaction.atomic
def _receive(
    *,
    inbound=None,
    message=None,
    sender_email: str,
    sender_name: str,
    subject: str,
    text: str,
    html: str = "",
    recipient: str,
    message_id: str = "",
    in_reply_to: str = "",
    references: str = "",
    headers: Mapping[str, str] | None = None,
    attachments: Iterable = (),
    topic=None,
) -> InquiryMessage:
    """Store one incoming message in its inquiry (new or continued); see the module doc.

    ``attachments`` are ``(name, content_type, bytes)`` tuples or uploaded files; ``topic``
    (a Topic the contact form's sender chose) is given to a new inquiry before routing."""
    sender_email = _valid_email(sender_email)
    sender_name = safety.one_line(sender_name)[:200]
    subject = safety.redact_cpr(safety.one_line(subject))[:998]
    message_id = safety.one_line(message_id)[:998]
    html = safety.redact_cpr(safety.clean_html(html or ""))
    text = text or ""
    if not text.strip() and html:
        text = safety.html_to_text(html)
    text = safety.redact_cpr(text.replace("\x00", ""))
    headers = safety.lower_headers(headers)
    # The top-level Content-Type comes from the headers (multipart/report is a bounce).
    is_machine = safety.is_machine_mail(headers=headers, sender_email=sender_email)
    spam = bool(getattr(message, "spam_detected", None)) or safety.is_spam(headers=headers)

    # The same mail again (an ESP retry under a new event id): one message.
    if message_id and sender_email:
        # By the indexed Message-ID first; the sender is compared here.
        for existing in (
            InquiryMessage.objects.filter(message_id=message_id, kind=InquiryMessage.Kind.INCOMING)
            .select_related("inquiry")
            .order_by()[:20]
        ):
            if existing.inquiry.sender_email.lower() == sender_email.lower():
                return existing

    inquiry = None
    if not spam:
        inquiry = find_inquiry(
            sender_email=sender_email,
            recipient=recipient,
            subject=subject,
            in_reply_to=safety.one_line(in_reply_to),
            references=safety.one_line(references),
        )
    created = inquiry is None
    now = timezone.now()
    if created:
        inquiry = Inquiry.objects.create(
            sender_email=sender_email,
            sender_name=sender_name,
            subject=subject,
            body_text=text,
            inbound_message=inbound,
            is_spam=spam,
            last_message_at=now,
            topic=topic,
        )
    stored = InquiryMessage.objects.create(
        inquiry=inquiry,
        kind=InquiryMessage.Kind.INCOMING,
        inbound_message=inbound,
        message_id=message_id,
        sender=safety.display_address(sender_name, sender_email) if sender_email else sender_name,
        body_text=text,
        body_html=html,
        is_machine=is_machine,
    )
    notes = _store_attachments(stored, attachments)
    if notes:
        stored.body_text = "\n\n".join([text, *notes]).strip()
        stored.save(update_fields=["body_text"])
        if created:
            inquiry.body_text = stored.body_text
            inquiry.save(update_fields=["body_text"])
    if not created:
        inquiry.last_message_at = now
        _reopen(inquiry)
        inquiry.save(update_fields=["last_message_at", "status", "closed_at"])
    elif not spam:
        _route(inquiry, recipient)
        if not is_machine and sender_email:
            acknowledge(inquiry=inquiry)
    return stored


def ack_limit() -> int:
    return int(getattr(settings, "HENVENDELSER_ACK_LIMIT", DEFAULT_ACK_LIMIT))


@transaction.atomic
def acknowledge(*, inquiry: Inquiry) -> InquiryMessage | None:
    """Send the Danish acknowledgement with the reference, unless the sender has had
    ``HENVENDELSER_ACK_LIMIT`` of them in the last hour (loops and floods end here)."""
    if not inquiry.sender_email or safety.is_machine_sender(inquiry.sender_email):
        return None
    recent = InquiryMessage.objects.filter(
        kind=InquiryMessage.Kind.ACKNOWLEDGEMENT,
        inquiry__sender_email__iexact=inquiry.sender_email,
        created_at__gte=timezone.now() - timedelta(hours=1),
    ).count()
    if recent >= ack_limit():
        return None
    outbound = send_templated_mail(
        to=[safety.display_address(inquiry.sender_name, inquiry.sender_email)],
        template="henvendelser/mail/ack",
        context={"inquiry": inquiry, "reference": inquiry.reference},
        purpose=ACK_PURPOSE,
        reply_to=[reply_address(inquiry)],
        headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
    )
    return InquiryMessage.objects.create(
        inquiry=inquiry,
        kind=InquiryMessage.Kind.ACKNOWLEDGEMENT,
        outbound_message=outbound,
        message_id=outbound.message_id,
        sender=outbound.from_email,
        body_text=outbound.body_text,
        is_machine=True,
    )
