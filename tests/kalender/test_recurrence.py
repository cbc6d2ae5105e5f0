"""Recurrence on django-scheduler, expanded in Europe/Copenhagen: 19:00 stays 19:00 on both
sides of both daylight-saving switches; cancelled and moved dates; the index."""

from __future__ import annotations

import datetime

import pytest

from kalender import services
from kalender.models import Slot
from kalender.occurrences import expand

from .conftest import CPH, local

pytestmark = pytest.mark.django_db


def test_weekly_19_copenhagen_across_both_switches(reviewer, make_event, place):
    # 2026: summer time starts 29 March, ends 25 October.
    details = make_event(
        reviewer,
        title="Korsang",
        start=local(2026, 3, 4, 19),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 11, 25),
        place=place,
    )
    slots = list(Slot.objects.filter(details=details).order_by("start"))
    assert len(slots) == 39
    local_times = {s.start.astimezone(CPH).strftime("%H:%M") for s in slots}
    assert local_times == {"19:00"}
    # UTC differs across the switches: 18:00 UTC in winter, 17:00 UTC in summer.
    utc = {
        s.start.astimezone(datetime.UTC).date(): s.start.astimezone(datetime.UTC).hour
        for s in slots
    }
    assert utc[datetime.date(2026, 3, 25)] == 18
    assert utc[datetime.date(2026, 4, 1)] == 17
    assert utc[datetime.date(2026, 10, 21)] == 17
    assert utc[datetime.date(2026, 10, 28)] == 18
    assert all(s.end - s.start == datetime.timedelta(hours=2) for s in slots)


def test_cancel_and_move_single_dates_are_persisted_occurrences(reviewer, make_event, place):
    details = make_event(
        reviewer,
        title="Strik",
        start=local(2026, 1, 7, 19),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 2, 25),
        place=place,
    )
    assert details.slots.count() == 8
    services.cancel_date(user=reviewer, details=details, original_start=local(2026, 1, 14, 19))
    services.move_date(
        user=reviewer,
        details=details,
        original_start=local(2026, 1, 21, 19),
        start=local(2026, 1, 22, 18),
        end=local(2026, 1, 22, 20),
    )
    occurrences = {o.original_start.astimezone(CPH): o for o in details.event.occurrence_set.all()}
    assert occurrences[local(2026, 1, 14, 19)].cancelled is True
    moved = occurrences[local(2026, 1, 21, 19)]
    assert moved.start == local(2026, 1, 22, 18) and not moved.cancelled
    starts = [s.start.astimezone(CPH) for s in details.slots.order_by("start")]
    assert local(2026, 1, 14, 19) not in starts
    assert local(2026, 1, 21, 19) not in starts
    assert local(2026, 1, 22, 18) in starts
    assert len(starts) == 7
    dates = expand(details.event)
    assert [d.cancelled for d in dates].count(True) == 1


def test_occurrences_of_two_events_are_kept_apart(reviewer, make_event, place):
    # django-scheduler's Occurrence.__eq__ ignores the event: two events at the same time
    # must still give two slots each.
    a = make_event(reviewer, title="A", start=local(2026, 5, 6, 10), place=place, room="Sal 1")
    b = make_event(reviewer, title="B", start=local(2026, 5, 6, 10), place=place, room="Sal 2")
    assert Slot.objects.filter(details__in=[a, b]).count() == 2


def test_bad_recurrences_are_refused_and_nothing_saved(reviewer, make_event):
    from kalender.exceptions import InvalidRecurrence, TooManyOccurrences
    from kalender.models import EventDetails

    with pytest.raises(TooManyOccurrences):
        make_event(reviewer, recurrence="daily", repeat_until=datetime.date(2036, 3, 4))
    with pytest.raises(InvalidRecurrence):
        make_event(reviewer, recurrence="weekly;count=1000", repeat_until=datetime.date(2026, 4, 1))
    with pytest.raises(InvalidRecurrence):
        make_event(reviewer, start=local(2026, 3, 4, 19), end=local(2026, 3, 4, 18))
    assert EventDetails.objects.count() == 0


# The hour that happens twice (2026-10-25, 02:00-03:00 local, first in summer time, then in
# winter time) and the hour that never happens (2026-03-29, 02:00-03:00 local). RFC 5545
# (3.3.5): an ambiguous local time is its FIRST occurrence; a local time in the gap is read
# with the offset before the gap (02:30 becomes 03:30 summer time). Pages, API, PDF and
# feed must name the same instant.

UTC = datetime.UTC
BASE = "/frivillig/kalender/"


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def night_series(calendar_page, reviewer, make_event, place):
    """Every Sunday 02:30-04:00 (1.5 hours) from 18 October 2026: the 25 October date is
    the ambiguous 02:30. With DTEND, RFC 5545 keeps the exact duration (1.5 hours)."""
    return make_event(
        reviewer,
        title="Natteravne",
        start=local(2026, 10, 18, 2, 30),
        end=local(2026, 10, 18, 4, 0),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 11, 1),
        place=place,
    )


