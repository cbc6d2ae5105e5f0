"""Pure decisions of the prize: the Frivillig Fredag date, e-mail normalisation, the round's
phase at a moment. No ORM writes, no HTTP."""

from __future__ import annotations

import datetime

from frivillig_blocks.identity import canonical_email

FRIDAY = 4


def last_friday_of_september(year: int) -> datetime.date:
    """Frivillig Fredag, the national day for volunteers: the last Friday of September."""
    last = datetime.date(year, 9, 30)
    return last - datetime.timedelta(days=(last.weekday() - FRIDAY) % 7)


def normalise_email(address: str) -> str:
    """One person, one key: the base's canonical identity of the address (NFKC, invisible
    characters and quoted local parts refused, the domain through IDNA, lower case, the
    sub-address and Gmail's dots gone). Raises ``frivillig_blocks.identity.InvalidAddress``."""
    return canonical_email(address)


class Phase:
    UPCOMING = "upcoming"
    NOMINATIONS = "nominations"
    JURY = "jury"
    VOTE = "vote"
    COUNTING = "counting"
    ANNOUNCED = "announced"


JURY_ONLY = "jury"
SHORTLIST_AND_VOTE = "shortlist_vote"
VOTE_ONLY = "vote"


def phase_at(
    *,
    model: str,
    now: datetime.datetime,
    nominations_open: datetime.datetime,
    nominations_close: datetime.datetime,
    vote_open: datetime.datetime | None,
    vote_close: datetime.datetime | None,
    announcement_at: datetime.datetime,
) -> str:
    if now >= announcement_at:
        return Phase.ANNOUNCED
    if now < nominations_open:
        return Phase.UPCOMING
    if now < nominations_close:
        return Phase.NOMINATIONS
    if model == JURY_ONLY or vote_open is None or vote_close is None:
        return Phase.JURY
    if now < vote_open:
        return Phase.JURY
    if now < vote_close:
        return Phase.VOTE
    return Phase.COUNTING


def phase_errors(
    *,
    model: str,
    nominations_open,
    nominations_close,
    vote_open,
    vote_close,
    announcement_at,
) -> dict[str, str]:
    """Field -> problem code for dates out of order (the model's clean() words them)."""
    errors: dict[str, str] = {}
    if nominations_open and nominations_close and nominations_close <= nominations_open:
        errors["nominations_close"] = "after_open"
    if model != JURY_ONLY:
        if not vote_open:
            errors["vote_open"] = "required"
        if not vote_close:
            errors["vote_close"] = "required"
        if vote_open and vote_close and vote_close <= vote_open:
            errors["vote_close"] = "after_vote_open"
        if vote_open and nominations_close and vote_open < nominations_close:
            errors["vote_open"] = "after_nominations"
        if vote_close and announcement_at and announcement_at < vote_close:
            errors["announcement_at"] = "after_vote"
    if nominations_close and announcement_at and announcement_at < nominations_close:
        errors["announcement_at"] = "after_nominations"
    return errors
