"""Which inquiry a message belongs to. In order: our stored Message-IDs in In-Reply-To and
References, the token of the reply address (``frivillig+<token>@…``), the reference in the
subject (``[H-XXXXXX]``). In every case only when the sender is the inquiry's sender, so a
forwarded mail or a stranger quoting a token starts a new inquiry."""

from __future__ import annotations

import re

from django.conf import settings

from .models import Inquiry, InquiryMessage

_MESSAGE_ID = re.compile(r"<[^<>\s]{1,500}>")
_REFERENCE = re.compile(r"\[\s*(H-[23456789A-HJ-NP-Z]{6})\s*\]", re.IGNORECASE)
_TOKEN = re.compile(r"^[0-9a-f]{8,32}$")
MAX_REFERENCES = 50


def _main_address() -> tuple[str, str]:
    local, _, domain = settings.FRIVILLIG_EMAIL.strip().lower().rpartition("@")
    return local, domain


def reply_address(inquiry: Inquiry) -> str:
    """The signed reply address of an inquiry: ``frivillig+<token>@<domain>``."""
    local, domain = _main_address()
    return f"{local}+{inquiry.token}@{domain}"


def token_from_recipient(recipient: str) -> str:
    local, domain = _main_address()
    r_local, _, r_domain = (recipient or "").strip().lower().rpartition("@")
    base, plus, token = r_local.partition("+")
    if r_domain != domain or base != local or not plus or not _TOKEN.match(token):
        return ""
    return token


def message_ids(*values: str) -> list[str]:
    found: list[str] = []
    for value in values:
        found.extend(_MESSAGE_ID.findall(value or ""))
    return list(dict.fromkeys(found))[-MAX_REFERENCES:]


def reference_from_subject(subject: str) -> str:
    match = _REFERENCE.search(subject or "")
    return match.group(1).upper() if match else ""


def _same_sender(inquiry: Inquiry | None, sender_email: str) -> bool:
    return bool(
        inquiry
        and sender_email
        and inquiry.anonymised_at is None
        and not inquiry.is_spam
        and inquiry.sender_email.strip().lower() == sender_email.strip().lower()
    )


def find_inquiry(
    *,
    sender_email: str,
    recipient: str = "",
    subject: str = "",
    in_reply_to: str = "",
    references: str = "",
) -> Inquiry | None:
    """The inquiry this message continues, or None for a new inquiry."""
    if not sender_email:
        return None
    ids = message_ids(in_reply_to, references)
    if ids:
        candidates = (
            InquiryMessage.objects.filter(message_id__in=ids)
            .select_related("inquiry")
            .order_by("-created_at", "-pk")
        )
        for message in candidates:
            if _same_sender(message.inquiry, sender_email):
                return message.inquiry
    token = token_from_recipient(recipient)
    if token:
        inquiry = Inquiry.objects.filter(token=token).first()
        if _same_sender(inquiry, sender_email):
            return inquiry
    reference = reference_from_subject(subject)
    if reference:
        inquiry = Inquiry.objects.filter(reference=reference).first()
        if _same_sender(inquiry, sender_email):
            return inquiry
    return None