def _feed_instants(client, path, params) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(start, end) in UTC of each date a calendar program computes from the feed."""
    import icalendar
    from dateutil.rrule import rrulestr

    response = client.get(path, params)
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(b"".join(response.streaming_content))
    result = []
    for vevent in cal.walk("VEVENT"):
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        starts = [start]
        if "RRULE" in vevent:
            starts = list(rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=start))
        # RFC 5545 3.8.5.3: with DTEND every date lasts the same exact duration.
        duration = end.astimezone(UTC) - start.astimezone(UTC)
        result += [(s.astimezone(UTC), s.astimezone(UTC) + duration) for s in starts]
    return sorted(result)


def test_the_ambiguous_hour_is_its_first_occurrence_everywhere(client, night_series):
    details = night_series
    slots = [(s.start, s.end) for s in Slot.objects.filter(details=details).order_by("start")]
    # 02:30 summer time is 00:30 UTC; the date lasts 1.5 hours (to 03:00 winter time).
    assert slots == [
        (utc(2026, 10, 18, 0, 30), utc(2026, 10, 18, 2, 0)),
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 2, 0)),
        (utc(2026, 11, 1, 1, 30), utc(2026, 11, 1, 3, 0)),
    ]
    # The feed: what a calendar program computes from RRULE and DTSTART is the same.
    feed = _feed_instants(client, f"{BASE}ical/", {"fra": "2026-10-01", "til": "2026-11-30"})
    assert feed == slots
    one = _feed_instants(client, f"{BASE}arrangement/{details.event_id}/ical/", {})
    assert one == slots
    # The API.
    data = client.get("/api/kalender/dates", {"start": "2026-10-24", "end": "2026-10-26"}).json()
    assert [(d["start"], d["end"]) for d in data] == [
        ("2026-10-25T02:30:00+02:00", "2026-10-25T03:00:00+01:00")
    ]
    # The pages: the day, the month and the event's own page.
    html = client.get(f"{BASE}dag/2026/10/25/").content.decode()
    assert '<time datetime="2026-10-25T02:30:00+02:00">02:30</time>' in html
    assert '<time datetime="2026-10-25T03:00:00+01:00">03:00</time>' in html
    assert '+01:00">02:30<' not in html
    html = client.get(f"{BASE}maaned/2026/10/").content.decode()
    assert '<time datetime="2026-10-25T02:30:00+02:00">02:30</time>' in html


def test_a_series_that_starts_in_the_ambiguous_hour(client, calendar_page, reviewer, make_event):
    details = make_event(
        reviewer,
        title="Nattevagt",
        start=local(2026, 10, 25, 2, 30),
        end=local(2026, 10, 25, 2, 45),
        recurrence="daily",
        repeat_until=datetime.date(2026, 10, 26),
    )
    assert details.event.start.astimezone(UTC) == utc(2026, 10, 25, 0, 30)
    slots = [(s.start, s.end) for s in Slot.objects.filter(details=details).order_by("start")]
    # The first date is the event's own start, not an hour later.
    assert slots == [
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 0, 45)),
        (utc(2026, 10, 26, 1, 30), utc(2026, 10, 26, 1, 45)),
    ]
    assert _feed_instants(client, f"{BASE}arrangement/{details.event_id}/ical/", {}) == slots
    data = client.get("/api/kalender/dates", {"start": "2026-10-25", "end": "2026-10-25"}).json()
    assert [d["start"] for d in data] == ["2026-10-25T02:30:00+02:00"]
    # A date of the series is cancelled by the instant the pages show, and stays cancelled.
    services.cancel_date(user=reviewer, details=details, original_start=slots[0][0])
    assert [s.start for s in Slot.objects.filter(details=details)] == [slots[1][0]]
    feed = _feed_instants(client, f"{BASE}arrangement/{details.event_id}/ical/", {})
    assert utc(2026, 10, 25, 0, 30) not in [s for s, _e in feed] or len(feed) == 2


def test_the_pdf_programme_prints_the_first_occurrence(client, night_series):
    from .pdftext import extract_text

    response = client.get(f"{BASE}program/", {"fra": "2026-10-25", "til": "2026-10-25"})
    assert response.status_code == 200
    text = extract_text(response.content)
    # 02:30 summer time + 1.5 hours = 03:00 winter time (not 04:00: that is 02:30 winter time
    # + 1.5 hours, the second occurrence).
    assert "02:30–03:00" in text, text
    assert "02:30–04:00" not in text


def test_the_missing_hour_is_read_with_the_offset_before_the_gap(
    client, calendar_page, reviewer, make_event
):
    series = make_event(
        reviewer,
        title="Forårsnat",
        start=local(2026, 3, 22, 2, 30),
        end=local(2026, 3, 22, 3, 0),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 4, 5),
    )
    single = make_event(
        reviewer,
        title="Sommertid",
        start=local(2026, 3, 29, 2, 30),
        end=local(2026, 3, 29, 4, 0),
    )
    # 02:30 on 29 March does not exist: read with the winter offset it is 01:30 UTC, shown
    # as 03:30 summer time.
    slots = [(s.start, s.end) for s in Slot.objects.filter(details=series).order_by("start")]
    assert slots == [
        (utc(2026, 3, 22, 1, 30), utc(2026, 3, 22, 2, 0)),
        (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 0)),
        (utc(2026, 4, 5, 0, 30), utc(2026, 4, 5, 1, 0)),
    ]
    assert [(s.start, s.end) for s in single.slots.all()] == [
        (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 0))
    ]
    feed = _feed_instants(client, f"{BASE}ical/", {"fra": "2026-03-01", "til": "2026-04-30"})
    assert feed == sorted([*slots, (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 0))])
    data = client.get("/api/kalender/dates", {"start": "2026-03-29", "end": "2026-03-29"}).json()
    assert [(d["title"], d["start"]) for d in data] == [
        ("Forårsnat", "2026-03-29T03:30:00+02:00"),
        ("Sommertid", "2026-03-29T03:30:00+02:00"),
    ]
    html = client.get(f"{BASE}dag/2026/3/29/").content.decode()
    assert html.count('<time datetime="2026-03-29T03:30:00+02:00">03:30</time>') == 2
    assert ">02:30</time>" not in html
    from .pdftext import extract_text

    text = extract_text(
        client.get(f"{BASE}program/", {"fra": "2026-03-29", "til": "2026-03-29"}).content
    )
    assert text.count("03:30–04:00") == 2, text
