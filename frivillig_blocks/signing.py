"""Signed links that act without a login (accept an invitation, confirm a vote, cancel a
registration, renew a post), over ``django.core.signing``.

``sign_link(purpose, value)`` signs a JSON value (a primary key, a list) with the purpose
as salt and a timestamp; ``read_link(purpose, token, max_age)`` gives the value back or
raises :class:`~frivillig_blocks.exceptions.LinkInvalid` (forged, altered, cut, made for
another purpose) or :class:`~frivillig_blocks.exceptions.LinkExpired` (older than
``max_age``). Rotating ``SECRET_KEY`` with ``SECRET_KEY_FALLBACKS`` keeps links working.

A token holds only letters, digits, ``_`` and ``-`` (what a Wagtail page path accepts):
the signed text's ``_``, ``:`` and ``.`` are written ``__``, ``_c`` and ``_d``. Two older
forms are still read, so links already mailed keep working until they expire: Django's
signed text as it is (with ``:``), and that text in URL-safe base64."""

from __future__ import annotations

import datetime

from django.core import signing
from django.utils.http import urlsafe_base64_decode

from .exceptions import LinkExpired, LinkInvalid

MAX_LENGTH = 1000
_ESCAPES = {"_": "__", ":": "_c", ".": "_d"}
_UNESCAPES = {"_": "_", "c": ":", "d": "."}


class _Signer(signing.TimestampSigner):
    """A timestamp signer that can date its signature (``at``): for tests of expiry."""

    def __init__(self, *, salt: str, at: datetime.datetime | None = None):
        super().__init__(salt=salt)
        self.at = at

    def timestamp(self):
        if self.at is None:
            return super().timestamp()
        return signing.b62_encode(int(self.at.timestamp()))


def _escape(signed: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in signed)


def _unescape(token: str) -> str | None:
    out, chars = [], iter(token)
    for char in chars:
        if char != "_":
            out.append(char)
            continue
        escaped = _UNESCAPES.get(next(chars, ""))
        if escaped is None:
            return None
        out.append(escaped)
    return "".join(out)


def _unwrap_base64(token: str) -> str | None:
    try:
        return urlsafe_base64_decode(token).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def sign_link(purpose: str, value, *, at: datetime.datetime | None = None) -> str:
    """A path-safe token carrying ``value`` (JSON) for ``purpose``, dated now (or ``at``)."""
    return _escape(_Signer(salt=purpose, at=at).sign_object(value, compress=True))


def _candidates(token: str):
    if ":" in token:  # Django's signed text as it is (older invitation links)
        yield token
        return
    for decoded in (_unescape(token), _unwrap_base64(token)):
        if decoded and ":" in decoded:
            yield decoded


def read_link(purpose: str, token, max_age: int | float | datetime.timedelta | None = None):
    """The value ``token`` carries for ``purpose``; ``max_age`` in seconds or a timedelta
    (None: no limit)."""
    if not isinstance(token, str) or not token or len(token) > MAX_LENGTH:
        raise LinkInvalid
    signer = signing.TimestampSigner(salt=purpose)
    for signed in _candidates(token):
        try:
            return signer.unsign_object(signed, max_age=max_age)
        except signing.SignatureExpired as exc:
            raise LinkExpired from exc
        except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
            continue
    raise LinkInvalid
