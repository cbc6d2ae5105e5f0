"""The shared calendar in a real browser: an association member creates a weekly event,
sees a hard clash (same room, one date) and a soft clash (same audience), cancels that
date, and after review the event is in the month view and in the feed with an EXDATE.
axe passes on the list, the month, the detail and the form."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from frivillig_blocks import roles
from frivillig_blocks.models import AgeGroup
from kalender.services import EventData, save_event
from tests.factories import AssociationFactory, MembershipFactory, PlaceFactory, UserFactory
from tests.helpers import danish
from tests.kalender.conftest import CalendarPageFactory

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def log_in(context, server, user) -> None:
    """A signed-in session for ``user`` in the browser context (the login form is the
    foundation's, tested there)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": server.url}]
    )


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=CPH)


def test_member_creates_weekly_event_with_clashes_and_it_is_published(live_site, page, axe):
    server, tree = live_site
    CalendarPageFactory(parent=tree.hub)
    place = PlaceFactory(name="Medborgerhuset")
    association = AssociationFactory(name="Dragør Korforening", slug="kor")
    member = UserFactory(username="korleder")
    MembershipFactory(user=member, association=association)
    reviewer = UserFactory(username="kommunikator", groups=[roles.KOMMUNIKATOERER])
    seniors = AgeGroup.objects.get(code="seniorer")

    today = timezone.localdate()
    first = today + datetime.timedelta(days=(2 - today.weekday()) % 7 + 7)  # a Wednesday
    clash_day = first + datetime.timedelta(weeks=2)
    last = first + datetime.timedelta(weeks=4)
    save_event(
        user=reviewer,
        data=EventData(
            title="Bankospil",
            start=at(clash_day, 18),
            end=at(clash_day, 20),
            place_id=place.pk,
            room="Salen",
        ),
    )
    save_event(
        user=reviewer,
        data=EventData(
            title="Seniordans",
            start=at(first, 20),
            end=at(first, 22),
            address="Hallen, Vestgrønningen 1",
            age_group_ids=[seniors.pk],
        ),
    )

    log_in(page.context, server, member)

    page.goto("/frivillig/kalender/opret/")
    axe(page)
    page.get_by_label("Titel", exact=True).fill("Korprøve")
    page.get_by_label("Arrangør", exact=True).select_option(label="Dragør Korforening")
    page.get_by_label("Dato", exact=True).fill(first.isoformat())
    page.get_by_label("Begynder kl.", exact=True).fill("19:00")
    page.get_by_label("Slutter kl.", exact=True).fill("21:00")
    page.get_by_label("Gentages", exact=True).select_option("weekly")
    page.get_by_label("Gentages til og med", exact=True).fill(last.isoformat())
    page.get_by_label("Sted", exact=True).select_option(label="Medborgerhuset")
    page.get_by_label("Lokale", exact=True).fill("Salen")
    page.get_by_label("Seniorer", exact=True).check()
    page.get_by_role("button", name="Opret arrangementet").click()

    # The organiser is taken to the error summary: first in the page, focused, "Fejl:" in
    # the title, the clashes in plain words with links to what puts them right.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith(danish("Error:") + " ")
    room_taken = danish("The room is taken")
    summary.get_by_role("heading", name=room_taken).wait_for()
    assert "Bankospil" in summary.inner_text()
    same_audience = danish("Other events for the same audience at the same time")
    assert "Seniordans" in summary.locator(f"h3:has-text('{same_audience}') + ul").inner_text()
    assert "konflikt" not in page.locator("main").inner_text().lower()
    axe(page)
    # Its links lead to the fields: the first date to cancel, then the warnings' box.
    summary.get_by_role("link", name=danish("Cancel the dates when the room is taken")).click()
    expect(page.locator("#cancel-1")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#cancel-1")).to_be_checked()
    summary.locator('a[href="#id_accept_warnings"]').click()
    expect(page.get_by_label("Jeg har læst advarslerne og vil gemme alligevel")).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Opret arrangementet").click()
    page.get_by_text("Arrangementet afventer godkendelse").wait_for()
    detail_url = page.url

    # The reviewer publishes it from the queue in the admin.
    admin = page.context.browser.new_context(base_url=server.url)
    log_in(admin, server, reviewer)
    admin_page = admin.new_page()
    admin_page.goto("/admin/kalender/")
    admin_page.get_by_label("Vælg Korprøve").check()
    admin_page.get_by_role("button", name="Offentliggør de valgte arrangementer").click()
    admin_page.get_by_text("1 arrangementer er offentliggjort.").wait_for()
    admin.close()

    page.goto(f"/frivillig/kalender/maaned/{first.year}/{first.month}/")
    assert page.locator(".month-grid").get_by_text("Korprøve").count() >= 1
    axe(page)
    page.goto("/frivillig/kalender/")
    page.get_by_role("link", name="Korprøve").first.wait_for()
    axe(page)
    page.goto(detail_url)
    expect(page.get_by_role("heading", name="Korprøve")).to_be_visible()
    axe(page)
    # The other public views and the organiser's dates page pass axe too.
    week = first.isocalendar()
    for path in (
        f"/frivillig/kalender/uge/{week[0]}/{week[1]}/",
        f"/frivillig/kalender/dag/{first.year}/{first.month}/{first.day}/",
        f"/frivillig/kalender/sted/{place.pk}/",
        detail_url + "datoer/",
    ):
        page.goto(path)
        assert page.get_by_text("Korprøve").count() >= 1, path
        axe(page)

    feed = page.request.get(
        "/frivillig/kalender/ical/", params={"fra": first.isoformat(), "til": last.isoformat()}
    )
    cal = icalendar.Calendar.from_ical(feed.body())
    event = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Korprøve")
    exdate = event["EXDATE"]
    exdates = [d.dt for x in (exdate if isinstance(exdate, list) else [exdate]) for d in x.dts]
    assert exdates == [at(clash_day, 19)]
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
