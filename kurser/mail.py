"""The courses' mails. All go through ``frivillig_blocks.outbound``; a mail with a file
(the .ics of a confirmation) is stored with its files in the stored message's
``attachments``, which the shared sending task attaches."""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.outbound import _sanitize_header, new_message_id, send_templated_mail

TEMPLATES = "kurser/mail/"


def send(*, to: str, template: str, context: dict, purpose: str) -> OutboundMessage:
    return send_templated_mail(
        to=[to],
        template=TEMPLATES + template,
        context=context,
        purpose=purpose,
        reply_to=[settings.FRIVILLIG_EMAIL],
    )


def send_with_files(
    *, to: str, template: str, context: dict, purpose: str, files: list[tuple[str, bytes, str]]
) -> OutboundMessage:
    """Like :func:`send`, with files ``(filename, content, mimetype)`` attached."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{TEMPLATES}{template}_subject.txt", context)
        text = render_to_string(f"{TEMPLATES}{template}_body.txt", context)
        html = render_to_string(f"{TEMPLATES}{template}_body.html", context)
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
