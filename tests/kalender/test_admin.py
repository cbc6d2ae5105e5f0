"""The calendar in the Wagtail admin: the review queue with its dashboard count and bulk
publish (logged), the planning grid with clashes, permissions."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from kalender.models import EventDetails, EventStatus, Slot

from .conftest import local

pytestmark = pytest.mark.django_db


def test_dashboard_count_and_bulk_publish(client, calendar_page, reviewer, member, make_event):
    a = make_event(member, title="Strik", start=local(2026, 3, 4, 19))
    b = make_event(member, title="Banko", start=local(2026, 3, 5, 19))
    c = make_event(member, title="Dans", start=local(2026, 3, 6, 19))
    client.force_login(reviewer)
    home = client.get("/admin/").content.decode()
    assert "3 kalenderarrangementer afventer godkendelse" in home
    queue = client.get("/admin/kalender/")
    assert queue.status_code == 200
    assert "Strik" in queue.content.decode() and "Banko" in queue.content.decode()
    response = client.post("/admin/kalender/", {"action": "publish", "selected": [a.pk, b.pk]})
    assert response.status_code == 302
    statuses = dict(EventDetails.objects.values_list("pk", "status"))
    assert statuses == {
        a.pk: EventStatus.PUBLISHED,
        b.pk: EventStatus.PUBLISHED,
        c.pk: EventStatus.REVIEW,
    }
    assert Slot.objects.filter(public=True).count() == 2
    assert ModelLogEntry.objects.filter(action="kalender.publish", user=reviewer).count() == 2
    client.post(
        "/admin/kalender/", {"action": "reject", "selected": [c.pk], "reason": "Mangler sted"}
    )
    c.refresh_from_db()
    assert c.status == EventStatus.DRAFT
    assert "1 kalenderarrangement" not in client.get("/admin/").content.decode()


def test_coordinator_group_may_review(client, calendar_page, user_factory, member, make_event):
    from frivillig_blocks import roles

    coordinator = user_factory(
        username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR], is_staff=True
    )
    details = make_event(member, title="Strik", start=local(2026, 3, 4, 19))
    client.force_login(coordinator)
    client.post("/admin/kalender/", {"action": "publish", "selected": [details.pk]})
    details.refresh_from_db()
    assert details.status == EventStatus.PUBLISHED


def test_members_cannot_use_the_admin_views(client, calendar_page, member, make_event):
    details = make_event(member, title="Strik", start=local(2026, 3, 4, 19))
    client.force_login(member)
    for url in ("/admin/kalender/", "/admin/kalender/plan/", "/admin/kalender/avis/"):
        assert client.get(url).status_code in (302, 403)
    client.post("/admin/kalender/", {"action": "publish", "selected": [details.pk]})
    details.refresh_from_db()
    assert details.status == EventStatus.REVIEW


def test_planning_grid_shows_clashes(
    client, calendar_page, reviewer, make_event, place, member, association
):
    from kalender.services import EventData, save_event

    make_event(reviewer, title="Bankospil", start=local(2026, 3, 4, 19), place=place, room="Salen")
    data = EventData(
        title="Korprøve",
        start=local(2026, 3, 4, 20),
        end=local(2026, 3, 4, 22),
        place_id=place.pk,
        room="Salen",
        association_id=association.pk,
        venue_agreed=True,
        venue_agreed_note="Aftalt med huset",
    )
    save_event(user=member, data=data)
    make_event(reviewer, title="Yoga", start=local(2026, 3, 5, 19), place=place, room="Salen")
    client.force_login(reviewer)
    html = client.get("/admin/kalender/plan/", {"uge": "2026-03-04"}).content.decode()
    assert place.name in html
    assert html.count("<strong>Sammenfald:</strong>") == 2
    assert "Yoga" in html


def test_the_grids_marks_follow_the_calendars_clash_rules():
    """The grid marks by ``rules.clashes_among``: half-open times, a blank room is the whole
    place, the same room regardless of case."""
    from kalender import rules

    def at(hour, minute=0):
        return local(2026, 3, 4, hour, minute)

    items = [
        (at(9), at(10), "Salen"),  # 0: ends when 1 starts: no clash
        (at(10), at(12), "salen "),  # 1: the same room as 3
        (at(10, 30), at(11), "Mødelokalet"),  # 2: the whole house (4) covers it
        (at(11), at(13), "Salen"),  # 3
        (at(10, 45), at(10, 50), ""),  # 4: no room: the whole place
        (at(14), at(15), "Salen"),  # 5: alone
    ]
    items.sort(key=lambda item: item[0])
    marked = {items[i][0].strftime("%H:%M") for i in rules.clashes_among(items)}
    assert marked == {"10:00", "10:30", "10:45", "11:00"}
    assert rules.clashes_among([]) == set()


def test_the_shared_themes_are_the_calendars_one_subject_list(
    client, calendar_page, reviewer, make_event
):
    """Issue #21: no category list of the calendar's own; the editors keep the site's themes
    (Snippets › Frivillighed › Temaer), and what they add there is what the event form and
    the calendar's filter offer."""
    client.force_login(reviewer)
    snippets = client.get("/admin/snippets/", follow=True).content.decode()
    assert "/admin/snippets/frivillig_blocks/theme/" in snippets
    assert "/admin/snippets/kalender/category/" not in snippets
    assert client.get("/admin/snippets/kalender/category/").status_code == 404
    listing = client.get("/admin/snippets/frivillig_blocks/theme/").content.decode()
    assert "Idræt og motion" in listing and "Møder og foredrag" in listing
    response = client.post(
        "/admin/snippets/frivillig_blocks/theme/add/",
        {"name": "Søsport", "slug": "soesport", "sort_order": "15"},
    )
    assert response.status_code == 302
    form = client.get("/frivillig/kalender/opret/").content.decode()
    assert "Søsport" in form and "Temaer" in form and "Kategori" not in form
    filters = client.get("/frivillig/kalender/").content.decode()
    assert 'value="soesport"' in filters and "Kategori" not in filters


def test_review_queue_counts_clashes_in_one_query_whatever_its_length(
    client, calendar_page, reviewer, member, make_event, place
):
    """Each pending event's clashes at its place are shown, and the queue's queries do not
    grow with the number of events waiting (#22: one count per event before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_event(member, title="Strik", start=local(2026, 3, 4, 19), place=place, room="Salen")
    make_event(
        member,
        title="Banko",
        start=local(2026, 3, 4, 20),
        place=place,
        room="Salen",
        venue_agreed=True,
        venue_agreed_note="Aftalt med huset",
    )
    make_event(member, title="Dans", start=local(2026, 3, 6, 19), place=place, room="Salen")
    client.force_login(reviewer)

    def queue():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/kalender/")
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    queue()  # the first request after signing in does the session's bookkeeping
    html, few = queue()
    assert html.count("<td><strong>1</strong>") == 2  # Strik and Banko overlap; Dans not
    for day in range(10, 16):
        make_event(member, title=f"Møde {day}", start=local(2026, 3, day, 19), place=place)
    html, many = queue()
    assert "Møde 15" in html
    assert many == few
