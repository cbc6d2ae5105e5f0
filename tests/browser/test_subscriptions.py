"""An association links its own calendar in a real browser (issue #23): from My events the
organiser opens the linked calendars, gives the address, sees the next ten events, links
it, the periodic task runs, and the events are in the month view. axe passes on the list,
the form with its preview and the calendar's page. A real HTTP server on 127.0.0.1 serves
the association's calendar."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from kalender.models import EventDetails, Subscription, TrustedOrganiser
from kalender.tasks import refresh_due_subscriptions
from tests.factories import AssociationFactory, MembershipFactory, UserFactory
from tests.helpers import danish
from tests.kalender.conftest import CalendarPageFactory
from tests.kalender.feedserver import FeedServer, build_feed, coming_evenings

from .test_kalender import log_in


@pytest.fixture
def feeds(settings):
    server = FeedServer().start()
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    yield server
    server.stop()


def test_an_organiser_links_a_calendar_and_its_events_reach_the_month(live_site, page, axe, feeds):
    server, tree = live_site
    CalendarPageFactory(parent=tree.hub)
    association = AssociationFactory(name="Dragør Roklub", slug="roklub")
    member = UserFactory(username="roer")
    MembershipFactory(user=member, association=association)
    # A trusted organiser's events are published at once (others wait for review).
    TrustedOrganiser.objects.create(association=association)
    evenings = coming_evenings(12)
    url = feeds.put(
        "/roklub.ics",
        build_feed(
            [
                (f"ro{i}@roklub.example", s, s + datetime.timedelta(hours=2), f"Roaften {i}")
                for i, s in enumerate(evenings)
            ]
        ),
    )
    log_in(page.context, server, member)

    page.goto("/frivillig/kalender/mine/")
    page.get_by_role("link", name=danish("Linked calendars")).click()
    axe(page)
    page.get_by_role("link", name=danish("Link a calendar")).click()
    page.get_by_label(danish("Association"), exact=True).select_option(label="Dragør Roklub")
    page.get_by_label(danish("The calendar's address"), exact=True).fill(url)
    page.get_by_role("button", name=danish("Show the next events")).click()

    preview = page.get_by_role("region", name=danish("The next events from the calendar"))
    expect(preview.get_by_role("listitem")).to_have_count(10)
    expect(preview).to_contain_text("Roaften 0")
    assert not Subscription.objects.exists()
    axe(page)

    page.get_by_role("button", name=danish("Link the calendar")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dragør Roklub")
    axe(page)

    refresh_due_subscriptions.call()
    assert EventDetails.objects.filter(subscription__association=association).count() == 12
    first = evenings[0]
    page.goto(f"/frivillig/kalender/maaned/{first.year}/{first.month}/")
    expect(page.locator(".month-grid").get_by_text("Roaften 0")).to_have_count(1)
