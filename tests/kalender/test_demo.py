"""The demo season: the page at /frivillig/kalender/, recurring events, a visible clash,
an event awaiting review; seeding twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group

from frivillig_blocks import demo as foundation_demo
from frivillig_blocks import roles
from kalender import demo
from kalender.models import CalendarPage, EventDetails, EventStatus

from .conftest import CPH

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
