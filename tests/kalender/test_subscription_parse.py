"""Reading real feeds (issue #23, part 3): the exports of Google Calendar, Outlook and a club
system give their dates at the right Copenhagen times, in UTC, across daylight saving;
hostile feeds are refused or cleaned."""

from __future__ import annotations

import datetime
import time
import zoneinfo
from pathlib import Path

import pytest

from kalender import exceptions
from kalender.subscriptions.feed import FeedDate
from kalender.subscriptions.parse import MAX_DESCRIPTION, MAX_TITLE, parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ical"
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
UTC = datetime.UTC
YEAR_2027 = {
    "start": datetime.datetime(2027, 1, 1, tzinfo=UTC),
    "end": datetime.datetime(2028, 1, 1, tzinfo=UTC),
    "max_occurrences": 260,
}


def feed(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def cph(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=CPH)


def local(moment: datetime.datetime) -> str:
    return moment.astimezone(CPH).strftime("%Y-%m-%d %H:%M")


def of(dates: list[FeedDate], uid_start: str) -> list[FeedDate]:
    return [date for date in dates if date.uid.startswith(uid_start)]


def calendar(*events: str, head: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *filter(None, [head])]
    for event in events:
        lines += ["BEGIN:VEVENT", "DTSTAMP:20261201T120000Z", *event.strip().split("\n")]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_every_date_is_aware_and_in_utc():
    for name in ("google.ics", "outlook.ics", "club.ics"):
        for date in parse(feed(name), **YEAR_2027):
            for moment in (date.start, date.end, date.original_start):
                assert moment.tzinfo is UTC
            assert date.end >= date.start


def test_google_calendar_export():
    dates = parse(feed("google.ics"), **YEAR_2027)
    (meeting,) = of(dates, "5d2kq8m1")
    assert (local(meeting.start), local(meeting.end)) == ("2027-01-15 19:00", "2027-01-15 21:30")
    assert meeting.start == datetime.datetime(2027, 1, 15, 18, 0, tzinfo=UTC)
    assert meeting.original_start == meeting.start
    assert meeting.title == "Generalforsamling"
    assert meeting.location == "Klubhuset, Strandlinien 4, 2791 Dragør"
    # Google's HTML description becomes lines of plain text.
    assert meeting.description == "Generalforsamling\nDagsorden efter vedtægterne.\nLæs mere"
    # A single event is known by its UID alone: moved at the source, it stays one event.
    assert meeting.key == "5d2kq8m1t0r7c3hgb9l4a6e2fj@google.com"

    (flag_day,) = of(dates, "7a1b2c3d")
    assert flag_day.all_day
    assert flag_day.start == cph(2027, 6, 5) and flag_day.end == cph(2027, 6, 6)
    assert flag_day.start == datetime.datetime(2027, 6, 4, 22, 0, tzinfo=UTC)
    assert flag_day.title == "Grundlovsdag – havnen pyntes"


def test_google_x_wr_timezone_keeps_a_series_written_in_utc_at_its_wall_clock_time():
    """The course is written 18:00Z weekly (19:00 in winter) with X-WR-TIMEZONE
    Europe/Copenhagen: after the switch to summer time on 28 March 2027 it stays 19:00,
    which is 17:00Z, as Google itself shows it."""
    course = of(parse(feed("google.ics"), **YEAR_2027), "0vq3s7n9")
    assert [local(d.start) for d in course] == [
        "2027-03-04 19:00",
        "2027-03-11 19:00",
        "2027-03-18 19:00",
        "2027-03-25 19:00",
        "2027-04-01 19:00",
        "2027-04-08 19:00",
    ]
    assert [d.start.hour for d in course] == [18, 18, 18, 18, 17, 17]
    assert all(local(d.end)[-5:] == "21:00" for d in course)
    assert [d.original_start for d in course] == [d.start for d in course]
    assert len({d.key for d in course}) == 6

    # Without X-WR-TIMEZONE the same rule is a UTC rule: 20:00 after the switch.
    plain = (
        feed("google.ics")
        .replace(b"X-WR-TIMEZONE:Europe/Copenhagen\r\n", b"")
        .replace(b"X-WR-TIMEZONE:Europe/Copenhagen\n", b"")
    )
    assert b"X-WR-TIMEZONE" not in plain
    course = of(parse(plain, **YEAR_2027), "0vq3s7n9")
    assert local(course[-1].start) == "2027-04-08 20:00"


def test_outlook_export_with_windows_zone_names():
    dates = parse(feed("outlook.ics"), **YEAR_2027)
    by_title = {}
    for date in dates:
        by_title.setdefault(date.title, []).append(date)

    # TZID "Romance Standard Time" with its VTIMEZONE.
    (cleaning,) = by_title["Forårsrengøring af stranden"]
    assert (local(cleaning.start), local(cleaning.end)) == ("2027-04-10 10:00", "2027-04-10 13:00")
    assert cleaning.start == datetime.datetime(2027, 4, 10, 8, 0, tzinfo=UTC)
    assert cleaning.description == "Vi mødes ved indgangen.\n\nTag madpakke med."

    # A weekly series across the switch, one date left out (EXDATE 30 March), UNTIL.
    board = by_title["Bestyrelsesmøde"]
    assert [local(d.start) for d in board] == [
        "2027-03-16 17:00",
        "2027-03-23 17:00",
        "2027-04-06 17:00",
        "2027-04-13 17:00",
    ]
    assert [d.start.hour for d in board] == [16, 16, 15, 15]
    assert board[0].location == "Foreningshuset, lokale 2"

    # "W. Europe Standard Time" with no VTIMEZONE: the Windows name's Olson zone.
    (market,) = by_title["Loppemarked"]
    assert (local(market.start), local(market.end)) == ("2027-08-14 09:00", "2027-08-14 14:00")
    assert market.start == datetime.datetime(2027, 8, 14, 7, 0, tzinfo=UTC)

    # An all-day event over several days: local midnight to local midnight after the last.
    (camp,) = by_title["Sommerlejr"]
    assert camp.all_day
    assert (camp.start, camp.end) == (cph(2027, 7, 5), cph(2027, 7, 10))


def test_club_system_export_with_a_moved_and_a_cancelled_date_across_daylight_saving():
    dates = parse(feed("club.ics"), **YEAR_2027)
    evenings = of(dates, "traening-torsdag")
    assert [(local(d.original_start), local(d.start), d.cancelled) for d in evenings] == [
        ("2027-03-04 19:00", "2027-03-04 19:00", False),
        ("2027-03-11 19:00", "2027-03-11 19:00", False),
        # Moved to Friday 18:00: its identity stays the Thursday the rule gives.
        ("2027-03-18 19:00", "2027-03-19 18:00", False),
        ("2027-03-25 19:00", "2027-03-25 19:00", False),
        # 1 April is left out by EXDATE; 8 April is cancelled by its override.
        ("2027-04-08 19:00", "2027-04-08 19:00", True),
        ("2027-04-15 19:00", "2027-04-15 19:00", False),
        ("2027-04-22 19:00", "2027-04-22 19:00", False),
        # An extra date (RDATE), a Monday.
        ("2027-05-03 19:00", "2027-05-03 19:00", False),
    ]
    # 19:00 is 18:00Z in winter and 17:00Z after 28 March 2027.
    assert [d.start.strftime("%H:%M") for d in evenings] == [
        "18:00", "18:00", "17:00", "18:00", "17:00", "17:00", "17:00", "17:00",
    ]  # fmt: skip
    moved = evenings[2]
    assert moved.title == "Klubaften (flyttet til fredag)"
    assert moved.end == cph(2027, 3, 19, 20, 30)
    assert moved.key == "traening-torsdag@skakklub.example|20270318T180000Z"
    assert all(d.recurring for d in evenings)
    assert evenings[0].url == "https://skakklub.example/klubaften"
    assert evenings[0].location == "Dragør Bibliotek, Kirkevej 7"
    assert len({d.key for d in evenings}) == len(evenings)

    # DTSTART and DURATION only.
    (tournament,) = of(dates, "lynturnering")
    assert (local(tournament.start), local(tournament.end)) == (
        "2027-05-22 10:00",
        "2027-05-22 16:00",
    )
    # A floating time (no zone) is a Copenhagen time.
    (championship,) = of(dates, "klubmesterskab")
    assert championship.start == datetime.datetime(2027, 6, 12, 11, 0, tzinfo=UTC)
    # Only a start: it takes no time, and the calendar shows it as an hour.
    assert championship.end == championship.start + datetime.timedelta(hours=1)
    assert not championship.recurring and championship.key == championship.uid
    # A date alone is one whole day.
    (midsummer,) = of(dates, "sankthans")
    assert midsummer.all_day
    assert (midsummer.start, midsummer.end) == (cph(2027, 6, 23), cph(2027, 6, 24))
    # STATUS:CANCELLED on a single event; UTC times.
    (simultaneous,) = of(dates, "simultan")
    assert simultaneous.cancelled
    assert local(simultaneous.start) == "2027-09-11 10:00"


def test_only_the_dates_overlapping_the_period_are_given():
    dates = parse(
        feed("club.ics"),
        start=cph(2027, 3, 25, 21, 0),  # during the 25 March evening
        end=cph(2027, 4, 22, 19, 0),  # when the 22 April evening begins
        max_occurrences=260,
    )
    assert [local(d.start) for d in dates] == [
        "2027-03-25 19:00",
        "2027-04-08 19:00",
        "2027-04-15 19:00",
    ]


def test_a_series_without_end_is_bounded_by_the_period():
    body = calendar(
        """
UID:forever@test
DTSTART;TZID=Europe/Copenhagen:20260105T100000
DTEND;TZID=Europe/Copenhagen:20260105T110000
RRULE:FREQ=WEEKLY
SUMMARY:Gåtur
"""
    )
    dates = parse(body, **YEAR_2027)
    assert len(dates) == 52
    assert {local(d.start)[-5:] for d in dates} == {"10:00"}
    assert local(dates[0].start) == "2027-01-04 10:00"


def test_floating_times_follow_x_wr_timezone_when_it_names_a_zone():
    event = "UID:f@test\nDTSTART:20270612T130000\nDTEND:20270612T140000\nSUMMARY:F"
    (london,) = parse(calendar(event, head="X-WR-TIMEZONE:Europe/London"), **YEAR_2027)
    assert london.start == datetime.datetime(2027, 6, 12, 12, 0, tzinfo=UTC)
    # An unknown zone is ignored: Copenhagen.
    (unknown,) = parse(calendar(event, head="X-WR-TIMEZONE:Mars/Olympus"), **YEAR_2027)
    assert unknown.start == datetime.datetime(2027, 6, 12, 11, 0, tzinfo=UTC)


def test_an_event_given_twice_is_given_once_and_one_without_a_start_is_left_out():
    event = "UID:twice@test\nDTSTART:20270301T170000Z\nDTEND:20270301T180000Z\nSUMMARY:A"
    no_start = "UID:nostart@test\nSUMMARY:No start"
    dates = parse(calendar(event, event.replace("SUMMARY:A", "SUMMARY:B"), no_start), **YEAR_2027)
    assert [(d.uid, d.title) for d in dates] == [("twice@test", "A")]


def test_an_event_without_uid_keeps_one_identity_across_fetches():
    body = calendar("DTSTART:20270301T170000Z\nSUMMARY:Uden UID")
    (first,) = parse(body, **YEAR_2027)
    (again,) = parse(body, **YEAR_2027)
    assert first.uid.startswith("no-uid-") and first.key == again.key


# -- hostile feeds --------------------------------------------------------------------------


def test_a_rule_with_10000_occurrences_is_refused_quickly():
    started = time.monotonic()
    with pytest.raises(exceptions.FeedTooManyOccurrences):
        parse(feed("many_occurrences.ics"), **YEAR_2027)
    assert time.monotonic() - started < 2


def test_an_event_repeating_beyond_max_occurrences_in_the_period_is_refused():
    daily = calendar(
        "UID:daily@test\nDTSTART;VALUE=DATE:20270101\nRRULE:FREQ=DAILY;COUNT=10000\nSUMMARY:D"
    )
    with pytest.raises(exceptions.FeedTooManyOccurrences):
        parse(daily, **YEAR_2027)  # 365 dates in 2027 > 260
    # The same rule within a shorter period is fine: the bound is on the dates given.
    dates = parse(daily, start=cph(2027, 1, 1), end=cph(2027, 9, 1), max_occurrences=260)
    assert len(dates) == 243  # 1 January to 31 August


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;INTERVAL=1",
        "FREQ=HOURLY",  # every hour since 2000
        "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55",
    ],
)
def test_a_rule_generating_a_flood_is_refused_before_it_is_expanded(rule):
    body = calendar(f"UID:flood@test\nDTSTART:20000101T000000Z\nRRULE:{rule}\nSUMMARY:F")
    started = time.monotonic()
    with pytest.raises(exceptions.FeedTooManyOccurrences):
        parse(body, **YEAR_2027)
    assert time.monotonic() - started < 1


