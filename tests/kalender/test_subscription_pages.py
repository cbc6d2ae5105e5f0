"""The organiser's pages for linking an association's own calendar (issue #23, part 1): a
member sees a preview of the next ten events before anything is saved, links the calendar
with its defaults, finds the events in the calendar after the first fetch, sees the
calendar's state and unlinks it. Hostile addresses and feeds change nothing and say why in
Danish; another association's member cannot see or unlink it. A real HTTP server on
127.0.0.1 serves the feeds (``feedserver``)."""

from __future__ import annotations

import datetime
import html as html_module

import pytest
from django.utils import timezone

from frivillig_blocks.models import AgeGroup, Theme
from kalender.models import EventDetails, EventStatus, Subscription
from tests.factories import AssociationFactory, MembershipFactory, UserFactory
from tests.helpers import danish, html_of

from .feedserver import FeedServer, build_feed, coming_evenings

BASE = "/frivillig/kalender/abonnementer/"


@pytest.fixture(scope="module")
def feeds():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def allow_local(settings, feeds):
    """The test server's one address is allowed; every other internal address is not."""
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    feeds.requests.clear()
    return feeds


@pytest.fixture
def twelve(allow_local):
    """A feed of twelve weekly evenings, the first in a week."""
    evenings = coming_evenings(12)
    body = build_feed(
        [
            (f"ev{i}@klub.example", start, start + datetime.timedelta(hours=2), f"Klubaften {i}")
            for i, start in enumerate(evenings)
        ]
    )
    return allow_local.put("/klub.ics", body), evenings


def text_of(response, status=200) -> str:
    return html_module.unescape(html_of(response, status))


def form_data(association, url, **extra):
    return {"association": str(association.pk), "url": url, **extra}


def test_the_pages_ask_a_visitor_to_log_in(client, calendar_page):
    for path in (BASE, BASE + "ny/", BASE + "1/"):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_form_offers_only_the_members_own_associations(client, calendar_page, member):
    AssociationFactory(name="Fremmed Forening")
    client.force_login(member)
    page = text_of(client.get(BASE + "ny/"))
    assert "Dragør Strikkeklub" in page
    assert "Fremmed Forening" not in page


def test_a_person_without_an_association_is_told_how_to_link(client, calendar_page):
    client.force_login(UserFactory(username="enlig"))
    page = text_of(client.get(BASE + "ny/"), 403)
    assert (
        danish("You can link a calendar when you are a member of an association on the site.")
        in page
    )
    assert '<form method="post"' not in page


def test_the_preview_shows_the_next_ten_events_and_saves_nothing(
    client, calendar_page, member, association, twelve
):
    url, evenings = twelve
    client.force_login(member)
    page = text_of(client.post(BASE + "ny/", form_data(association, url, preview="")))
    assert danish("The next events from the calendar") in page
    for i in range(10):
        assert f"Klubaften {i}<" in page
    assert "Klubaften 10<" not in page
    first = evenings[0]
    assert f"{first:%H}:00–21:00" in page
    assert danish("Link the calendar") in page
    assert not Subscription.objects.exists()
    assert not EventDetails.objects.exists()


def test_linking_saves_the_defaults_and_the_first_fetch_brings_the_events(
    client, calendar_page, member, association, twelve, place, django_capture_on_commit_callbacks
):
    url, evenings = twelve
    theme = Theme.objects.order_by("pk").first()
    seniors = AgeGroup.objects.get(code="seniorer")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            BASE + "ny/",
            form_data(
                association,
                url,
                themes=[theme.pk],
                age_groups=[seniors.pk],
                default_place=place.pk,
                save="",
            ),
        )
    subscription = Subscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{subscription.pk}/"
    assert subscription.association == association and subscription.created_by == member
    assert list(subscription.themes.all()) == [theme]
    assert list(subscription.age_groups.all()) == [seniors]
    # The test's task backend runs the first fetch at once.
    imported = EventDetails.objects.filter(subscription=subscription).select_related("event")
    assert imported.count() == 12
    starts = sorted(d.event.start for d in imported)
    assert starts == sorted(e.astimezone(datetime.UTC) for e in evenings)
    assert all(d.association_id == association.pk for d in imported)

    page = text_of(client.get(response["Location"]))
    assert danish("Fetched") in page
    assert url in page
    assert theme.name in page and seniors.name in page and place.name in page
    listing = text_of(client.get(BASE))
    assert "Dragør Strikkeklub" in listing and danish("Fetched") in listing


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("javascript:alert(1)", None),
        ("ftp://klub.example/k.ics", None),
        ("https://bruger:kode@klub.example/k.ics", None),
        ("", "Give the calendar's address."),
        ("https://" + "a" * 2100 + ".example/", None),
        ("<script>alert(1)</script>", None),
    ],
)
def test_a_bad_address_is_refused_in_danish_and_nothing_is_saved(
    client, calendar_page, member, association, given, message
):
    client.force_login(member)
    response = client.post(BASE + "ny/", form_data(association, given, save=""))
    page = text_of(response, 400)
    assert danish("The calendar was not linked. Correct the following:") in page
    if message:
        assert danish(message) in page
    assert "<script>alert(1)</script>" not in html_of(response)
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.8", "169.254.169.254", "[::1]"])
def test_an_internal_address_is_refused_and_nothing_is_fetched_or_saved(
    client, calendar_page, member, association, address
):
    client.force_login(member)
    response = client.post(
        BASE + "ny/", form_data(association, f"http://{address}/kalender.ics", save="")
    )
    page = text_of(response, 400)
    assert danish("The calendar was not linked. Correct the following:") in page or (
        'class="error-summary' in page
    )
    assert not Subscription.objects.exists()


