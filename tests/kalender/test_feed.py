"""The iCalendar feed: RRULE, EXDATE, RECURRENCE-ID, stable UIDs, VTIMEZONE, filters,
conditional requests; validated by parsing it back with icalendar."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


# --- the built feed, kept per content version (issue #22) ------------------------------------

CONTENT_TABLES = (
    "kalender_eventdetails",
    "kalender_slot",
    "kalender_category",
    "schedule_",
    "frivillig_blocks_place",
    "frivillig_blocks_association",
)


def feed_queries(captured) -> list[str]:
    """The queries that read the feed's content (not Wagtail's routing of the page)."""
    return [q["sql"] for q in captured if any(t in q["sql"] for t in CONTENT_TABLES)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("page_cache", "feed_cache"),
    [(300, None), (0, True)],
    ids=["with-the-page-cache", "page-cache-off-feed-cache-on"],
)
def test_the_feed_is_built_once_per_content_version(
    client, calendar_page, series, reviewer, make_event, settings, page_cache, feed_cache
):
    # Real commits: the page cache's version moves when a change commits. Production keeps
    # the feed (KALENDER_FEED_CACHE) also with the page cache off.
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = page_cache
    settings.KALENDER_FEED_CACHE = feed_cache
    client.force_login(reviewer)  # a session: past the page cache, to the feed's own cache
    with CaptureQueriesContext(connection) as built:
        first = client.get(FEED, YEAR)
    assert first.status_code == 200 and feed_queries(built.captured_queries)
    with CaptureQueriesContext(connection) as kept:
        second = client.get(FEED, YEAR)
    # Only the page's routing is left: the feed is one cache read.
    assert feed_queries(kept.captured_queries) == []
    assert len(kept.captured_queries) < len(built.captured_queries)
    assert second.content == first.content and second["ETag"] == first["ETag"]
    with CaptureQueriesContext(connection) as revalidated:
        not_modified = client.get(FEED, YEAR, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert feed_queries(revalidated.captured_queries) == []
    assert client.get(FEED, YEAR, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    make_event(reviewer, title="Havnefest", start=local(2026, 6, 13, 14))
    changed = client.get(FEED, YEAR, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    titles = {
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(changed.content).walk("VEVENT")
    }
    assert titles == {"Korsang", "Havnefest"}

    # A filter is part of the key: the category's feed is not the whole calendar's.
    kultur = client.get(FEED, {**YEAR, "category": "kultur"})
    kultur_titles = {
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(kultur.content).walk("VEVENT")
    }
    assert kultur_titles == {"Korsang"}
    assert client.get(FEED, YEAR).content == changed.content


def test_an_anonymous_subscriber_gets_the_page_caches_copy(client, calendar_page, series, settings):
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    first = client.get(FEED, YEAR)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as kept:
        second = client.get(FEED, YEAR)
    assert second["X-Page-Cache"] == "hit" and kept.captured_queries == []
    assert second.content == first.content and second["ETag"] == first["ETag"]
    (event,) = [
        e for e in icalendar.Calendar.from_ical(second.content).walk("VEVENT") if "RRULE" in e
    ]
    assert str(event["SUMMARY"]) == "Korsang"
    assert client.get(FEED, YEAR, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_with_the_feed_cache_off_every_request_builds_the_feed(
    client, calendar_page, series, settings
):
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 0
    settings.KALENDER_FEED_CACHE = False
    first = client.get(FEED, YEAR)
    assert first.streaming  # streamed event by event, nothing kept
    with CaptureQueriesContext(connection) as again:
        second = client.get(FEED, YEAR)
    assert feed_queries(again.captured_queries) and body(second) == body(first)


def test_feeds_beyond_the_days_cap_are_built_for_each_request(
    client, calendar_page, series, reviewer, settings, monkeypatch
):
    from kalender import feeds

    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(feeds, "FEED_CACHE_VARIANTS", 1)
    client.force_login(reviewer)
    assert client.get(FEED, YEAR).status_code == 200  # kept: the day's one copy
    other = {"fra": "2026-02-01", "til": "2026-12-31"}
    first = client.get(FEED, other)
    with CaptureQueriesContext(connection) as again:
        second = client.get(FEED, other)
    assert second.content == first.content
    assert feed_queries(again.captured_queries)  # not kept: built again
