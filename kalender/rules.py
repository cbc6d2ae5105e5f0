"""Pure decisions of the calendar (no ORM, no HTTP): Danish public holidays, overlaps,
title similarity, room matching."""

from __future__ import annotations

import bisect
import datetime
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def danish_public_holidays(year: int) -> dict[datetime.date, str]:
    """The Danish public holidays (helligdage) of a year. Store bededag was abolished from
    2024; Grundlovsdag (5 June) is listed as it closes most offices."""
    easter = easter_sunday(year)

    def rel(days):
        return easter + datetime.timedelta(days=days)

    days = {
        datetime.date(year, 1, 1): _("New Year's Day"),
        rel(-3): _("Maundy Thursday"),
        rel(-2): _("Good Friday"),
        easter: _("Easter Sunday"),
        rel(1): _("Easter Monday"),
        rel(39): _("Ascension Day"),
        rel(49): _("Whit Sunday"),
        rel(50): _("Whit Monday"),
        datetime.date(year, 6, 5): _("Constitution Day"),
        datetime.date(year, 12, 24): _("Christmas Eve"),
        datetime.date(year, 12, 25): _("Christmas Day"),
        datetime.date(year, 12, 26): _("Boxing Day"),
    }
    if year < 2024:
        days[rel(26)] = _("Great Prayer Day")
    return dict(sorted(days.items()))


def holidays_between(first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    found = {}
    for year in range(first.year, last.year + 1):
        for day, name in danish_public_holidays(year).items():
            if first <= day <= last:
                found[day] = name
    return found


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
