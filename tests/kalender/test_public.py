"""The public calendar: list, month, week, day, place and detail; filters; what other apps
add through CALENDAR_ENTRIES; the hooks the calendar fills; django-scheduler's URLs closed."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection as db_connection
from django.utils import timezone
from wagtail import hooks

from frivillig_blocks import themes
from frivillig_blocks.hooks import (
    CALENDAR_ENTRIES,
    CalendarEntry,
    calendar_events,
)
from frivillig_blocks.models import Theme
from tests.conftest import requires_apps

from .conftest import CPH, local

pytestmark = pytest.mark.django_db

BASE = "/frivillig/kalender/"


def soon(days, hour=19):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=CPH)


def test_list_shows_published_events_and_links_feed_and_pdf(
    client, calendar_page, reviewer, member, make_event
):
    make_event(reviewer, title="Havedag", start=soon(3))
    make_event(member, title="Venter på godkendelse", start=soon(4))
    response = client.get(BASE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Havedag" in html
    assert "Venter på godkendelse" not in html
    assert re.search(
        r'<link rel="alternate" type="text/calendar"[^>]*href="/frivillig/kalender/ical/"', html
    )
    assert 'href="/frivillig/kalender/program/"' in html
    assert "<script>" not in html and 'style="' not in html


def test_list_query_count_does_not_grow_with_events(
    client, calendar_page, reviewer, make_event, place, django_assert_max_num_queries
):
    make_event(reviewer, title="Første", start=soon(1), place=place)
    client.get(BASE)  # warm caches (site, layout)
    with django_assert_max_num_queries(30) as few:
        client.get(BASE)
    warm = len(few.captured_queries)
    for i in range(40):
        make_event(
            reviewer,
            title=f"Arrangement {i}",
            start=soon(2 + i % 20, 10 + i % 8),
            place=place,
            room=f"Lokale {i}",
        )
    # The other apps' entries and the filter choices are kept per content version: warm
    # them again for whatever version the new events made.
    client.get(BASE)
    with django_assert_max_num_queries(warm):
        response = client.get(BASE)
    assert response.content.decode().count("calendar-item--event") == 25  # one page


def test_month_view_19_on_both_sides_of_the_switches(
    client, calendar_page, reviewer, make_event, place
):
    make_event(
        reviewer,
        title="Korsang",
        start=local(2026, 3, 4, 19),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 11, 25),
        place=place,
    )
    for month in (3, 10):
        html = client.get(f"{BASE}maaned/2026/{month}/").content.decode()
        assert html.count("Korsang") >= 4
        assert ">19:00</time>" in html
        assert ">18:00</time>" not in html and ">17:00</time>" not in html
    # The dates on both sides of each switch (29 March and 25 October 2026).
    for day in ("2026/3/25", "2026/4/1", "2026/10/21", "2026/10/28"):
        html = client.get(f"{BASE}dag/{day}/").content.decode()
        assert "Korsang" in html and ">19:00</time>–<time" in html, day
    html = client.get(f"{BASE}maaned/2026/4/").content.decode()
    assert "Påskedag" in html  # 5 April 2026


def test_week_day_and_place_views(client, calendar_page, reviewer, make_event, place):
    make_event(reviewer, title="Loppemarked", start=local(2026, 6, 6, 10), place=place)
    assert "Loppemarked" in client.get(f"{BASE}uge/2026/23/").content.decode()
    assert "Loppemarked" in client.get(f"{BASE}dag/2026/6/6/").content.decode()
    assert "Loppemarked" not in client.get(f"{BASE}dag/2026/6/7/").content.decode()
    assert client.get(f"{BASE}sted/{place.pk}/").status_code == 200
    assert client.get(f"{BASE}sted/999999/").status_code == 404
    assert client.get(f"{BASE}maaned/2026/13/").status_code == 404
    assert client.get(f"{BASE}dag/2026/2/30/").status_code == 404
    assert client.get(f"{BASE}uge/2026/60/").status_code == 404


def _theme(word):
    return themes.resolve(word).pk


def test_filters(client, calendar_page, reviewer, make_event, seniors):
    culture = Theme.objects.get(slug="kultur")
    make_event(reviewer, title="Koncert i kirken", start=soon(2), theme_ids=[culture.pk])
    make_event(reviewer, title="Seniorgymnastik", start=soon(2, 10), age_group_ids=[seniors.pk])
    html = client.get(BASE, {"theme": "kultur"}).content.decode()
    assert "Koncert i kirken" in html and "Seniorgymnastik" not in html
    # The calendar's old ``?category=`` still filters (old links and bookmarks): its slug, or
    # an old category's slug that now means a theme of another name (sport, boern-familie …).
    html = client.get(BASE, {"category": "kultur"}).content.decode()
    assert "Koncert i kirken" in html and "Seniorgymnastik" not in html
    make_event(reviewer, title="Fodbold for alle", start=soon(3), theme_ids=[_theme("sport")])
    html = client.get(BASE, {"category": "sport"}).content.decode()
    assert "Fodbold for alle" in html and "Koncert i kirken" not in html
    assert 'value="idraet-og-motion" selected' in html
    html = client.get(BASE, {"age_group": "seniorer"}).content.decode()
    assert "Seniorgymnastik" in html and "Koncert i kirken" not in html
    html = client.get(BASE, {"q": "kirken"}).content.decode()
    assert "Koncert i kirken" in html and "Seniorgymnastik" not in html
    # A filtered page links the filtered feed.
    assert "ical/?theme=kultur" in client.get(BASE, {"category": "kultur"}).content.decode()
    # A nonsense category or page is ignored; a date that is no date is answered 400 with the
    # Danish message beside the form (#18: input parsed at the edge).
    assert client.get(BASE, {"category": "findes-ikke", "side": "x"}).status_code == 200
    garbled = client.get(BASE, {"category": "kultur", "fra": "igår"})
    assert garbled.status_code == 400 and "Indtast en gyldig dato." in garbled.content.decode()


def test_detail_has_schema_org_json_ld(client, calendar_page, reviewer, make_event, place):
    details = make_event(
        reviewer,
        title="Foredrag </script><script>alert(1)</script>",
        start=soon(5),
        place=place,
        price="50 kr.",
        description="Om <b>Amager</b>.",
    )
    html = client.get(f"{BASE}arrangement/{details.event_id}/").content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    data = json.loads(match.group(1))
    assert data["@type"] == "Event"
    assert data["name"].startswith("Foredrag </script>")
    assert data["startDate"].startswith(soon(5).date().isoformat() + "T19:00:00")
    assert data["location"]["address"]["addressLocality"] == "Dragør"
    assert "<script>alert(1)" not in html
    assert f"/frivillig/kalender/arrangement/{details.event_id}/ical/" in html


def test_entries_of_other_apps_show_in_views(client, calendar_page):
    start = soon(2, 17)

    def entries(a, b):
        return [
            CalendarEntry(
                uid="booking-7@test",
                title="Udlån: Kulturhuset",
                start=start,
                end=start + datetime.timedelta(hours=2),
                kind="loan",
            )
        ]

    with hooks.register_temporarily(CALENDAR_ENTRIES, entries):
        html = client.get(BASE).content.decode()
        assert "Udlån: Kulturhuset" in html
        assert (
            "Udlån: Kulturhuset"
            in client.get(f"{BASE}maaned/{start.year}/{start.month}/").content.decode()
        )
        # An event-only filter (theme, or its old name category) leaves them out.
        assert "Udlån: Kulturhuset" not in client.get(BASE, {"theme": "kultur"}).content.decode()
        assert "Udlån: Kulturhuset" not in client.get(BASE, {"category": "kultur"}).content.decode()


def test_calendar_fills_upcoming_and_calendar_events_hooks(
    calendar_page, reviewer, make_event, client
):
    make_event(reviewer, title="Frivillig Fredag-koncert", start=soon(6))
    from frivillig_blocks.hooks import UPCOMING_EVENTS

    upcoming = [e for fn in hooks.get_hooks(UPCOMING_EVENTS) for e in fn(5)]
    assert [e["title"] for e in upcoming] == ["Frivillig Fredag-koncert"]
    assert upcoming[0]["url"].startswith("/frivillig/kalender/arrangement/")
    found = calendar_events(soon(5), soon(7), 10)
    assert found[0]["title"] == "Frivillig Fredag-koncert" and found[0]["start"] == soon(6)


@pytest.mark.parametrize(
    "path",
    [
        "/schedule/",
        "/schedule/calendar/frivillig/",
        "/schedule/feed/calendar/upcoming/1/",
        "/schedule/event/create/frivillig/",
        "/schedule/api/occurrences/",
    ],
)
def test_django_scheduler_urls_are_not_reachable(client, calendar_page, path):
    assert client.get(path, follow=True).status_code == 404


def test_month_and_week_query_counts_do_not_grow_and_the_week_shows_15_a_day(
    client, calendar_page, reviewer, make_event, place, django_assert_max_num_queries
):
    """The month (4 dates a day) and the week (15 a day) read a constant number of queries
    whatever the number of dates (issue #22), and link to the day for the rest."""
    make_event(reviewer, title="Første", start=local(2026, 6, 3, 8), place=place, room="Sal")
    pages = [f"{BASE}maaned/2026/6/", f"{BASE}uge/2026/23/"]
    counts = {}
    for url in pages:
        client.get(url)  # warm caches (site, layout)
        with django_assert_max_num_queries(30) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)
    for i in range(19):
        make_event(
            reviewer,
            title=f"Arrangement {i}",
            start=local(2026, 6, 3, 9 + i % 12, 30 * (i // 12)),
            place=place,
            room=f"Lokale {i}",
        )
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url)
        html = response.content.decode()
        shown = 4 if "maaned" in url else 15
        assert html.count("calendar-item--event") == shown
        assert f"{20 - shown} flere den 3. juni" in html
        assert 'href="/frivillig/kalender/dag/2026/6/3/"' in html


def test_the_other_apps_entries_count_toward_the_month_cells_cap(
    client, calendar_page, reviewer, make_event, place, django_assert_max_num_queries
):
    """Issue #22: a day with 6 loans and 3 events shows the first 4 lines in time order in
    the month (loans and events alike) and "5 more" linking the day, the same number of
    queries as a day with one of each; the week (15 a day) and the day show all 9."""
    loans = [(local(2026, 6, 3, 8 + i), f"Udlån {i}") for i in range(6)]

    def entries(a, b):
        return [
            CalendarEntry(
                uid=f"booking-{i}@test",
                title=title,
                start=start,
                end=start + datetime.timedelta(minutes=45),
                kind="loan",
            )
            for i, (start, title) in enumerate(loans)
            if start < b and start + datetime.timedelta(minutes=45) > a
        ]

    make_event(reviewer, title="Tidlig", start=local(2026, 6, 3, 8, 30), place=place)
    month, week, day = f"{BASE}maaned/2026/6/", f"{BASE}uge/2026/23/", f"{BASE}dag/2026/6/3/"
    with hooks.register_temporarily(CALENDAR_ENTRIES, entries):
        client.get(month)  # warm caches (site, layout)
        with django_assert_max_num_queries(30) as few:
            client.get(month)
        warm = len(few.captured_queries)
        for hour in (12, 14):
            make_event(
                reviewer, title=f"Sen {hour}", start=local(2026, 6, 3, hour, 30), place=place
            )
        client.get(month)  # the content version the new events made
        with django_assert_max_num_queries(warm):
            html = client.get(month).content.decode()
        # 08:00 loan, 08:30 event, 09:00 and 10:00 loans; the other 5 behind the link.
        assert html.count("calendar-item--loan") == 3
        assert html.count("calendar-item--event") == 1 and "Tidlig" in html
        assert "Udlån 3" not in html and "Sen 12" not in html
        assert "5 flere den 3. juni" in html
        assert 'href="/frivillig/kalender/dag/2026/6/3/"' in html
        for url in (week, day):
            html = client.get(url).content.decode()
            assert html.count("calendar-item--loan") == 6, url
            assert html.count("calendar-item--event") == 3, url
            assert "flere den" not in html, url


def test_organiser_filter_lists_the_live_associations_in_one_query(
    client, calendar_page, reviewer, make_event
):
    """The organiser's ``<select>`` holds every live association (by name, its slug the
    value, the chosen one selected, names escaped) and filters; it is written from one query
    however many associations there are (#22: 1,350 at 50× the demo took most of the
    calendar pages' time through one template per option)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AssociationFactory

    choir = AssociationFactory(name="Dragør <Kor>", slug="dragoer-kor", live=True)
    AssociationFactory(name="Skjult forening", slug="skjult", live=False)
    make_event(reviewer, title="Korkoncert", start=soon(2), association_id=choir.pk)
    make_event(reviewer, title="Banko", start=soon(2, 10))

    def month(**params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BASE + "maaned/", params)
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    month()

    def organisers(html):
        return re.search(r'<select name="organiser"[^>]*>.*?</select>', html, re.DOTALL).group(0)

    html, few = month(organiser="dragoer-kor")
    select = organisers(html)
    assert '<option value="">Alle</option>' in select
    assert '<option value="dragoer-kor" selected>Dragør &lt;Kor&gt;</option>' in select
    assert "skjult" not in select
    assert "Korkoncert" in html and "Banko" not in html
    AssociationFactory.create_batch(30, live=True)
    html, many = month(organiser="dragoer-kor")
    assert organisers(html).count("<option value=") == select.count("<option value=") + 30
    assert many == few


def test_list_counts_dates_up_to_a_bound_and_pages_on_past_it(
    client, calendar_page, reviewer, make_event, settings, monkeypatch
):
    """Issue #22: "Antal datoer" counts at most LIST_COUNT_BOUND dates (a LIMITed count, not
    all the future), says "more than" past it, and the pages beyond the bound still work."""
    from kalender import views

    settings.KALENDER_PAGE_SIZE = 2
    monkeypatch.setattr(views, "LIST_COUNT_BOUND", 4)
    make_event(
        reviewer,
        title="Ugentlig",
        start=soon(1),
        recurrence="weekly",
        repeat_until=timezone.localdate() + datetime.timedelta(days=1 + 7 * 9),
    )  # 10 dates
    html = client.get(BASE).content.decode()
    assert re.search(r"Antal datoer: mere end 4<", html)
    assert re.search(r"Side 1 af mere end 2<", html)
    assert html.count("calendar-item--event") == 2
    # Page 5 lies past the bound: counted up to its end, shown whole, and it is the last.
    html = client.get(BASE + "?side=5").content.decode()
    assert html.count("calendar-item--event") == 2
    assert 'rel="next"' not in html
    assert 'rel="prev"' in html
    # Page 3 (past the bound of 4 dates): a next page, and its dates are the 5th and 6th.
    html = client.get(BASE + "?side=3").content.decode()
    assert html.count("calendar-item--event") == 2 and 'rel="next"' in html
    assert re.search(r"Side 3 af mere end 3<", html)
    # Without the bound the count is exact, and a filter counts only what it keeps.
    monkeypatch.setattr(views, "LIST_COUNT_BOUND", 1000)
    html = client.get(BASE).content.decode()
    assert re.search(r"(Antal datoer|Number of dates): 10<", html)
    make_event(reviewer, title="Koncert", start=soon(2))
    html = client.get(BASE + "?q=koncert").content.decode()
    assert re.search(r"(Antal datoer|Number of dates): 1<", html)


def test_the_lists_count_reads_the_dates_alone(client, calendar_page, reviewer, make_event):
    """Issue #22: the count of the list's dates reads the dates' table only (the columns
    the page shows, with their joins to event, place and organiser, cost a count at a
    city's scale and change nothing in it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_event(reviewer, title="Koncert", start=soon(2))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(BASE).content.decode()
    assert re.search(r"(Antal datoer|Number of dates): 1<", html)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1
    assert "kalender_slot" in counts[0] and " JOIN " not in counts[0]


