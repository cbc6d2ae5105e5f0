"""Signed links in the mails (cancel, accept an offer, evaluate): no login needed, and a
link only works for the registration and the moment it was made for.

A token is ``frivillig_blocks.signing``'s, carrying ``[registration id, stamp]`` with the
purpose as salt. Links mailed before it (``<registration id>-<stamp>-<hmac>``) are still
read: an evaluation link lives as long as the registration."""

from __future__ import annotations

import re

from django.utils.crypto import constant_time_compare, salted_hmac

from frivillig_blocks.exceptions import LinkExpired, LinkInvalid
from frivillig_blocks.signing import read_link, sign_link

SALTS = {
    "cancel": "kurser.cancel",
    "accept": "kurser.accept",
    "evaluate": "kurser.evaluate",
}
_LEGACY_TOKEN = re.compile(r"^(\d{1,18})-(\d{1,20})-([0-9a-f]{40})$")


def _stamp(moment) -> int:
    return int(moment.timestamp() * 1_000_000) if moment else 0


def _moment(registration, purpose: str):
    # A cancel link belongs to one registration (a new one after cancelling gets a new
    # link); an accept link to one offer.
    if purpose == "accept":
        return registration.offered_at
    return registration.queued_at


def make_token(registration, purpose: str) -> str:
    return sign_link(SALTS[purpose], [registration.pk, _stamp(_moment(registration, purpose))])


def _read_legacy(token: str, purpose: str) -> tuple[int, int] | None:
    """A link mailed before the shared signing: ``<id>-<stamp>-<hmac of both>``."""
    match = _LEGACY_TOKEN.match(token)
    if match is None:
        return None
    registration_id, stamp, signature = match.groups()
    expected = salted_hmac(
        SALTS[purpose], f"{registration_id}-{stamp}", algorithm="sha256"
    ).hexdigest()[:40]
    if not constant_time_compare(signature, expected):
        return None
    return int(registration_id), int(stamp)


def read_token(token: str, purpose: str) -> tuple[int, int] | None:
    """(registration id, stamp), or None for a forged, truncated or foreign token."""
    if not isinstance(token, str):
        return None
    try:
        value = read_link(SALTS[purpose], token)
    except (LinkInvalid, LinkExpired):
        return _read_legacy(token, purpose)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return None
    return value[0], value[1]


def matches(registration, purpose: str, stamp: int) -> bool:
    return _stamp(_moment(registration, purpose)) == stamp
