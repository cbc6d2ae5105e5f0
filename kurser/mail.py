"""The courses' mails. All go through ``frivillig_blocks.outbound``; a mail with a file
(the .ics of a confirmation) passes them as ``files``.

Every mail is tied to the registration it is about (``related``), so erasing or
anonymising the registration scrubs the stored copy; the links that let the holder act
without signing in (cancel, accept an offer, evaluate) go through ``secrets``, so the copy
staff can read in the mail log shows "[…]" instead."""

from __future__ import annotations

from frivillig_blocks.conf import app_settings as base_settings
from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.outbound import send_templated_mail

TEMPLATES = "kurser/mail/"

# Context values that let whoever holds the mail act on the registration.
SECRET_KEYS = ("cancel_url", "accept_url", "evaluation_url")


def split_secrets(context: dict) -> tuple[dict, dict]:
    """``(context without the links that grant access, those links)``."""
    secrets = {k: context[k] for k in SECRET_KEYS if context.get(k)}
    plain = {k: v for k, v in context.items() if k not in secrets}
    return plain, secrets


def send(
    *,
    to: str,
    template: str,
    context: dict,
    purpose: str,
    related=None,
    files: list[tuple[str, bytes, str]] | None = None,
) -> OutboundMessage:
    """One course mail; ``files``: ``(filename, content, mimetype)`` attached (an .ics)."""
    plain, secrets = split_secrets(context)
    return send_templated_mail(
        to=[to],
        template=TEMPLATES + template,
        context=plain,
        purpose=purpose,
        reply_to=[base_settings.EMAIL],
        secrets=secrets or None,
        related=related,
        attachments=files,
    )