def test_public_dates_reads_the_same_dates_as_the_orm(calendar_page, reviewer, make_event):
    """Issue #22: ``queries.public_dates`` (the cursor, no per-row converters) gives the
    (event, start, end) rows of ``public_slots``, aware and equal."""
    from kalender import queries

    details = make_event(
        reviewer,
        title="Ugentlig",
        start=soon(1),
        recurrence="weekly",
        repeat_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    once = make_event(reviewer, title="En gang", start=soon(2, 10))
    # A date to the microsecond (an imported feed's times have seconds) reads back exact.
    slot = once.slots.get()
    slot.start += datetime.timedelta(seconds=7, microseconds=123457)
    slot.save(update_fields=["start"])
    start = timezone.now()
    end = start + datetime.timedelta(days=40)
    expected = list(
        queries.public_slots(start=start, end=end).values_list("details__event_id", "start", "end")
    )
    got = queries.public_dates(start=start, end=end)
    assert len(got) == 6 and got == expected
    assert all(s.tzinfo is not None and e.tzinfo is not None for _, s, e in got)
    assert details.event_id in {event for event, _, _ in got}
    assert (once.event_id, slot.start, slot.end) in got


def test_list_answers_a_hostile_page_number_with_a_page(
    client, calendar_page, reviewer, make_event
):
    """A page number of 40 digits (or negative, or not a number) shows a page of the list,
    never a LIMIT the database refuses (the bounded count reads up to the page asked for)."""
    make_event(reviewer, title="Banko", start=soon(2))
    for side in ["9" * 40, "-5", "0", "abc", "1e9", "99999999999"]:
        response = client.get(BASE, {"side": side})
        assert response.status_code == 200, side
        assert "Banko" in response.content.decode(), side


@requires_apps("opfoelgning")  # its theme meetings are the other app's entries here
def test_other_apps_entries_and_filter_choices_are_kept_per_content_version(
    client, calendar_page, reviewer, make_event, place
):
    """Issue #22: the week reads the other apps' entries and the filter form's choices once
    per content version (not on every page), and a committed change shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from frivillig_blocks import pagecache
    from frivillig_blocks.models import Place
    from opfoelgning.models import ThemeMeeting

    url = f"{BASE}uge/2026/23/"
    make_event(reviewer, title="Første", start=local(2026, 6, 3, 8), place=place)
    ThemeMeeting.objects.create(
        title="Temamøde", start=local(2026, 6, 4, 17), end=local(2026, 6, 4, 19)
    )
    assert "Temamøde" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "Temamøde" in html and "Første" in html and place.name in html
    assert "opfoelgning_thememeeting" not in read and "frivillig_blocks_agegroup" not in read
    ThemeMeeting.objects.create(
        title="Andet temamøde", start=local(2026, 6, 5, 17), end=local(2026, 6, 5, 19)
    )
    Place.objects.create(name="Nyt sted", address="Vej 1", postcode="2791", city="Dragør")
    # What the commit of these writes does (the test's transaction never commits).
    pagecache.NAMESPACE.bump()
    html = client.get(url).content.decode()
    assert "Temamøde" in html and "Andet temamøde" in html
    assert re.search(r"<option[^>]*>Nyt sted</option>", html)


@requires_apps("opfoelgning")
def test_the_list_keeps_the_other_apps_entries_of_its_days(
    client, calendar_page, reviewer, make_event, place
):
    """Issue #22: the list's page starts "now" (a new moment each request); the other apps'
    entries of its days are kept under its whole local days, so the next request reads
    none of them, and a committed change shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from frivillig_blocks import pagecache
    from opfoelgning.models import ThemeMeeting

    make_event(reviewer, title="Første", start=soon(1), place=place)
    meeting = soon(1) + datetime.timedelta(hours=3)
    ThemeMeeting.objects.create(
        title="Temamøde", start=meeting, end=meeting + datetime.timedelta(hours=2)
    )
    assert "Temamøde" in client.get(BASE).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(BASE).content.decode()
    assert "Temamøde" in html and "Første" in html
    assert "opfoelgning_thememeeting" not in " ".join(q["sql"] for q in queries.captured_queries)
    ThemeMeeting.objects.create(
        title="Andet temamøde", start=meeting, end=meeting + datetime.timedelta(hours=1)
    )
    pagecache.NAMESPACE.bump()  # what the commit does (the test's transaction never commits)
    assert "Andet temamøde" in client.get(BASE).content.decode()


def test_the_week_and_the_month_show_each_line_with_its_times_badges_and_escaped_text(
    client, calendar_page, reviewer, make_event, place
):
    """A line as the week and the month show it (issue #22: built in Python, one string a
    day): local times, the text escaped, the place with its room, a moved date's badge."""
    from kalender import services

    make_event(
        reviewer, title='Kor & "sang" <i>', start=local(2026, 6, 3, 9, 5), place=place, room="Sal 2"
    )
    moved = make_event(reviewer, title="Flyttes", start=local(2026, 6, 4, 18), place=place)
    services.move_date(
        user=reviewer,
        details=moved,
        original_start=local(2026, 6, 4, 18),
        start=local(2026, 6, 5, 17, 30),
        end=local(2026, 6, 5, 19),
    )
    for url in (f"{BASE}uge/2026/23/", f"{BASE}maaned/2026/6/"):
        html = client.get(url).content.decode()
        assert (
            '<li class="calendar-item calendar-item--event">\n'
            '    <time datetime="2026-06-03T09:05:00+02:00">09:05</time>–'
            '<time datetime="2026-06-03T11:05:00+02:00">11:05</time>\n'
            '    <a href="/frivillig/kalender/'
        ) in html
        assert "Kor &amp; &quot;sang&quot; &lt;i&gt;</a>" in html
        assert '<span class="calendar-item__place">Medborgerhuset, Sal 2</span>' in html
        assert (
            '<time datetime="2026-06-05T17:30:00+02:00">17:30</time>–'
            '<time datetime="2026-06-05T19:00:00+02:00">19:00</time>'
        ) in html
        assert '<strong class="badge">Flyttet</strong>' in html


def test_the_months_capped_dates_are_one_statement_whatever_the_days(
    client, calendar_page, reviewer, make_event
):
    """The month's capped dates are read with the same statement however many days hold
    dates: on PostgreSQL the days are an array parameter (one subquery to plan, not a
    probe per day put together: planning took five times the reading, #22); on SQLite a
    probe per day. Each day still shows its first dates in time order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def capped_statement():
        client.get(f"{BASE}maaned/2026/6/")  # the content version the new events made
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"{BASE}maaned/2026/6/").content.decode()
        (sql,) = [q["sql"] for q in queries.captured_queries if "JOIN schedule_event" in q["sql"]]
        return sql, html

    make_event(reviewer, title="Første", start=local(2026, 6, 3, 10))
    make_event(reviewer, title="Anden", start=local(2026, 6, 10, 10))
    two_days, html = capped_statement()
    assert "Første" in html and "Anden" in html
    for day in (11, 12, 13):
        for hour in (9, 12, 15, 18, 20):
            make_event(reviewer, title=f"Dag {day} kl {hour}", start=local(2026, 6, day, hour))
    five_days, html = capped_statement()
    assert "Dag 13 kl 9" in html and "Dag 13 kl 18" in html and "Dag 13 kl 20" not in html
    assert "1 mere den 13. juni" in html
    if connection.vendor == "postgresql":
        assert "UNION" not in five_days
        assert re.sub(r"'[^']*'", "?", five_days) == re.sub(r"'[^']*'", "?", two_days)
    else:
        assert five_days.count("UNION ALL") == 4


@pytest.mark.skipif(
    db_connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_the_months_statements_are_prepared_on_postgresql_and_the_page_is_the_same(
    client, calendar_page, reviewer, make_event
):
    """The month's two statements bind their values on the server, so that psycopg
    prepares them after ``prepare_threshold`` runs on a connection (planning took 0.85 ms
    of 1.2, #22); the page is the same before and after, and with preparing off
    (``prepare_threshold`` None, behind a pooler) nothing is prepared."""
    from django.db import connection

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if "kalender_slot" in row[0]]

    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] == 5
    for day in (3, 3, 10):
        make_event(reviewer, title=f"Møde den {day}.", start=local(2026, 6, day, 10))
    url = f"{BASE}maaned/2026/6/"
    first = client.get(url).content.decode()
    assert first.count("Møde den 3.") == 2 and "Møde den 10." in first
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    try:
        raw.prepare_threshold = None
        client.get(url)
        assert prepared() == []
        raw.prepare_threshold = threshold
        pages = [client.get(url).content.decode() for _ in range(threshold + 2)]
    finally:
        raw.prepare_threshold = threshold
    statements = prepared()
    assert len(statements) == 2
    assert any("GROUP BY b.day" in sql for sql in statements)
    assert any("JOIN schedule_event" in sql for sql in statements)
    assert all("2026" not in sql for sql in statements)  # the values are parameters
    # The same page, but for the feedback form's one-time key.
    one_time = re.compile(r'name="submission_key" value="[^"]*"')
    assert {one_time.sub("", page) for page in pages} == {one_time.sub("", first)}


def test_a_routes_links_are_its_own_reverse_for_any_numbers():
    """The month's day links and the events' links reverse their route once, with stand-in
    numbers (kalender.views._route): what they give is what Wagtail's reverse gives."""
    from kalender.models import CalendarPage
    from kalender.views import _route

    page = CalendarPage(title="Kalender", slug="kalender")
    day = _route(page, "day", 3)
    detail = _route(page, "detail", 1)
    for args in [(2026, 6, 3), (2026, 12, 31), (1, 1, 1), (9999, 10, 10), (2026, 1, 22)]:
        assert day(*args) == page.reverse_subpage("day", args=list(args))
    for event_id in (0, 7, 123456, 9000001):
        assert detail(event_id) == page.reverse_subpage("detail", args=[event_id])


# The month grid's cell as month.html wrote it before the cells were written in Python
# (kalender.views.month_cell, issue #22).
TEMPLATE_CELL = (
    '<td class="{% if not day.in_month %}month-grid__other{% endif %}{% if day.today %}'
    ' month-grid__today{% endif %}{% if day.holiday %} month-grid__holiday{% endif %}">'
    "{% if day.in_month %}"
    '<span class="month-grid__date">{{ day.date.day }}</span>'
    '{% if day.holiday %}<span class="month-grid__holiday-name">{{ day.holiday }}</span>'
    "{% endif %}"
    '{% if day.items %}<ul class="calendar-items">{{ day.items_html }}</ul>{% endif %}'
    '{% if day.more %}<a class="month-grid__more" href="{{ day.day_url }}">'
    '{% blocktranslate count counter=day.more with when=day.date|date:"j. F" %}'
    "{{ counter }} more on {{ when }}{% plural %}{{ counter }} more on {{ when }}"
    "{% endblocktranslate %}</a>{% endif %}"
    "{% endif %}</td>"
)


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_month_cell_is_the_markup_the_template_wrote(language):
    from django.template import Context, Template
    from django.utils import translation
    from django.utils.safestring import mark_safe

    from kalender.views import month_cell

    template = Template("{% load i18n %}" + TEMPLATE_CELL)
    day = datetime.date(2027, 5, 6)
    cells = [
        {"in_month": False, "today": False, "holiday": None, "more": 0, "items": []},
        {"in_month": True, "today": True, "holiday": None, "more": 0, "items": []},
        {"in_month": True, "today": False, "holiday": "Kristi <himmelfart> & dag", "more": 1},
        {"in_month": True, "today": False, "holiday": None, "more": 3},
    ]
    with translation.override(language):
        for cell in cells:
            values = {
                "date": day,
                "items": ["x"],
                "items_html": mark_safe('<li class="calendar-item">Kor</li>'),
                "day_url": "/frivillig/kalender/dag/2027/5/6/?tema=sport&alder=unge",
                **cell,
            }
            expected = template.render(Context({"day": values}))
            assert month_cell(values) == expected
    assert "&amp;alder=unge" in expected
    assert ("3 flere den 6. maj" if language == "da" else "3 more on 6. May") in expected
