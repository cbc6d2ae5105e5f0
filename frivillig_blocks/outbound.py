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

from .models import OutboundMessage


def new_message_id() -> str:
    return make_msgid(domain=settings.FRIVILLIG_MESSAGE_ID_DOMAIN)


def _sanitize_header(value: str) -> str:
    """Header values never carry line breaks (no header injection)."""
    return " ".join(str(value).splitlines()).strip()


def queue_email(
    message: EmailMessage, *, purpose: str, headers: dict[str, str] | None = None
) -> OutboundMessage:
    """Store a Django e-mail message and enqueue its sending."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                html = content
    if message.content_subtype == "html":
        html, text = message.body, ""
    else:
        text = message.body
    all_headers = {**(message.extra_headers or {}), **(headers or {})}
    message_id = all_headers.pop("Message-ID", None) or new_message_id()
    outbound = OutboundMessage.objects.create(
        message_id=message_id,
        purpose=purpose,
        from_email=_sanitize_header(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=[_sanitize_header(addr) for addr in message.to],
        reply_to=[_sanitize_header(addr) for addr in (message.reply_to or [])],
        headers={_sanitize_header(k): _sanitize_header(v) for k, v in all_headers.items()},
        subject=_sanitize_header(message.subject)[:255],
        body_text=text,
        body_html=html,
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
) -> OutboundMessage:
    """Render ``<template>_subject.txt``, ``_body.txt`` and ``_body.html`` and queue the mail.
    Every template also gets ``municipality`` (name, address, … from the site settings)."""
    from . import layout

    context = {"municipality": layout.municipality(None), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=_sanitize_header(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    return queue_email(message, purpose=purpose, headers=headers)


def build_email(outbound: OutboundMessage) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=outbound.subject,
        body=outbound.body_text,
        from_email=outbound.from_email,
        to=outbound.to,
        reply_to=outbound.reply_to or None,
        headers={**outbound.headers, "Message-ID": outbound.message_id},
    )
    if outbound.body_html:
        message.attach_alternative(outbound.body_html, "text/html")
    # Files stored with the message: {"filename", "mimetype", "content" (base64)}.
    for item in outbound.attachments or []:
        content = item.get("content", item.get("content_base64", ""))
        message.attach(
            item["filename"],
            base64.b64decode(content),
            item.get("mimetype", "application/octet-stream"),
        )
    return message
