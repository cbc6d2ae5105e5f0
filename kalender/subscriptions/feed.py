"""The dates a subscribed feed gives: the contract between ``parse`` and ``importer``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedDate:
    """One date of one event in a feed, expanded from its recurrence where it has one.

    The date's stable identity across fetches (``key``): a single event's is its UID, so
    a one-off event moved at the source is the same event, moved; a date of a series
    (``recurring``) is its UID and the date the rule gives it (``original_start``, the
    RECURRENCE-ID of an override), so a moved date keeps its identity while ``start`` and
    ``end`` carry the new time. A single event's ``original_start`` is its start. All
    datetimes are aware, in UTC. An all-day date runs from local midnight
    (Europe/Copenhagen) of its first day to local midnight after its last day; a timed
    event with only a start (RFC 5545: it takes no time) is given one hour, as a
    calendar date must end after it starts. ``cancelled`` is true for
    ``STATUS:CANCELLED`` (of the event or of the date).
    Texts are plain and cleaned: ``description`` has passed nh3 and holds no markup.
    """

    uid: str
    original_start: datetime.datetime
    start: datetime.datetime
    end: datetime.datetime
    title: str
    description: str = ""
    location: str = ""
    url: str = ""
    all_day: bool = False
    cancelled: bool = False
    recurring: bool = False

    @property
    def key(self) -> str:
        """The identity as one string: what the importer stores on the event."""
        if not self.recurring:
            return self.uid
        return f"{self.uid}|{self.original_start.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
