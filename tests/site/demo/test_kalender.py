"""The calendar demo (site/dragoer/demo/kalender.py): the page at /frivillig/kalender/,
recurring events, a visible clash, an event awaiting review, seeding twice changes nothing;
and its history, which the figures' query count is measured on."""

from __future__ import annotations

import datetime
import io
import time
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dragoer.demo import frivillig_blocks as foundation_demo
from dragoer.demo import kalender as demo
from frivillig_blocks import roles
from frivillig_blocks.figures import Filters, Period, compute
from kalender.figures import CalendarFigures
from kalender.models import CalendarPage, EventDetails, EventStatus

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")

pytestmark = pytest.mark.django_db


def test_demo_season(site_tree, client, user_factory):
    foundation_demo.seed_snippets()
    user_factory(username="borger")
    from frivillig_blocks.models import Association, AssociationMembership

    AssociationMembership.objects.create(
        user=user_factory(username="borger"),
        association=Association.objects.get(slug="dragoer-soespejdere"),
        role="admin",
    )
    out = io.StringIO()
    demo.seed(out)
    assert "skipped" not in out.getvalue(), out.getvalue()
    page = CalendarPage.objects.get()
    assert page.url == "/frivillig/kalender/"
    events = EventDetails.objects.select_related("event")
    assert events.filter(event__rule__isnull=False).count() == 4
    assert events.filter(status=EventStatus.REVIEW).count() == 1
    assert events.filter(venue_agreed=True).count() == 1
    singing = events.get(event__title="Fællessang i Kulturhuset")
    assert singing.event.occurrence_set.filter(cancelled=True).count() == 1
    count = events.count()
    demo.seed(io.StringIO())
    assert EventDetails.objects.count() == count
    assert client.get("/frivillig/kalender/").status_code == 200
    reviewer = user_factory(username="kommunikation")
    reviewer.groups.add(Group.objects.get(name=roles.KOMMUNIKATOERER))
    client.force_login(reviewer)
    bingo = events.get(event__title="Bankospil i Kulturhuset")
    week = bingo.event.start.astimezone(CPH).date().isoformat()
    html = client.get("/admin/kalender/plan/", {"uge": week}).content.decode()
    assert html.count("<strong>Sammenfald:</strong>") == 2


def test_query_count_does_not_grow_with_the_data(db):
    source = CalendarFigures()
    today = datetime.date(2026, 6, 30)
    period = Period.last_twelve_months(today)
    filters = Filters(association="1", age_group="seniorer")
    demo.history(today=today, months=12, scale=1)
    with CaptureQueriesContext(connection) as few:
        small = source.figures(period, Filters())
        source.figures(period, filters)
    EventDetails.objects.filter(created_by__username="kalender-historik").update(created_by=None)
    demo.history(today=today, months=12, scale=2)
    with CaptureQueriesContext(connection) as many:
        large = source.figures(period, Filters())
        source.figures(period, filters)
    assert len(many.captured_queries) == len(few.captured_queries) == 6
    assert large[0].value > 2 * small[0].value > 0


def test_history_creates_a_believable_past_once(db):
    today = timezone.localdate()
    started = time.perf_counter()
    created = demo.history(today=today, months=24)
    assert created > 200
    assert time.perf_counter() - started < 10
    months = {
        (d.year, d.month) for d in EventDetails.objects.values_list("published_at", flat=True)
    }
    assert len(months) >= 24
    report = compute(Period.last_twelve_months(today))
    for key in (
        "kalender.events_published",
        "kalender.events_by_audience",
        "kalender.clashes_shown",
        "kalender.clashes_resolved",
    ):
        figure = report.figure(key)
        assert figure.value, key
        assert figure.people and figure.people >= 5, key
        assert figure.rows, key
    published = report.figure("kalender.events_published")
    assert {r.label for r in published.rows} == {
        "Foreninger",
        "Kommunens egne",
        "Private og andre",
    }
    assert {r.label for r in report.figure("kalender.clashes_shown").rows} >= {
        "Flyttet (tid eller sted ændret)",
        "Bekræftet med stedets samtykke",
        "Offentliggjort, selv om samme målgruppe har et andet arrangement samme aften",
    }
    # The year before has its own figures too.
    section = next(s for s in report.sections if s.key == "kalender")
    # The demo history links no association's calendar (issue #23): those two are nought.
    from_feeds = {"kalender.events_imported", "kalender.clashes_on_import"}
    assert all(
        c.previous and c.previous.value
        for c in section.comparisons
        if c.figure.key not in from_feeds
    )
    assert {c.figure.key for c in section.comparisons} >= from_feeds
    # Each event has its slot in the calendar's index; a second call adds nothing.
    assert EventDetails.objects.filter(slots__isnull=True).count() == 0
    assert demo.history(today=today, months=24) == 0
