"""The iCalendar feed: RRULE, EXDATE, RECURRENCE-ID, stable UIDs, VTIMEZONE, filters,
conditional requests; validated by parsing it back with icalendar."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from wagtail import hooks

from frivillig_blocks.hooks import CALENDAR_ENTRIES, CalendarEntry
from frivillig_blocks.models import Theme
from kalender import services

from .conftest import CPH, local

pytestmark = pytest.mark.django_db

FEED = "/frivillig/kalender/ical/"
YEAR = {"fra": "2026-01-01", "til": "2026-12-31"}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def series(reviewer, make_event, place):
    details = make_event(
        reviewer,
        title="Korsang",
        start=local(2026, 3, 4, 19),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 11, 25),
        place=place,
        theme_ids=[Theme.objects.get(slug="kultur").pk],
    )
    services.cancel_date(user=reviewer, details=details, original_start=local(2026, 4, 1, 19))
    services.move_date(
        user=reviewer,
        details=details,
        original_start=local(2026, 10, 28, 19),
        start=local(2026, 10, 29, 18, 30),
        end=local(2026, 10, 29, 20, 30),
    )
    return details


def test_feed_has_rrule_exdate_recurrence_id_and_vtimezone(client, calendar_page, series):
    response = client.get(FEED, YEAR)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(body(response))
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Copenhagen"
    events = cal.walk("VEVENT")
    main = next(e for e in events if "RRULE" in e)
    moved = next(e for e in events if "RECURRENCE-ID" in e)
    assert main["UID"] == moved["UID"]
    assert main["RRULE"]["FREQ"] == ["WEEKLY"]
    start = main.decoded("DTSTART")
    assert start == local(2026, 3, 4, 19) and str(start.tzinfo) == "Europe/Copenhagen"
    assert main["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    # CATEGORIES are the event's themes, by name.
    assert main["CATEGORIES"].cats == ["Kultur"]
    exdates = (
        [d.dt for d in main["EXDATE"].dts]
        if not isinstance(main["EXDATE"], list)
        else [d.dt for x in main["EXDATE"] for d in x.dts]
    )
    assert exdates == [local(2026, 4, 1, 19)]
    assert moved.decoded("RECURRENCE-ID") == local(2026, 10, 28, 19)
    assert moved.decoded("DTSTART") == local(2026, 10, 29, 18, 30)
    # Expanding the feed's rule gives 19:00 local on both sides of both switches.
    from dateutil.rrule import rrulestr

    rule = rrulestr(main["RRULE"].to_ical().decode(), dtstart=start)
    starts = [d for d in rule if d not in exdates]
    assert {d.astimezone(CPH).strftime("%H:%M") for d in starts} == {"19:00"}
    assert local(2026, 3, 25, 19) in starts and local(2026, 4, 8, 19) in starts
    assert local(2026, 10, 21, 19) in starts and local(2026, 11, 4, 19) in starts


def test_uids_are_stable_and_filters_apply(client, calendar_page, series, reviewer, make_event):
    make_event(reviewer, title="Sportsdag", start=local(2026, 5, 2, 10))
    first = icalendar.Calendar.from_ical(body(client.get(FEED, YEAR)))
    second = icalendar.Calendar.from_ical(body(client.get(FEED, YEAR)))
    assert sorted(str(e["UID"]) for e in first.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in second.walk("VEVENT")
    )
    filtered = icalendar.Calendar.from_ical(body(client.get(FEED, {**YEAR, "theme": "kultur"})))
    assert {str(e["SUMMARY"]) for e in filtered.walk("VEVENT")} == {"Korsang"}
    # The old ``?category=`` of a subscribed feed keeps working.
    old = icalendar.Calendar.from_ical(body(client.get(FEED, {**YEAR, "category": "kultur"})))
    assert {str(e["SUMMARY"]) for e in old.walk("VEVENT")} == {"Korsang"}


def test_conditional_requests_get_304(client, calendar_page, series, reviewer):
    response = client.get(FEED, YEAR)
    etag, modified = response["ETag"], response["Last-Modified"]
    body(response)
    assert client.get(FEED, YEAR, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(FEED, YEAR, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    services.cancel_date(user=reviewer, details=series, original_start=local(2026, 5, 6, 19))
    changed = client.get(FEED, YEAR, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_review_events_are_not_in_the_feed(client, calendar_page, member, make_event):
    make_event(member, title="Hemmeligt", start=local(2026, 5, 5, 19))
    cal = icalendar.Calendar.from_ical(body(client.get(FEED, YEAR)))
    assert cal.walk("VEVENT") == []


def test_other_apps_entries_in_the_feed(client, calendar_page):
    start = local(2026, 6, 5, 16)

    def entries(a, b):
        return [
            CalendarEntry(
                uid="prize-2026@test",
                title="Frivillig Fredag",
                start=start,
                end=start + datetime.timedelta(hours=3),
                kind="prize",
            )
        ]

    with hooks.register_temporarily(CALENDAR_ENTRIES, entries):
        cal = icalendar.Calendar.from_ical(body(client.get(FEED, YEAR)))
    (event,) = cal.walk("VEVENT")
    assert event["UID"] == "prize-2026@test" and event.decoded("DTSTART") == start


def test_single_event_feed_for_add_to_calendar(client, calendar_page, series):
    response = client.get(f"/frivillig/kalender/arrangement/{series.event_id}/ical/")
    cal = icalendar.Calendar.from_ical(body(response))
    assert len(cal.walk("VEVENT")) == 2  # the series and its moved date
    assert client.get("/frivillig/kalender/arrangement/424242/ical/").status_code == 404
