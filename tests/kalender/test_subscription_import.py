"""Linked calendars, the import (issue #23): one event per feed date with a stable identity;
a second import of the same dates writes nothing; changes at the source move, update or
cancel; a date gone from the feed is cancelled; the form's clash check holds a hard clash
for review and mails the organiser once per event and clash; imported fields are edited at
the source; unlinking cancels the future dates. The dates are built as ``FeedDate`` values
(the parser is tested on its own)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from frivillig_blocks.figures import Filters, Period
from frivillig_blocks.models import AgeGroup, OutboundMessage, Theme
from kalender import services
from kalender.exceptions import EditAtSource
from kalender.figures import CalendarFigures
from kalender.models import (
    ClashKind,
    ClashNotice,
    ClashOutcome,
    EventDetails,
    EventStatus,
    Slot,
    Subscription,
)
from kalender.services import EventData
from kalender.subscriptions.feed import FeedDate
from kalender.subscriptions.importer import apply, stored_key, unlink
from tests.helpers import danish

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 1, 12)


def fd(uid, start, hours=2, **kwargs) -> FeedDate:
    start = start.astimezone(datetime.UTC)
    # A date given its own original start is a date of a series (known by UID and date);
    # otherwise a single event (known by its UID).
    kwargs.setdefault("recurring", "original_start" in kwargs)
    original = kwargs.pop("original_start", start)
    return FeedDate(
        uid=uid,
        original_start=original.astimezone(datetime.UTC),
        start=start,
        end=start + datetime.timedelta(hours=hours),
        title=kwargs.pop("title", f"Møde {uid}"),
        **kwargs,
    )


@pytest.fixture
def subscription(association, member, seniors):
    sub = Subscription.objects.create(
        association=association, url="https://example.org/strik.ics", created_by=member
    )
    sub.themes.set([Theme.objects.create(name="Håndarbejde", slug="haandarbejde")])
    sub.age_groups.set([seniors])
    return sub


def event(sub, uid_or_date) -> EventDetails:
    key = uid_or_date.key if isinstance(uid_or_date, FeedDate) else uid_or_date
    return EventDetails.objects.select_related("event").get(subscription=sub, feed_key=key)


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_each_date_becomes_an_event_of_the_association_with_the_defaults(
    subscription, association, place_factory, seniors
):
    hall = place_factory(name="Medborgerhuset", address="Kirkevej 7")
    school = place_factory(name="Skolen", address="Skolevej 2")
    subscription.default_place = school
    subscription.save()
    dates = [
        fd(
            "a", local(2026, 3, 4), location="medborgerhuset", description="Tag garn med.\n\nKaffe."
        ),
        fd(
            "b", local(2026, 3, 11), location="Salen, KIRKEVEJ 7, 2791 Dragør", url="https://x.dk/b"
        ),
        fd("c", local(2026, 3, 18), location="Strandlinien 1, 2791 Dragør"),
        fd("d", local(2026, 3, 25)),
    ]
    result = apply(subscription, dates, now=NOW)

    assert (result.created, result.unchanged, result.held) == (4, 0, 0)
    a, b, c, d = (event(subscription, x) for x in dates)
    assert (a.place, b.place, c.place, d.place) == (hall, hall, None, school)
    assert c.address == "Strandlinien 1, 2791 Dragør"
    assert a.association == association and a.subscription == subscription
    assert a.is_imported and a.is_linked
    assert b.source_url == "https://x.dk/b"
    assert a.event.description == "<p>Tag garn med.</p>\n\n<p>Kaffe.</p>"
    assert a.event.start == dates[0].start and a.event.title == "Møde a"
    assert list(a.age_groups.all()) == [seniors]
    assert [t.name for t in a.themes.all()] == ["Håndarbejde"]
    # Not a trusted organiser: every date waits for review, as the form's events do.
    assert {x.status for x in (a, b, c, d)} == {EventStatus.REVIEW}
    slot = Slot.objects.get(details=a)
    assert (slot.start, slot.place_id, slot.public) == (dates[0].start, hall.pk, False)
    assert ModelLogEntry.objects.filter(action="kalender.create").count() == 4


def test_a_trusted_association_publishes_directly(subscription, trusted):
    apply(subscription, [fd("a", local(2026, 3, 4))], now=NOW)
    details = event(subscription, "a")
    assert details.status == EventStatus.PUBLISHED and details.published_at is not None
    assert Slot.objects.get(details=details).public


def test_the_same_dates_again_write_nothing(subscription, trusted, place):
    dates = [
        fd("a", local(2026, 3, 4), location="Medborgerhuset"),
        fd("b", local(2026, 3, 11), description="Mere"),
        fd("gone", local(2026, 2, 20)),  # in the past, not in the next fetch: left alone
    ]
    apply(subscription, dates, now=NOW)
    logs = ModelLogEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        result = apply(subscription, dates[:2], now=NOW)
    assert writes(queries) == []
    assert (result.unchanged, result.changed) == (2, False)
    assert ModelLogEntry.objects.count() == logs
    # A fixed number of reads, whatever the number of dates: savepoint and its release,
    # the subscription (locked), its themes and age groups, the places, the events.
    assert len(queries) == 7, [q["sql"] for q in queries.captured_queries]


def test_a_change_at_the_source_moves_updates_or_cancels(subscription, trusted):
    a, b, c, d = (fd(uid, local(2026, 3, 4 + 7 * i)) for i, uid in enumerate("abcd"))
    past = fd("p", local(2026, 2, 25))
    apply(subscription, [a, b, c, d, past], now=NOW)
    moved = fd("a", local(2026, 3, 5, 18))  # a single event moved: known by its UID
    renamed = fd("b", b.start, title="Nyt navn", description="Ny tekst")
    cancelled = fd("c", c.start, cancelled=True)

    result = apply(subscription, [moved, renamed, cancelled], now=NOW)

    assert (result.moved, result.updated, result.cancelled) == (1, 1, 2)
    details = event(subscription, a)
    assert details.feed_key == moved.key  # the identity survives the move
    assert details.event.start == moved.start
    assert Slot.objects.get(details=details).start == moved.start
    assert details.status == EventStatus.PUBLISHED and details.sequence == 1
    details = event(subscription, b)
    assert details.event.title == "Nyt navn" and details.event.description == "<p>Ny tekst</p>"
    assert event(subscription, c).status == EventStatus.CANCELLED
    # Gone from the feed and not yet begun: cancelled and kept, for the feed's subscribers.
    gone = event(subscription, d)
    assert gone.status == EventStatus.CANCELLED and gone.is_public
    # Gone, but in the past: as it was.
    assert event(subscription, past).status == EventStatus.PUBLISHED
    actions = list(
        ModelLogEntry.objects.filter(action__in=["kalender.move_date", "kalender.edit"])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["kalender.move_date", "kalender.edit"]
    assert ModelLogEntry.objects.filter(action="kalender.cancelled").count() == 2
    # The gone date comes back: published again.
    apply(subscription, [moved, renamed, cancelled, d], now=NOW)
    assert event(subscription, d).status == EventStatus.PUBLISHED


def test_an_untrusted_organisers_changed_date_goes_back_to_review(subscription, reviewer):
    a = fd("a", local(2026, 3, 4))
    apply(subscription, [a], now=NOW)
    services.publish(user=reviewer, details=event(subscription, a))
    apply(subscription, [a], now=NOW)  # unchanged: stays published
    assert event(subscription, a).status == EventStatus.PUBLISHED
    apply(subscription, [fd("a", local(2026, 3, 4), title="Ændret")], now=NOW)
    details = event(subscription, a)
    assert details.status == EventStatus.REVIEW and details.published_at is None


def test_a_hard_clash_holds_the_date_and_mails_the_organiser_once(
    subscription, trusted, place, reviewer, make_event, member, django_capture_on_commit_callbacks
):
    other = make_event(reviewer, title="Borgermøde", place=place, start=local(2026, 3, 4, 18))
    clashing = fd("a", local(2026, 3, 4, 19), location="Medborgerhuset")
    free = fd("b", local(2026, 3, 11, 19), location="Medborgerhuset")
    with django_capture_on_commit_callbacks(execute=True):
        result = apply(subscription, [clashing, free], now=NOW)

    assert (result.created, result.held) == (2, 1)
    held = event(subscription, clashing)
    assert held.status == EventStatus.REVIEW and not held.venue_agreed
    assert event(subscription, free).status == EventStatus.PUBLISHED
    notice = ClashNotice.objects.get(details=held)
    assert (notice.kind, notice.other, notice.imported, notice.outcome) == (
        ClashKind.HARD,
        other,
        True,
        ClashOutcome.PENDING,
    )
    mail = OutboundMessage.objects.get(purpose="kalender.import_clashes")
    assert mail.to == [member.email]
    assert "Borgermøde" in mail.body_text and "Møde a" in mail.body_text

    # Fetched again, unchanged or changed but still clashing: no second mail, no second row.
    with django_capture_on_commit_callbacks(execute=True):
        apply(subscription, [clashing, free], now=NOW)
        apply(
            subscription,
            [fd("a", local(2026, 3, 4, 19), location="Medborgerhuset", title="Nyt"), free],
            now=NOW,
        )
    assert OutboundMessage.objects.filter(purpose="kalender.import_clashes").count() == 1
    assert ClashNotice.objects.filter(details=held).count() == 1
    assert event(subscription, clashing).status == EventStatus.REVIEW

    # Moved away at the source: the clash is settled as moved, the date published.
    with django_capture_on_commit_callbacks(execute=True):
        apply(
            subscription,
            [fd("a", local(2026, 3, 4, 22)), free],
            now=NOW,
        )
    assert ClashNotice.objects.get(details=held).outcome == ClashOutcome.MOVED
    assert event(subscription, clashing).status == EventStatus.PUBLISHED
    assert OutboundMessage.objects.filter(purpose="kalender.import_clashes").count() == 1


def test_a_soft_clash_is_recorded_and_mailed_but_does_not_hold(
    subscription, trusted, reviewer, make_event, seniors, django_capture_on_commit_callbacks
):
    make_event(
        reviewer, title="Seniordans", age_group_ids=[seniors.pk], start=local(2026, 3, 4, 18)
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply(subscription, [fd("a", local(2026, 3, 4, 19))], now=NOW)
        apply(subscription, [fd("a", local(2026, 3, 4, 19))], now=NOW)
    details = event(subscription, "a")
    assert details.status == EventStatus.PUBLISHED
    notice = ClashNotice.objects.get(details=details)
    assert (notice.kind, notice.outcome, notice.imported) == (
        ClashKind.SOFT,
        ClashOutcome.KEPT,
        True,
    )
    assert OutboundMessage.objects.filter(purpose="kalender.import_clashes").count() == 1


def test_imported_fields_are_edited_at_the_source(subscription, member):
    apply(subscription, [fd("a", local(2026, 3, 4))], now=NOW)
    details = event(subscription, "a")
    data = EventData(
        title="Ændret",
        start=local(2026, 3, 4),
        end=local(2026, 3, 4, 21),
        association_id=subscription.association_id,
        address="Et sted",
    )
    with pytest.raises(EditAtSource) as error:
        services.save_event(user=member, data=data, details=details)
    assert str(error.value.message) == danish(
        "This event comes from the association's own calendar. Change it there: the "
        "calendar here follows it at the next fetch."
    )
    original = details.event.start
    with pytest.raises(EditAtSource):
        services.move_date(
            user=member,
            details=details,
            original_start=original,
            start=original + datetime.timedelta(hours=1),
            end=original + datetime.timedelta(hours=3),
        )
    with pytest.raises(EditAtSource):
        services.cancel_date(user=member, details=details, original_start=original)
    assert event(subscription, "a").event.title == "Møde a"
    # The whole event may still be cancelled here.
    services.set_status(user=member, details=details, status=EventStatus.CANCELLED)
    assert event(subscription, "a").status == EventStatus.CANCELLED


def test_unlinking_cancels_the_future_dates_and_removes_the_subscription(
    subscription, trusted, member
):
    past, future = fd("p", local(2026, 2, 25)), fd("f", local(2026, 3, 4))
    apply(subscription, [past, future], now=NOW)
    assert unlink(subscription, user=member, now=NOW) == 1
    assert not Subscription.objects.exists()
    by_key = {d.feed_key: d for d in EventDetails.objects.all()}
    assert by_key[future.key].status == EventStatus.CANCELLED
    assert by_key[past.key].status == EventStatus.PUBLISHED
    assert all(d.is_imported and not d.is_linked for d in by_key.values())
    entry = ModelLogEntry.objects.get(action="kalender.cancelled")
    assert entry.user == member and entry.data["unlinked"]
    # Unlinked, the event is ours to edit.
    details = by_key[future.key]
    services.save_event(
        user=member,
        data=EventData(
            title="Nu vores",
            start=local(2026, 3, 4),
            end=local(2026, 3, 4, 21),
            association_id=subscription.association_id,
            address="Et sted",
        ),
        details=details,
    )


def test_the_identity_is_unique_per_subscription_in_the_database(subscription, association):
    long_uid = "x" * 400
    apply(subscription, [fd(long_uid, local(2026, 3, 4)), fd("a", local(2026, 3, 4))], now=NOW)
    key = stored_key(fd(long_uid, local(2026, 3, 4)).key)
    assert key.startswith("sha256:") and event(subscription, key)
    # A feed giving one date twice makes one event.
    result = apply(subscription, [fd("b", local(2026, 3, 5))] * 2 + [], now=NOW)
    assert result.created == 1
    details = event(subscription, "a")
    copy = EventDetails.objects.get(pk=details.pk)
    copy.pk, copy.uid, copy.event = None, None, None
    from schedule.models import Event

    copy.event = Event.objects.create(
        calendar=details.event.calendar,
        title="x",
        start=details.event.start,
        end=details.event.end,
    )
    import uuid

    copy.uid = uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    # Another association's calendar may hold the same identity.
    other = Subscription.objects.create(association=association, url="https://example.org/2.ics")
    assert apply(other, [fd("a", local(2026, 3, 4))], now=NOW).created == 1


def test_overlong_dates_are_skipped(subscription):
    result = apply(subscription, [fd("a", local(2026, 3, 4), hours=24 * 30)], now=NOW)
    assert (result.created, result.skipped) == (0, 1)
    assert not EventDetails.objects.exists()


def test_the_figures_count_imported_events_and_clashes_caught_on_import(
    subscription, trusted, place, reviewer, make_event
):
    make_event(reviewer, title="Borgermøde", place=place, start=local(2026, 3, 4, 18))
    make_event(reviewer, title="Andet", start=local(2026, 3, 20, 18))
    apply(
        subscription,
        [
            fd("a", local(2026, 3, 4, 19), location="Medborgerhuset"),
            fd("b", local(2026, 3, 11)),
            fd("c", local(2026, 3, 12)),
        ],
        now=NOW,
    )
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    with CaptureQueriesContext(connection) as queries:
        figures = {f.key: f for f in CalendarFigures().figures(period, Filters())}
    # The same three aggregate queries as before the import's figures came.
    assert len(queries) == 3
    # a is held for review (not published); b and c are.
    assert figures["kalender.events_imported"].value == 2
    assert figures["kalender.events_published"].value == 4
    on_import = figures["kalender.clashes_on_import"]
    assert on_import.value == 1 and on_import.people == 1
    assert [(r.label, r.value) for r in on_import.rows] == [
        ("Dobbeltbookinger (stedet var optaget)", 1)
    ]
    assert figures["kalender.clashes_shown"].value == 1


def test_a_subscriptions_defaults_change_touches_every_event_once(subscription, trusted):
    dates = [fd("a", local(2026, 3, 4)), fd("b", local(2026, 3, 11))]
    apply(subscription, dates, now=NOW)
    subscription.age_groups.set([AgeGroup.objects.exclude(code="seniorer").first()])
    assert apply(subscription, dates, now=NOW).updated == 2
    assert apply(subscription, dates, now=NOW).changed is False


def test_the_detail_page_says_where_the_event_came_from_and_where_to_edit_it(
    client, calendar_page, subscription, trusted, member
):
    apply(subscription, [fd("a", local(2026, 3, 4), url="https://strik.example/a")], now=NOW)
    details = event(subscription, "a")
    url = f"/frivillig/kalender/arrangement/{details.event_id}/"
    client.force_login(member)
    html = client.get(url).content.decode()
    assert 'href="https://strik.example/a"' in html
    assert f"{url}ret/" not in html
    for page in (f"{url}ret/", f"{url}datoer/"):
        response = client.get(page)
        assert response.status_code == 403
        assert "own calendar" in response.content.decode() or "egen kalender" in (
            response.content.decode()
        )
