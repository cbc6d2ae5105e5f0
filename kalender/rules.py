"""Pure decisions of the calendar (no ORM, no HTTP): overlaps, title similarity, room
matching; the Danish holidays come from the base (``frivillig_blocks.workdays``)."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Half-open intervals [start, end) overlap."""
    return a_start < b_end and b_start < a_end


def overlapping_pairs(
    wanted: Sequence[tuple], existing: Iterable[tuple]
) -> list[tuple[int, tuple]]:
    """Pairs (index into ``wanted``, existing item) whose intervals overlap. ``wanted`` is a
    list of (start, end) sorted by start; each existing item is (start, end, ...). Times are
    compared as POSIX timestamps; each existing interval binary-searches the wanted starts
    and walks back only as far as the longest wanted interval could reach."""
    spans = [(s.timestamp(), e.timestamp()) for s, e in wanted]
    starts = [s for s, _e in spans]
    longest = max((e - s for s, e in spans), default=0.0)
    found = []
    for item in existing:
        start, end = item[0].timestamp(), item[1].timestamp()
        i = bisect.bisect_left(starts, end) - 1
        while i >= 0 and spans[i][0] + longest > start:
            if spans[i][1] > start:
                found.append((i, item))
            i -= 1
    return found


def clashes_among(items: Sequence[tuple]) -> set[int]:
    """Indexes of the items that overlap another item in the same room: the planning grid's
    marks, by the same overlap and room rules as a new event's check. Each item is
    ``(start, end, room)`` at one place; the items are sorted by start."""
    spans = [(item[0], item[1]) for item in items]
    indexed = [(item[0], item[1], item[2], j) for j, item in enumerate(items)]
    found: set[int] = set()
    for i, (_start, _end, room, j) in overlapping_pairs(spans, indexed):
        if i != j and same_room(items[i][2], room):
            found.update((i, j))
    return found


def same_room(room_a: str, room_b: str) -> bool:
    """A blank room means the whole place: it clashes with every room of the place."""
    a, b = room_a.strip().casefold(), room_b.strip().casefold()
    return not a or not b or a == b


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[^\w]+", " ", text).strip()


def similar_titles(a: str, b: str, threshold: float = 0.8) -> bool:
    na, nb = normalise_title(a), normalise_title(b)
    if not na or not nb:
        return False
    if na == nb or na in nb or nb in na:
        return True
    return difflib.SequenceMatcher(None, na, nb).ratio() >= threshold


# --- The organiser's view of an event's status ------------------------------------------------

#: What an organiser sees of their event on Mine sider and "My events": the stored status,
#: with an event waiting for review after a clash the venue agreed to told apart ("held").
ORGANISER_STATUSES = ("published", "review", "held", "draft", "cancelled", "postponed")


def organiser_status(status: str, *, venue_agreed: bool) -> str:
    """One of ``ORGANISER_STATUSES`` for an event's stored status (``EventStatus``)."""
    if status == "review" and venue_agreed:
        return "held"
    return status if status in ORGANISER_STATUSES else "draft"