def test_html_instead_of_a_calendar_is_refused_in_danish(
    client, calendar_page, member, association, allow_local
):
    url = allow_local.put("/side.html", "<!doctype html><title>Forside</title>", "text/html")
    client.force_login(member)
    response = client.post(BASE + "ny/", form_data(association, url, save=""))
    page = text_of(response, 400)
    assert 'class="error-summary' in page
    assert not Subscription.objects.exists()


def test_another_associations_calendar_cannot_be_linked_seen_or_unlinked(
    client, calendar_page, member, association, twelve
):
    url, _evenings = twelve
    other = AssociationFactory(name="Fremmed Forening")
    stranger = UserFactory(username="fremmed")
    MembershipFactory(user=stranger, association=other)
    client.force_login(stranger)
    # Linking for an association one is not a member of.
    response = client.post(BASE + "ny/", form_data(association, url, save=""))
    assert response.status_code == 400
    assert danish("Choose one of your associations.") in text_of(response, 400)
    assert not Subscription.objects.exists()
    # Seeing or unlinking another association's calendar.
    subscription = Subscription.objects.create(association=association, url=url)
    assert client.get(f"{BASE}{subscription.pk}/").status_code == 404
    assert client.post(f"{BASE}{subscription.pk}/", {"unlink": ""}).status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert "Dragør Strikkeklub" not in text_of(client.get(BASE))


def test_unlinking_cancels_the_coming_dates(
    client, calendar_page, member, association, twelve, django_capture_on_commit_callbacks
):
    url, _evenings = twelve
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BASE + "ny/", form_data(association, url, save=""))
    subscription = Subscription.objects.get()
    assert EventDetails.objects.filter(subscription=subscription).count() == 12

    response = client.post(f"{BASE}{subscription.pk}/", {"unlink": ""})
    assert response.status_code == 302 and response["Location"] == BASE
    assert not Subscription.objects.exists()
    statuses = set(
        EventDetails.objects.filter(event__start__gte=timezone.now()).values_list(
            "status", flat=True
        )
    )
    assert statuses == {EventStatus.CANCELLED}


def test_a_failing_feed_keeps_its_events_and_shows_the_error_and_the_last_good_fetch(
    client,
    calendar_page,
    member,
    association,
    twelve,
    allow_local,
    django_capture_on_commit_callbacks,
):
    from kalender.subscriptions.importer import refresh

    url, _evenings = twelve
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BASE + "ny/", form_data(association, url, save=""))
    subscription = Subscription.objects.get()
    good = subscription.last_success_at
    assert good is not None
    # The source now answers with a web page instead of the calendar.
    allow_local.put("/klub.ics", "<!doctype html><title>Vedligehold</title>", "text/html")
    refresh(subscription, now=timezone.now() + datetime.timedelta(hours=2))

    subscription.refresh_from_db()
    assert subscription.last_error and subscription.failures_in_row == 1
    assert (
        EventDetails.objects.filter(subscription=subscription)
        .exclude(status=EventStatus.CANCELLED)
        .count()
        == 12
    )
    page = text_of(client.get(f"{BASE}{subscription.pk}/"))
    assert danish("Could not be fetched") in page
    assert subscription.last_error in page
    assert danish("The events from the last good fetch stay in the calendar.") in page
    local_good = timezone.localtime(good)
    assert f"{local_good:%H:%M}" in page


def test_trying_many_addresses_is_limited(
    client, calendar_page, member, association, twelve, settings
):
    url, _evenings = twelve
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "kalender_subscription": "2/h/user",
    }
    client.force_login(member)
    for _ in range(2):
        assert client.post(BASE + "ny/", form_data(association, url, preview="")).status_code == 200
    response = client.post(BASE + "ny/", form_data(association, url, preview=""))
    page = text_of(response, 429)
    assert (
        danish("You have tried many calendar addresses in a short time. Try again later.") in page
    )


def test_my_events_and_mine_sider_link_to_the_linked_calendars(client, calendar_page, member):
    client.force_login(member)
    assert f'href="{BASE}"' in html_of(client.get("/frivillig/kalender/mine/"), 200)
