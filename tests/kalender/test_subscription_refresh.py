"""Linked calendars, the periodic fetch (issue #23): ``importer.refresh`` with small fake
fetchers and parsers standing in for ``subscriptions.fetch`` and ``subscriptions.parse``
(tested on their own: these tests are about the orchestration and its book-keeping), the
periodic task that picks the calendars due, the staff's admin (list, pause) and the
settings' checks."""

from __future__ import annotations

import datetime
import sys
import types
from dataclasses import dataclass

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from frivillig_blocks import roles
from frivillig_blocks.models import OutboundMessage
from kalender import tasks
from kalender.exceptions import FeedError
from kalender.models import EventDetails, EventStatus, Subscription
from kalender.subscriptions.feed import FeedDate
from kalender.subscriptions.importer import refresh

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 1, 12)


@dataclass
class Fetched:
    status: str
    body: bytes | None = None
    etag: str = ""
    last_modified: str = ""


def date(uid="a", day=4) -> FeedDate:
    start = local(2026, 3, day).astimezone(datetime.UTC)
    return FeedDate(
        uid=uid,
        original_start=start,
        start=start,
        end=start + datetime.timedelta(hours=2),
        title="Strikkeaften",
    )


class Source:
    """A feed's server as the fetcher sees it: answers in turn, and what it was asked."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.asked = []

    def __call__(self, url, *, etag, last_modified):
        self.asked.append((url, etag, last_modified))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class Reader:
    def __init__(self, dates):
        self.dates = dates
        self.calls = []

    def __call__(self, body, *, start, end, max_occurrences):
        self.calls.append((body, start, end, max_occurrences))
        return self.dates


@pytest.fixture
def subscription(association, member):
    return Subscription.objects.create(
        association=association, url="https://example.org/strik.ics", created_by=member
    )


def test_a_good_fetch_imports_and_keeps_the_validators(subscription):
    source = Source(Fetched("ok", b"BEGIN:VCALENDAR", etag='"v1"', last_modified="Sun, 01 Mar"))
    reader = Reader([date()])
    result = refresh(subscription, fetcher=source, parser=reader, now=NOW)
    assert result.created == 1
    assert source.asked == [("https://example.org/strik.ics", "", "")]
    body, start, end, most = reader.calls[0]
    assert (body, start, most) == (b"BEGIN:VCALENDAR", NOW, 260)
    assert end == NOW + datetime.timedelta(days=400)
    subscription.refresh_from_db()
    assert (subscription.etag, subscription.last_modified) == ('"v1"', "Sun, 01 Mar")
    assert subscription.last_success_at == subscription.last_fetched_at == NOW
    assert EventDetails.objects.get().subscription == subscription

    # The next fetch sends the validators; "not modified" reads and changes nothing.
    later = NOW + datetime.timedelta(hours=1)
    source.answers.append(Fetched("not_modified", etag='"v1"', last_modified="Sun, 01 Mar"))
    result = refresh(subscription, fetcher=source, parser=reader, now=later)
    assert source.asked[-1] == ("https://example.org/strik.ics", '"v1"', "Sun, 01 Mar")
    assert len(reader.calls) == 1 and not result.changed
    subscription.refresh_from_db()
    assert subscription.last_success_at == later


def test_a_failing_feed_keeps_its_events_and_mails_the_organiser_once(
    subscription, member, django_capture_on_commit_callbacks
):
    refresh(subscription, fetcher=Source(Fetched("ok", b"x")), parser=Reader([date()]), now=NOW)
    broken = Source(*[FeedError("Adressen svarer ikke.")] * 5)
    with django_capture_on_commit_callbacks(execute=True):
        for hour in range(1, 5):
            assert (
                refresh(
                    subscription,
                    fetcher=broken,
                    parser=Reader([]),
                    now=NOW + datetime.timedelta(hours=hour),
                )
                is None
            )
            subscription.refresh_from_db()
            assert subscription.failures_in_row == hour
    assert subscription.last_error == "Adressen svarer ikke."
    assert subscription.last_success_at == NOW
    assert subscription.failure_mail_sent_at == NOW + datetime.timedelta(hours=3)
    # The event stays as it was.
    assert EventDetails.objects.get().status == EventStatus.REVIEW
    mails = OutboundMessage.objects.filter(purpose="kalender.subscription_failing")
    assert mails.count() == 1
    assert mails.get().to == [member.email]
    assert "Adressen svarer ikke." in mails.get().body_text

    # A good fetch resets the count: three new failures mail again.
    refresh(subscription, fetcher=Source(Fetched("not_modified")), parser=Reader([]), now=NOW)
    subscription.refresh_from_db()
    assert (subscription.failures_in_row, subscription.last_error) == (0, "")
    assert subscription.failure_mail_sent_at is None


def test_a_parse_error_changes_nothing(subscription):
    def parser(body, **kwargs):
        raise FeedError("Det er ikke en kalender.")

    refresh(
        subscription, fetcher=Source(Fetched("ok", b"<html>", etag="e")), parser=parser, now=NOW
    )
    subscription.refresh_from_db()
    assert (subscription.failures_in_row, subscription.etag) == (1, "")
    assert subscription.last_error == "Det er ikke en kalender."
    assert not EventDetails.objects.exists()


def test_a_fault_of_ours_is_a_failure_with_the_plain_message(subscription, caplog):
    def parser(body, **kwargs):
        raise RuntimeError("bug")

    refresh(subscription, fetcher=Source(Fetched("ok", b"x")), parser=parser, now=NOW)
    subscription.refresh_from_db()
    assert subscription.failures_in_row == 1
    assert subscription.last_error == str(FeedError.message)


@pytest.fixture
def fake_modules(monkeypatch):
    """The real fetch and parse modules, as the task imports them, replaced by fakes."""
    source = Source()
    reader = Reader([date()])
    fetch_module = types.ModuleType("kalender.subscriptions.fetch")
    fetch_module.fetch = source
    parse_module = types.ModuleType("kalender.subscriptions.parse")
    parse_module.parse = reader
    monkeypatch.setitem(sys.modules, "kalender.subscriptions.fetch", fetch_module)
    monkeypatch.setitem(sys.modules, "kalender.subscriptions.parse", parse_module)
    return source


def test_the_periodic_task_fetches_the_due_unpaused_calendars(
    association, association_factory, fake_modules
):
    now = timezone.now()
    due = Subscription.objects.create(association=association, url="https://a.example/1.ics")
    fresh = Subscription.objects.create(
        association=association,
        url="https://a.example/2.ics",
        last_fetched_at=now - datetime.timedelta(minutes=10),
    )
    stale = Subscription.objects.create(
        association=association,
        url="https://a.example/3.ics",
        last_fetched_at=now - datetime.timedelta(minutes=61),
    )
    Subscription.objects.create(association=association, url="https://a.example/4.ics", paused=True)
    hidden = association_factory(live=False)
    Subscription.objects.create(association=hidden, url="https://a.example/5.ics")
    fake_modules.answers = [Fetched("not_modified")] * 2

    assert tasks.refresh_due_subscriptions.call() == 2
    assert sorted(url for url, _e, _l in fake_modules.asked) == [due.url, stale.url]
    for sub in (due, stale):
        sub.refresh_from_db()
        assert sub.last_fetched_at >= now
    fresh.refresh_from_db()
    assert fresh.last_fetched_at < now
    # Queued twice before the first run was done: the second finds it fresh.
    tasks.refresh_subscription.call(due.pk)
    assert len(fake_modules.asked) == 2


def test_the_schedule_lists_the_task():
    from kalender.schedule import PERIODIC_TASKS

    assert PERIODIC_TASKS[0]["task"] == "kalender.tasks.refresh_due_subscriptions"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KALENDER_SUBSCRIPTION_INTERVAL_MINUTES", 1),
        ("KALENDER_SUBSCRIPTION_FAILURE_MAIL_AFTER", 0),
    ],
)
def test_the_settings_are_checked(settings, name, value):
    setattr(settings, name, value)
    assert any(name in e.msg for e in run_checks())


# -- the admin ---------------------------------------------------------------------------------

LIST = "/admin/kalender-abonnementer/"


def test_staff_see_every_calendar_and_pause_one(
    client, reviewer, subscription, association_factory
):
    other = Subscription.objects.create(
        association=association_factory(name="Roklubben"), url="https://ro.example/k.ics"
    )
    client.force_login(reviewer)
    html = client.get(LIST).content.decode()
    assert "https://example.org/strik.ics" in html and "https://ro.example/k.ics" in html
    response = client.post(f"{LIST}edit/{other.pk}/", {"paused": "on"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.paused
    # The address and the association are not staff's to change here.
    assert other.url == "https://ro.example/k.ics"
    assert client.get(f"{LIST}new/").status_code in (403, 302, 404)
    assert Subscription.objects.count() == 2


def test_members_cannot_see_or_pause_calendars(client, member, subscription):
    client.force_login(member)
    assert client.get(LIST).status_code in (302, 403)
    client.post(f"{LIST}edit/{subscription.pk}/", {"paused": "on"})
    subscription.refresh_from_db()
    assert not subscription.paused


def test_reviewers_group_has_the_permissions(reviewer):
    assert reviewer.has_perm("kalender.change_subscription")
    assert not reviewer.has_perm("kalender.delete_subscription")
    assert roles.KOMMUNIKATOERER