def test_a_feed_with_more_dates_than_max_dates_is_refused():
    events = [f"UID:e{n}@test\nDTSTART:202703{n + 1:02d}T170000Z\nSUMMARY:E{n}" for n in range(20)]
    assert len(parse(calendar(*events), **YEAR_2027, max_dates=20)) == 20
    with pytest.raises(exceptions.FeedTooManyDates):
        parse(calendar(*events), **YEAR_2027, max_dates=19)


@pytest.mark.parametrize(
    "body",
    [
        feed("malformed.ics"),
        feed("not_a_calendar.html"),
        b"",
        b"garbage",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270101T100000Z\r\n",  # cut off
        calendar("UID:r@test\nDTSTART:20270101T100000Z\nRRULE:FREQ=BOGUS\nSUMMARY:R"),
        calendar("UID:r@test\nDTSTART:20270101T100000Z\nEXDATE:tomorrow\nSUMMARY:R"),
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270101T100000Z\r\nEND:VEVENT\r\n",
    ],
)
def test_a_malformed_feed_is_refused(body):
    with pytest.raises(exceptions.FeedMalformed):
        parse(body, **YEAR_2027)


def test_script_and_markup_in_a_feed_are_removed():
    (date,) = parse(feed("script_in_description.ics"), **YEAR_2027)
    assert date.description == "Kom og vær med!\nØl & vand"
    assert date.title == "Fest i[31m huset"  # the bell, the escape and the tab gone
    assert date.location == "Havnen"  # the right-to-left override gone
    assert date.url == ""  # javascript: is no link
    for text in (date.description, date.title, date.location):
        assert "<" not in text and "script" not in text and "alert" not in text


def test_texts_are_bounded():
    body = calendar(
        "UID:long@test\nDTSTART:20270301T170000Z\nSUMMARY:"
        + "T" * 1000
        + "\nDESCRIPTION:"
        + "word " * 4000
        + "\nLOCATION:"
        + "L" * 1000
        + "\nURL:https://klub.example/"
        + "u" * 400
    )
    (date,) = parse(body, **YEAR_2027)
    assert len(date.title) == MAX_TITLE
    assert len(date.description) == MAX_DESCRIPTION and date.description.endswith("…")
    assert len(date.location) == 200
    assert date.url == ""


def test_a_naive_period_is_a_programming_error():
    with pytest.raises(ValueError, match="aware"):
        parse(
            feed("club.ics"),
            start=datetime.datetime(2027, 1, 1),
            end=datetime.datetime(2028, 1, 1, tzinfo=UTC),
            max_occurrences=10,
        )
