"""Signed links in the mails (cancel, accept an offer, evaluate): no login needed, and a
link only works for the registration and the moment it was made for.

A token is ``<registration id>-<stamp>-<hmac>``: only word characters and hyphens, the
characters a Wagtail page path may hold."""

from __future__ import annotations

import re

from django.utils.crypto import constant_time_compare, salted_hmac

SALTS = {
    "cancel": "kurser.cancel",
    "accept": "kurser.accept",
    "evaluate": "kurser.evaluate",
}
_TOKEN = re.compile(r"^(\d{1,18})-(\d{1,20})-([0-9a-f]{40})$")


def _stamp(moment) -> int:
    return int(moment.timestamp() * 1_000_000) if moment else 0


def _moment(registration, purpose: str):
    # A cancel link belongs to one registration (a new one after cancelling gets a new
    # link); an accept link to one offer.
    if purpose == "accept":
        return registration.offered_at
    return registration.queued_at


def _signature(purpose: str, value: str) -> str:
    return salted_hmac(SALTS[purpose], value, algorithm="sha256").hexdigest()[:40]


def make_token(registration, purpose: str) -> str:
    value = f"{registration.pk}-{_stamp(_moment(registration, purpose))}"
    return f"{value}-{_signature(purpose, value)}"


def read_token(token: str, purpose: str) -> tuple[int, int] | None:
    """(registration id, stamp), or None for a forged, truncated or foreign token."""
    match = _TOKEN.match(token) if isinstance(token, str) else None
    if match is None:
        return None
    registration_id, stamp, signature = match.groups()
    if not constant_time_compare(signature, _signature(purpose, f"{registration_id}-{stamp}")):
        return None
    return int(registration_id), int(stamp)


def matches(registration, purpose: str, stamp: int) -> bool:
    return _stamp(_moment(registration, purpose)) == stamp
