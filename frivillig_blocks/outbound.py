"""Outgoing mail: rendered from Danish templates, stored with its Message-ID, sent by a task.

Apps call :func:`send_templated_mail`; allauth's mails come through the same queue via
:func:`queue_email` (see accounts.adapter)."""

from __future__ import annotations

import base64
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .conf import app_settings
from .models import OutboundMessage


def new_message_id() -> str:
    return make_msgid(domain=app_settings.MESSAGE_ID_DOMAIN)


def sanitize_header(value: str) -> str:
    """Header values never carry line breaks (no header injection)."""
    return " ".join(str(value).splitlines()).strip()


Attachment = tuple[str, bytes, str]  # (filename, content, mimetype)


def _stored_attachments(files: list[Attachment] | None) -> list[dict]:
    """Files as the stored message keeps them; the sending task attaches them."""
    return [
        {
            "filename": sanitize_header(filename),
            "mimetype": mimetype,
            "content": base64.b64encode(content).decode("ascii"),
        }
        for filename, content, mimetype in files or ()
    ]


REDACTED = "[…]"  # what staff see where a mail held a code or a link that grants access


def _bodies(message: EmailMessage) -> tuple[str, str]:
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                html = content
    if message.content_subtype == "html":
        return "", message.body
    return message.body, html


def queue_email(
    message: EmailMessage,
    *,
    purpose: str,
    headers: dict[str, str] | None = None,
    redacted: EmailMessage | None = None,
    related: str = "",
    attachments: list[Attachment] | None = None,
) -> OutboundMessage:
    """Store a Django e-mail message and enqueue its sending.

    ``redacted``: the same mail with its secrets (a login code, a sign-in or confirmation
    link) replaced; it is what the log stores and staff see, while the real text is sealed
    until the worker has sent it (then wiped). ``related``: the record the mail is about
    (``personal_data.related_key``), so erasing that record scrubs the mail.
    ``attachments``: files ``(filename, content, mimetype)`` stored with the message."""
    text, html = _bodies(message)
    sealed_text = sealed_html = ""
    if redacted is not None:
        sealed_text, sealed_html = text, html
        text, html = _bodies(redacted)
    all_headers = {**(message.extra_headers or {}), **(headers or {})}
    message_id = all_headers.pop("Message-ID", None) or new_message_id()
    outbound = OutboundMessage.objects.create(
        message_id=message_id,
        purpose=purpose,
        from_email=sanitize_header(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=[sanitize_header(addr) for addr in message.to],
        reply_to=[sanitize_header(addr) for addr in (message.reply_to or [])],
        headers={sanitize_header(k): sanitize_header(v) for k, v in all_headers.items()},
        subject=sanitize_header(message.subject)[:255],
        body_text=text,
        body_html=html,
        sealed=redacted is not None,
        sealed_text=sealed_text,
        sealed_html=sealed_html,
        related=related[:100],
        attachments=_stored_attachments(attachments),
    )
    from .tasks import send_outbound_message

    # The database task backend writes the task in this same transaction, so the worker
    # only sees it once the message row is committed.
    send_outbound_message.enqueue(outbound.pk)
    return outbound


def send_templated_mail(
    *,
    to: list[str],
    template: str,
    context: dict,
    purpose: str,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    language: str | None = None,
    secrets: dict | None = None,
    related: object = None,
    attachments: list[Attachment] | None = None,
) -> OutboundMessage:
    """Render ``<template>_subject.txt``, ``_body.txt`` and ``_body.html`` and queue the mail.
    Every template also gets ``municipality`` (name, address, … from the site settings).

    ``secrets``: context values that grant access (a code, a sign-in, confirmation or
    cancel link); the mail carries them, the stored copy staff can read shows ``[…]``.
    ``related``: the model instance the mail is about (scrubbed with it).
    ``attachments``: files ``(filename, content, mimetype)`` (an .ics, a PDF) sent with it."""
    from . import layout
    from .personal_data import related_key

    context = {"municipality": layout.municipality(None), **context}

    def render(ctx: dict) -> EmailMultiAlternatives:
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"{template}_subject.txt", ctx)
            text = render_to_string(f"{template}_body.txt", ctx)
            html = render_to_string(f"{template}_body.html", ctx)
        message = EmailMultiAlternatives(
            subject=sanitize_header(subject),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
            reply_to=reply_to,
        )
        message.attach_alternative(html, "text/html")
        return message

    message = render({**context, **(secrets or {})})
    redacted = render({**context, **dict.fromkeys(secrets, REDACTED)}) if secrets else None
    return queue_email(
        message,
        purpose=purpose,
        headers=headers,
        redacted=redacted,
        related=related_key(related) if related is not None else "",
        attachments=attachments,
    )


def build_email(outbound: OutboundMessage) -> EmailMultiAlternatives:
    """The mail as it leaves: a sealed mail's real text (its secret) while it is still held."""
    text, html = outbound.body_text, outbound.body_html
    if outbound.sealed and (outbound.sealed_text or outbound.sealed_html):
        text, html = outbound.sealed_text, outbound.sealed_html
    message = EmailMultiAlternatives(
        subject=outbound.subject,
        body=text,
        from_email=outbound.from_email,
        to=outbound.to,
        reply_to=outbound.reply_to or None,
        headers={**outbound.headers, "Message-ID": outbound.message_id},
    )
    if html:
        message.attach_alternative(html, "text/html")
    # Files stored with the message: {"filename", "mimetype", "content" (base64)}.
    for item in outbound.attachments or []:
        content = item.get("content", item.get("content_base64", ""))
        message.attach(
            item["filename"],
            base64.b64decode(content),
            item.get("mimetype", "application/octet-stream"),
        )
    return message
