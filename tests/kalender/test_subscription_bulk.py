"""A linked calendar's first import, in bulk (issue #23): its new dates are checked at once
(``clashes.check_each``: for each date what the form's ``clashes.check`` finds), created in a
number of statements that does not grow with the dates, clash with each other within the
feed, and reach the site search and the page cache as saved events do."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks

from frivillig_blocks import pagecache
from frivillig_blocks.hooks import VENUE_BOOKINGS, VenueBooking
from kalender import clashes
from kalender.models import ClashKind, ClashNotice, EventDetails, EventStatus, SchoolHoliday, Slot
from kalender.occurrences import Date
from kalender.subscriptions.importer import apply
from tests.helpers import danish

from .conftest import local
from .test_subscription_import import NOW, event, fd, subscription  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _date(start, hours=2):
    start = start.astimezone(datetime.UTC)
    end = start + datetime.timedelta(hours=hours)
    return Date(start, end, start, end, False)


def test_check_each_finds_for_each_date_what_the_forms_check_finds(
    reviewer, make_event, place_factory, seniors, monkeypatch
):
    hall = place_factory(name="Medborgerhuset")
    school = place_factory(name="Skolen")
    make_event(reviewer, title="Bankospil", place=hall, room="Salen", start=local(2026, 3, 4, 18))
    make_event(reviewer, title="Strikkecafé", place=school, start=local(2026, 3, 5, 10))
    make_event(
        reviewer,
        title="Seniordans",
        age_group_ids=[seniors.pk],
        start=local(2026, 3, 4, 20),
    )
    make_event(reviewer, title="Sent bal", place=hall, start=local(2026, 4, 6, 22))
    SchoolHoliday.objects.create(
        name="Vinterferie", start_date=datetime.date(2026, 3, 5), end_date=datetime.date(2026, 3, 6)
    )
    loan = VenueBooking(
        start=local(2026, 3, 11, 17), end=local(2026, 3, 11, 21), room="Salen", label="Udlånt"
    )
    planned = [
        clashes.Planned(_date(local(2026, 3, 4, 19)), "Strik", hall.pk),  # Bankospil, dance
        clashes.Planned(_date(local(2026, 3, 5, 9)), "Strikkecafe", school.pk),  # duplicate
        clashes.Planned(_date(local(2026, 3, 11, 18)), "Møde", hall.pk),  # the loan
        clashes.Planned(_date(local(2026, 3, 4, 23)), "Sent", None),  # near the dance
        clashes.Planned(_date(local(2026, 4, 6, 21)), "Påske", hall.pk),  # Easter Monday
        clashes.Planned(_date(local(2026, 5, 1, 10)), "Fri", school.pk),  # nothing
        clashes.Planned(_date(local(2026, 3, 4, 21), hours=3), "Strik igen", hall.pk),
    ]
    monkeypatch.setattr(clashes, "CHUNK", 2)  # several statements per place
    with hooks.register_temporarily(VENUE_BOOKINGS, lambda place_id, s, e: [loan]):
        each = clashes.check_each(planned, age_group_ids=[seniors.pk])
        one_by_one = [
            clashes.check(
                dates=[p.date], title=p.title, place_id=p.place_id, age_group_ids=[seniors.pk]
            )
            for p in planned
        ]
    found = {"hard": 0, "soft": 0, "duplicates": 0, "holidays": 0, "school_holidays": 0}
    for ours, theirs in zip(each, one_by_one, strict=True):
        for name in found:
            assert getattr(ours, name) == getattr(theirs, name), name
            found[name] += len(getattr(ours, name))
    assert all(found.values()), found  # every kind of finding was there to compare


def _feed(count: int, hour: int, place_names: list[str]) -> list:
    return [
        fd(
            f"u{i}",
            local(2026, 3, 2, hour) + datetime.timedelta(days=i),
            location=place_names[i % 2],
        )
        for i in range(count)
    ]


def test_a_first_import_takes_the_same_statements_for_5_and_50_dates(
    association, member, reviewer, make_event, place_factory, seniors
):
    from kalender.models import Subscription

    hall = place_factory(name="Medborgerhuset")
    place_factory(name="Skolen")
    counts = []
    for size, hour in ((5, 8), (50, 12)):
        # One date of each feed clashes with a published event (a notice and a mail).
        make_event(reviewer, title="Bankospil", place=hall, start=local(2026, 3, 2, hour))
        sub = Subscription.objects.create(
            association=association, url=f"https://example.org/{size}.ics", created_by=member
        )
        sub.age_groups.set([seniors])
        with CaptureQueriesContext(connection) as queries:
            result = apply(sub, _feed(size, hour, ["Medborgerhuset", "Skolen"]), now=NOW)
        assert result.created == size and result.held == 1 and len(result.new_clashes) == 1
        statements = [q["sql"].lstrip().split(None, 1)[0].upper() for q in queries]
        counts.append({kind: statements.count(kind) for kind in ("SELECT", "INSERT", "UPDATE")})
    few, many = counts
    assert few["SELECT"] == many["SELECT"] and few["UPDATE"] == many["UPDATE"]
    # Inserts in bulk: more only where the database caps the values of one statement.
    assert many["INSERT"] <= few["INSERT"] + 4
    assert Slot.objects.filter(details__subscription__isnull=False).count() == 55


def test_new_dates_of_one_feed_at_one_place_and_time_hold_each_other(
    subscription,  # noqa: F811 - the fixture
    trusted,
    place,
    django_capture_on_commit_callbacks,
):
    first = fd("a", local(2026, 3, 4, 18), location="Medborgerhuset")
    second = fd("b", local(2026, 3, 4, 19), location="Medborgerhuset")
    elsewhere = fd("c", local(2026, 3, 4, 19), location="Strandlinien 1")
    with django_capture_on_commit_callbacks(execute=True):
        result = apply(subscription, [first, second, elsewhere], now=NOW)
    a, b, c = (event(subscription, x) for x in (first, second, elsewhere))
    assert result.held == 2
    assert (a.status, b.status) == (EventStatus.REVIEW, EventStatus.REVIEW)
    hard = {
        (n.details_id, n.other_id)
        for n in ClashNotice.objects.filter(kind=ClashKind.HARD, imported=True)
    }
    assert hard == {(a.pk, b.pk), (b.pk, a.pk)}
    # The third is published; the first two are not, so nothing is a soft clash of it, but
    # it is one of theirs (same audience, same evening, published).
    assert c.status == EventStatus.PUBLISHED
    soft = {
        (n.details_id, n.other_id)
        for n in ClashNotice.objects.filter(kind=ClashKind.SOFT, imported=True)
    }
    assert soft == {(a.pk, c.pk), (b.pk, c.pk)}


def test_imported_events_reach_the_search_and_the_page_cache(
    subscription,  # noqa: F811 - the fixture
    trusted,
    django_capture_on_commit_callbacks,
):
    from wagtail.search.models import IndexEntry

    # The fixtures' writes commit first (their content version move waits in the test's
    # one transaction, and a transaction moves it once).
    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, callback, _robust in pending:
        callback()
    before = pagecache.version()
    with django_capture_on_commit_callbacks(execute=True):
        apply(subscription, [fd("a", local(2026, 3, 4), title="Garnbytte i Dragør")], now=NOW)
    details = EventDetails.objects.get(subscription=subscription)
    assert pagecache.version() != before
    assert IndexEntry.objects.filter(object_id=str(details.pk)).exists()
    from wagtail.search.backends import get_search_backend

    found = get_search_backend().search("garnbytte", EventDetails)
    assert [d.pk for d in found] == [details.pk]


@pytest.mark.skipif(
    not apps.is_installed("booking"), reason="the loans app is not installed (the app matrix)"
)
def test_a_date_on_a_lent_room_is_held_and_mailed_once_across_fetches(
    subscription,  # noqa: F811 - the fixture
    trusted,
    member,
    django_capture_on_commit_callbacks,
):
    """Issue #23: an imported date at a place whose room is lent (a real loan of the loans
    app, through the ``VENUE_BOOKINGS`` hook) is held for review and the organiser is mailed
    once, however often the feed is fetched."""
    from booking import services as loans
    from frivillig_blocks.models import OutboundMessage
    from tests.booking.conftest import make_request, make_world

    world = make_world()
    loan = loans.request_loan(user=world.member, req=make_request(world))
    on_loan = fd("lent", loan.first_start, location="Biblioteket")
    free = fd("free", loan.first_start + datetime.timedelta(days=1), location="Biblioteket")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            apply(subscription, [on_loan, free], now=NOW)
    held, published = event(subscription, on_loan), event(subscription, free)
    assert (held.status, published.status) == (EventStatus.REVIEW, EventStatus.PUBLISHED)
    notice = ClashNotice.objects.get(details=held)
    assert (notice.kind, notice.other_id, notice.imported) == (ClashKind.HARD, None, True)
    mails = OutboundMessage.objects.filter(purpose="kalender.import_clashes")
    assert mails.count() == 1 and mails.get().to == [member.email]
    body = mails.get().body_text
    assert "- Møde lent, " in body
    assert danish("the place is taken") in body and "Møde free" not in body
