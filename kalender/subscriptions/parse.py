"""A subscribed feed's body to the dates it gives (issue #23, part 3).

``icalendar`` reads the feed; ``recurring-ical-events`` expands each event's recurrence
(RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, RANGE=THISANDFUTURE) within the period the
importer asks for. The time zones real exporters write:

- ``TZID`` with a ``VTIMEZONE`` (icalendar builds the zone from its definition, also under a
  Windows name such as Outlook's "Romance Standard Time");
- a Windows zone name without a ``VTIMEZONE`` ("W. Europe Standard Time"): icalendar maps it
  to its Olson zone;
- UTC;
- Google's ``X-WR-TIMEZONE``: ``x-wr-timezone`` moves the UTC times into that zone before
  expansion, so a weekly series written in UTC keeps its wall-clock time across daylight
  saving, as Google shows it;
- floating times (no zone): read in the calendar's ``X-WR-TIMEZONE`` when it names a valid
  zone, else in Europe/Copenhagen (the calendar's own zone, DESIGN.md);
- all-day dates (``VALUE=DATE``): from local midnight (Europe/Copenhagen) of the first day
  to local midnight after the last.

Every date comes out in UTC. Texts are untrusted: the description goes through nh3 with no
tag allowed (script and style with their content gone) and comes out as plain text; the
title and the location lose control and invisible format characters; all three, and the
URL (http/https only), are bounded in length.

Bounds (issue #23: "10,000 occurrences from one rule, bounded by KALENDER_MAX_OCCURRENCES"):
one event (one UID) may give at most ``max_occurrences`` dates in the period, the whole feed
at most ``max_dates``; beyond either, the feed is refused (``FeedTooManyOccurrences``,
``FeedTooManyDates``) rather than cut: a cut feed would look complete and the importer
would cancel the dates beyond the cut. A rule that would make the expander generate more
than ``RULE_BUDGET`` candidate times (every second, every minute, or hourly since 1970) is
refused before it is expanded, since the expander materialises a rule's dates in a list.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import re
import unicodedata
import zoneinfo
from collections import Counter

import icalendar
import nh3
import recurring_ical_events
import x_wr_timezone

from .. import exceptions
from ..conf import app_settings
from .feed import FeedDate

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
UTC = datetime.UTC

MAX_TITLE = 200
MAX_LOCATION = 200
MAX_DESCRIPTION = 5000
MAX_URL = 200
MAX_UID = 255
#: The length of a timed event with only a start (FeedDate).
ONLY_A_START = datetime.timedelta(hours=1)
# The properties that place an event's dates.
TIMING = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "EXRULE"}
)
# Candidate times one rule may make the expander generate (see the module's docstring).
RULE_BUDGET = 200_000
# ... and all the feed's rules together.
FEED_BUDGET = 2_000_000

_PER_DAY = {"SECONDLY": 86400, "MINUTELY": 1440, "HOURLY": 24}
_BLOCK_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def parse(
    body: bytes,
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    max_occurrences: int,
    max_dates: int | None = None,
) -> list[FeedDate]:
    """The dates of the feed ``body`` that overlap ``start``–``end`` (aware datetimes),
    sorted by start, then UID. Raises ``FeedMalformed`` for a body that is not iCalendar,
    ``FeedTooManyOccurrences`` when one event gives more than ``max_occurrences`` dates (or
    a rule would generate too many to look at), ``FeedTooManyDates`` when the feed gives
    more than ``max_dates`` (default ``KALENDER_SUBSCRIPTION_MAX_DATES``)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be aware datetimes.")
    if max_dates is None:
        max_dates = app_settings.SUBSCRIPTION_MAX_DATES
    calendar, floating_zone = _read(body)
    _check_rules(calendar, end)
    try:
        query = recurring_ical_events.of(calendar)
    except (ValueError, TypeError, KeyError, icalendar.InvalidCalendar) as exc:
        raise exceptions.FeedMalformed() from exc

    # The expander compares floating times with the period as if they were UTC: ask for a
    # day more on each side and keep exactly what overlaps, once the times are placed.
    margin = datetime.timedelta(days=1)
    dates: dict[str, FeedDate] = {}
    # The UIDs of series (the expander gives every date, a single event's too, a
    # RECURRENCE-ID): a date of one of them is known by its UID and its date (FeedDate).
    recurring = {
        _uid(event)
        for event in calendar.walk("VEVENT")
        if any(event.get(name) is not None for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    try:
        for series in query.series:
            per_uid: Counter[str] = Counter()
            for occurrence in series.between(start - margin, end + margin):
                date = _feed_date(occurrence.as_component(False), floating_zone, recurring)
                if date is None or not (date.start < end and date.end > start):
                    continue
                per_uid[date.uid] += 1
                if per_uid[date.uid] > max_occurrences:
                    raise exceptions.FeedTooManyOccurrences()
                # A feed naming one date twice (two VEVENTs with one UID and no
                # RECURRENCE-ID, which some exporters write) gives it once: the first.
                dates.setdefault(date.key, date)
                if len(dates) > max_dates:
                    raise exceptions.FeedTooManyDates()
    except exceptions.FeedError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        raise exceptions.FeedMalformed() from exc
    except icalendar.InvalidCalendar as exc:
        raise exceptions.FeedMalformed() from exc
    return sorted(dates.values(), key=lambda d: (d.start, d.uid, d.original_start))


def _read(body: bytes) -> tuple[icalendar.Calendar, zoneinfo.ZoneInfo]:
    """The calendar (X-WR-TIMEZONE applied) and the zone its floating times are read in."""
    if not isinstance(body, bytes | str):
        raise exceptions.FeedMalformed()
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise exceptions.FeedMalformed() from exc
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise exceptions.FeedMalformed()
    floating_zone = COPENHAGEN
    wr_zone = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    if wr_zone:
        try:
            floating_zone = zoneinfo.ZoneInfo(wr_zone)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            wr_zone = ""  # a zone we do not know: the times stay as written
    if wr_zone:
        try:
            calendar = x_wr_timezone.to_standard(calendar, timezone=floating_zone)
        except (ValueError, TypeError, KeyError) as exc:
            raise exceptions.FeedMalformed() from exc
    # Applied (or unknown): recurring-ical-events would apply it again, and fail on a zone
    # it does not know.
    calendar.pop("X-WR-TIMEZONE", None)
    # icalendar reads leniently and notes what it could not read: a time or a rule it could
    # not read would place dates wrongly (or lose them, and the importer cancel them), so
    # the feed is refused; an unreadable DTSTAMP or X- property does not matter here.
    for event in calendar.walk("VEVENT"):
        if any(name in TIMING for name, _message in getattr(event, "errors", ())):
            raise exceptions.FeedMalformed()
    # An event without a start cannot be placed (RFC 5545 requires DTSTART in a published
    # feed); it is left out rather than failing the whole feed.
    calendar.subcomponents = [
        component
        for component in calendar.subcomponents
        if component.name != "VEVENT" or _start_value(component) is not None
    ]
    return calendar, floating_zone


def _start_value(component):
    try:
        value = component.get("DTSTART")
        return None if value is None else value.dt
    except (ValueError, TypeError, AttributeError):
        return None


def _check_rules(calendar: icalendar.Calendar, end: datetime.datetime) -> None:
    """Refuse a rule that would make the expander generate more candidate times than
    ``RULE_BUDGET`` (or the feed's rules together more than ``FEED_BUDGET``): the expander
    lists all of a rule's times from its DTSTART to the period's end before it filters."""
    total = 0
    for event in calendar.walk("VEVENT"):
        rules = event.get("RRULE")
        if rules is None:
            continue
        first = _start_value(event)
        first_day = first.date() if isinstance(first, datetime.datetime) else first
        if not isinstance(first_day, datetime.date):
            raise exceptions.FeedMalformed()
        for rule in rules if isinstance(rules, list) else [rules]:
            candidates = _candidates(rule, first_day, end.date())
            total += candidates
            if candidates > RULE_BUDGET or total > FEED_BUDGET:
                raise exceptions.FeedTooManyOccurrences()


def _candidates(rule, first_day: datetime.date, last_day: datetime.date) -> int:
    """An upper bound on the times a rule makes dateutil generate up to ``last_day``: the
    rule's times a day (a coarser frequency or BYDAY/BYMONTHDAY give at most one a day
    before BYHOUR/BYMINUTE/BYSECOND multiply) times the days it runs."""
    try:
        freq = str(rule.get("FREQ", ["DAILY"])[0]).upper()
        interval = max(int(rule.get("INTERVAL", [1])[0]), 1)
        count = rule.get("COUNT")
        until = rule.get("UNTIL")
    except (ValueError, TypeError, IndexError) as exc:
        raise exceptions.FeedMalformed() from exc
    per_day = _PER_DAY.get(freq, 1) / interval
    if freq != "SECONDLY":
        per_day *= max(len(rule.get("BYSECOND", [])), 1)
    if freq not in ("SECONDLY", "MINUTELY"):
        per_day *= max(len(rule.get("BYMINUTE", [])), 1)
    if freq not in ("SECONDLY", "MINUTELY", "HOURLY"):
        per_day *= max(len(rule.get("BYHOUR", [])), 1)
    if until:
        until_value = until[0]
        until_day = (
            until_value.date() if isinstance(until_value, datetime.datetime) else until_value
        )
        if isinstance(until_day, datetime.date):
            last_day = min(last_day, until_day)
    days = max((last_day - first_day).days + 1, 1)
    candidates = int(per_day * days) + 1
    if count:
        # COUNT stops the rule after so many dates; a filter (BYMONTH=2 on a daily rule)
        # may skip up to a year's candidates between two of them.
        candidates = min(candidates, int(count[0]) * 366)
    return candidates


def _feed_date(component, floating_zone, recurring: set[str]) -> FeedDate | None:
    start_value = component["DTSTART"].dt
    end_prop = component.get("DTEND")
    end_value = end_prop.dt if end_prop is not None else start_value
    recurrence = component.get("RECURRENCE-ID")
    original_value = recurrence.dt if recurrence is not None else start_value
    all_day = not isinstance(start_value, datetime.datetime)
    start = _utc(start_value, floating_zone)
    end = _utc(end_value, floating_zone)
    if all_day and end <= start:
        # A date with no end is one day long (RFC 5545, 3.6.1).
        end = _utc(start_value + datetime.timedelta(days=1), floating_zone)
    if end <= start and not all_day:
        # A timed event with only a start (or an end at its start) takes no time (RFC
        # 5545, 3.6.1); the calendar's dates end after they start: it is given an hour.
        end = start + ONLY_A_START
    if end < start:
        end = start
    uid = _uid(component)
    return FeedDate(
        uid=uid,
        original_start=_utc(original_value, floating_zone),
        start=start,
        end=end,
        title=_line(component.get("SUMMARY"), MAX_TITLE),
        description=clean_description(component.get("DESCRIPTION")),
        location=_line(component.get("LOCATION"), MAX_LOCATION),
        url=_url(component.get("URL")),
        all_day=all_day,
        cancelled=str(component.get("STATUS", "")).strip().upper() == "CANCELLED",
        recurring=uid in recurring,
    )


def _utc(value, floating_zone) -> datetime.datetime:
    """A DTSTART/DTEND/RECURRENCE-ID value as an aware UTC datetime: a date at local
    midnight in Copenhagen, a floating time in the feed's zone."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=floating_zone)
        return value.astimezone(UTC)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(), COPENHAGEN).astimezone(UTC)
    raise exceptions.FeedMalformed()


def _uid(component) -> str:
    uid = _line(component.get("UID"), MAX_UID)
    if uid:
        return uid
    # No UID (RFC 5545 requires one; a few hand-made feeds lack it): the title and first
    # start stand in, so the same event keeps the same identity across fetches.
    seed = f"{component.get('SUMMARY', '')}|{component['DTSTART'].to_ical().decode()}"
    return "no-uid-" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # a property given twice
        value = value[0] if value else ""
    return str(value)


def _without_controls(text: str) -> str:
    """Control characters (bells, escape sequences) and invisible format characters
    (zero-width spaces, right-to-left overrides that make text read backwards) removed;
    tabs and line breaks become spaces."""
    if text.isprintable():  # no control, format or private character at all: most texts
        return text
    return "".join(
        " " if char in "\t\r\n\v\f" else char
        for char in text
        if char in "\t\r\n\v\f" or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")
    )


def _line(value, limit: int) -> str:
    """One line of plain text: no markup, no controls, spaces collapsed, at most ``limit``
    characters."""
    text = _plain(_without_controls(_text(value)))
    text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
    return text[:limit].rstrip()


def clean_description(value) -> str:
    """A description as plain text: Google's HTML (<br>, <p>, links) becomes lines of text,
    script and style go with their content, nothing of markup remains; at most
    ``MAX_DESCRIPTION`` characters."""
    text = _text(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _BLOCK_BREAKS.sub("\n", text)
    text = "\n".join(_without_controls(line) for line in text.split("\n"))
    text = _plain(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if len(text) > MAX_DESCRIPTION:
        text = text[: MAX_DESCRIPTION - 1].rstrip() + "…"
    return text


def _plain(text: str) -> str:
    """nh3 with no tag allowed, then its entities read back to characters. Reading them
    back may uncover markup written as entities ("&lt;script&gt;"), so clean again until
    nothing changes (three rounds bound it)."""
    if "<" not in text and "&" not in text:
        return text  # nothing nh3 could read as markup or an entity (most feeds' texts)
    for _round in range(3):
        cleaned = html.unescape(nh3.clean(text, tags=set(), attributes={}))
        if cleaned == text:
            break
        text = cleaned
    else:
        # Still changing: drop what could be read as a tag rather than guess.
        text = text.replace("<", "").replace(">", "")
    return text


def _url(value) -> str:
    url = _line(value, MAX_URL * 2)
    if not url.lower().startswith(("https://", "http://")) or len(url) > MAX_URL:
        return ""
    return url
