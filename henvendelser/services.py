"""Receiving messages into inquiries, and acknowledging new inquiries.

:func:`receive_message` is used by the mail handler (``henvendelser.inbound``) and by the
contact form: it threads the message into an existing inquiry or opens a new one (routed
by ``routing.route_inquiry``), stores text (CPR redacted), cleaned HTML and attachments,
and acknowledges a new inquiry when that is safe (never machine mail, rate-limited).

Who the sender is decides what a message may do (``sender_verified``, from the mail
provider's SPF/DKIM/DMARC verdict; see ``frivillig_blocks.inbound_auth``):

- A confirmed sender's mail continues its inquiry by our Message-ID, the reply address's
  token or the reference in the subject (``threading.find_inquiry``).
- An unconfirmed sender's mail continues an inquiry only when it answers a mail we sent to
  that very address (its In-Reply-To/References hold that mail's Message-ID, which only the
  address's owner has seen); otherwise it becomes a new inquiry marked
  ``sender_unverified`` and is never acknowledged. Its ``From`` alone never joins a thread.
- The contact form's typed address is not confirmed either: each message is a new inquiry.
  It is acknowledged (the reference and a fixed text, nothing the sender wrote), within the
  form's and the acknowledgement's rate limits."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from frivillig_blocks.outbound import send_templated_mail

from . import safety
from .conf import app_settings
from .models import Attachment, Inquiry, InquiryMessage, InquiryStatus
from .threading import find_inquiry, find_inquiry_answering_our_mail, message_ids, reply_address

ACK_PURPOSE = "inquiry_ack"
MAX_THREAD_IDS = 20  # Message-IDs in an acknowledgement's References


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
    sender_verified: bool,
    from_form: bool = False,
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
    in_reply_to = safety.one_line(in_reply_to)
    references = safety.one_line(references)
    if spam or from_form:
        pass  # quarantined, or a typed address: always a new inquiry
    elif sender_verified:
        inquiry = find_inquiry(
            sender_email=sender_email,
            recipient=recipient,
            subject=subject,
            in_reply_to=in_reply_to,
            references=references,
        )
    else:
        inquiry = find_inquiry_answering_our_mail(
            sender_email=sender_email, in_reply_to=in_reply_to, references=references
        )
    unverified = not sender_verified and not from_form
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
            sender_unverified=unverified,
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
        if not is_machine and sender_email and not unverified:
            own = [] if from_form else message_ids(message_id)
            earlier = message_ids(references, in_reply_to) if own else []
            thread = [i for i in earlier if i != own[0]] + own if own else []
            acknowledge(inquiry=inquiry, thread=thread)
    return stored


def ack_limit() -> int:
    return int(app_settings.ACK_LIMIT)


@transaction.atomic
def acknowledge(*, inquiry: Inquiry, thread: Iterable[str] = ()) -> InquiryMessage | None:
    """Send the Danish acknowledgement, unless the sender has had ``HENVENDELSER_ACK_LIMIT``
    of them in the last hour (loops and floods end here).

    It carries nothing the sender chose: only the reference and a fixed text, to the bare
    address (no display name), so it cannot relay anyone's words to a typed address.
    ``thread``: the Message-IDs of the sender's mail, its own last (``References`` and
    ``In-Reply-To``), so the acknowledgement sits under that mail in the sender's client."""
    if (
        not inquiry.sender_email
        or inquiry.sender_unverified
        or safety.is_machine_sender(inquiry.sender_email)
    ):
        return None
    recent = InquiryMessage.objects.filter(
        kind=InquiryMessage.Kind.ACKNOWLEDGEMENT,
        inquiry__sender_email__iexact=inquiry.sender_email,
        created_at__gte=timezone.now() - timedelta(hours=1),
    ).count()
    if recent >= ack_limit():
        return None
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    thread = list(thread)[-MAX_THREAD_IDS:]
    if thread:
        headers["In-Reply-To"] = thread[-1]
        headers["References"] = " ".join(thread)
    outbound = send_templated_mail(
        to=[inquiry.sender_email],
        template="henvendelser/mail/ack",
        context={"reference": inquiry.reference},
        purpose=ACK_PURPOSE,
        reply_to=[reply_address(inquiry)],
        headers=headers,
        related=inquiry,
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
