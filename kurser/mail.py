"""The courses' mails. All go through ``frivillig_blocks.outbound``; a mail with a file
(the .ics of a confirmation) is stored with its files in the stored message's
``attachments``, which the shared sending task attaches.

Every mail is tied to the registration it is about (``related``), so erasing or
anonymising the registration scrubs the stored copy; the links that let the holder act
without signing in (cancel, accept an offer, evaluate) go through ``secrets``, so the copy
staff can read in the mail log shows "[…]" instead."""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.outbound import (
    REDACTED,
    _sanitize_header,
    new_message_id,
    send_templated_mail,
)
from frivillig_blocks.personal_data import related_key

TEMPLATES = "kurser/mail/"

# Context values that let whoever holds the mail act on the registration.
SECRET_KEYS = ("cancel_url", "accept_url", "evaluation_url")


def split_secrets(context: dict) -> tuple[dict, dict]:
    """``(context without the links that grant access, those links)``."""
    secrets = {k: context[k] for k in SECRET_KEYS if context.get(k)}
    plain = {k: v for k, v in context.items() if k not in secrets}
    return plain, secrets


def send(*, to: str, template: str, context: dict, purpose: str, related=None) -> OutboundMessage:
    plain, secrets = split_secrets(context)
    return send_templated_mail(
        to=[to],
        template=TEMPLATES + template,
        context=plain,
        purpose=purpose,
        reply_to=[settings.FRIVILLIG_EMAIL],
        secrets=secrets or None,
        related=related,
    )


def _render(template: str, context: dict) -> tuple[str, str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return (
            render_to_string(f"{TEMPLATES}{template}_subject.txt", context),
            render_to_string(f"{TEMPLATES}{template}_body.txt", context),
            render_to_string(f"{TEMPLATES}{template}_body.html", context),
        )


def send_with_files(
    *,
    to: str,
    template: str,
    context: dict,
    purpose: str,
    files: list[tuple[str, bytes, str]],
    related=None,
) -> OutboundMessage:
    """Like :func:`send`, with files ``(filename, content, mimetype)`` attached."""
    plain, secrets = split_secrets(context)
    subject, text, html = _render(template, {**plain, **secrets})
    sealed_text = sealed_html = ""
    if secrets:
        sealed_text, sealed_html = text, html
        subject, text, html = _render(template, {**plain, **dict.fromkeys(secrets, REDACTED)})
    outbound = OutboundMessage.objects.create(
        message_id=new_message_id(),
        purpose=purpose,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_sanitize_header(to)],
        reply_to=[settings.FRIVILLIG_EMAIL],
        headers={},
        subject=_sanitize_header(subject)[:255],
        body_text=text,
        body_html=html,
        sealed=bool(secrets),
        sealed_text=sealed_text,
        sealed_html=sealed_html,
        related=related_key(related)[:100] if related is not None else "",
        attachments=[
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(content).decode("ascii"),
            }
            for filename, content, mimetype in files
        ],
    )
    from frivillig_blocks.tasks import send_outbound_message

    send_outbound_message.enqueue(outbound.pk)
    return outbound
