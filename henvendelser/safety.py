"""Untrusted mail made safe to store and show: machine-mail detection (no acknowledgement
loops), CPR redaction, HTML cleaning, attachment names and size limits. Pure functions."""

from __future__ import annotations

import contextlib
import datetime
import re
import unicodedata
from collections.abc import Mapping
from email.header import decode_header, make_header
from html import unescape

import nh3
from django.conf import settings
from django.utils.translation import gettext as _

from frivillig_blocks.conf import app_settings as base_settings

from .conf import app_settings

CPR_REPLACEMENT = "[CPR fjernet]"

# DDMMYY-XXXX or DDMMYYXXXX, not part of a longer number.
_CPR = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})(-?)(\d{4})(?![\d])")
_MACHINE_LOCAL_PARTS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounces?)([+._-].*)?$",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def max_attachment_bytes() -> int:
    return int(app_settings.MAX_ATTACHMENT_BYTES)


def _plausible_date(day: str, month: str, year: str) -> bool:
    for century in (2000, 1900):  # either century: 29 February needs a leap year
        try:
            datetime.date(century + int(year), int(month), int(day))
        except ValueError:
            continue
        return True
    return False


def redact_cpr(text: str) -> str:
    """Replace CPR numbers (a plausible date followed by four digits) with a marker."""
    if not text:
        return text

    def replace(match: re.Match) -> str:
        day, month, year = match.group(1), match.group(2), match.group(3)
        return CPR_REPLACEMENT if _plausible_date(day, month, year) else match.group(0)

    return _CPR.sub(replace, text)


def one_line(value: str) -> str:
    """Header values as one line without control characters (no header injection)."""
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def display_address(name: str, email: str) -> str:
    """``Name <address>`` readable (not RFC 2047-encoded: the mail library does that)."""
    name = one_line(name)
    if not name:
        return email
    if re.search(r'[()<>\[\]:;@\\,."]', name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{email}>"


def lower_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {str(k).strip().lower(): str(v) for k, v in (headers or {}).items()}


def is_machine_sender(email: str) -> bool:
    local, _, domain = (email or "").strip().lower().rpartition("@")
    if not local:
        return False
    own = {
        base_settings.EMAIL.strip().lower(),
        settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip().lower(),
    }
    own_local, _, own_domain = base_settings.EMAIL.strip().lower().rpartition("@")
    if f"{local}@{domain}" in own or (domain == own_domain and local.startswith(own_local + "+")):
        return True  # our own address: never answer ourselves
    return bool(_MACHINE_LOCAL_PARTS.match(local))


def is_machine_mail(
    *, headers: Mapping[str, str] | None, sender_email: str, content_type: str = ""
) -> bool:
    """Auto-replies, lists, bulk mail and bounces: stored, never acknowledged (RFC 3834)."""
    h = lower_headers(headers)
    auto_submitted = h.get("auto-submitted", "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    if h.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        return True
    if "x-auto-response-suppress" in h or "list-id" in h or "list-unsubscribe" in h:
        return True
    if "x-autoreply" in h or "x-autorespond" in h:
        return True
    if "return-path" in h and h["return-path"].strip() in ("<>", ""):
        return True  # a bounce (null reverse path)
    content_type = (content_type or h.get("content-type", "")).strip().lower()
    if content_type.startswith("multipart/report"):
        return True
    return is_machine_sender(sender_email)


def is_spam(*, headers: Mapping[str, str] | None) -> bool:
    """The ESP's spam verdict as it writes it into the message's headers."""
    h = lower_headers(headers)
    return (
        h.get("x-spam-status", "").strip().lower().startswith("yes")
        or h.get("x-spam-flag", "").strip().lower() == "yes"
        or h.get("x-mailgun-sflag", "").strip().lower() == "yes"
    )


def clean_html(html: str) -> str:
    """Citizen HTML cleaned: no script, style, event handlers or javascript: links."""
    if not html:
        return ""
    return nh3.clean(
        html,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )


def html_to_text(html: str) -> str:
    """A plain-text version of an HTML-only mail."""
    text = nh3.clean(re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", html or ""), tags=set())
    return re.sub(r"\n{3,}", "\n\n", unescape(text)).strip()


def sanitize_filename(name: str | None) -> str:
    """A display name only (never a path): decoded, no directories, no control characters."""
    name = str(name or "")
    if "=?" in name:
        with contextlib.suppress(UnicodeError, LookupError, ValueError):
            name = str(make_header(decode_header(name)))
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = _("attachment")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        keep_ext = dot and 0 < len(ext) <= 10
        name = stem[: 199 - len(ext)] + "." + ext if keep_ext else name[:200]
    return name
