"""The calendar in the site search: one hit per upcoming public event, with its next date;
drafts, events awaiting review and past events are not found; no organiser's details."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from frivillig_blocks.search import engine
from frivillig_blocks.search.sources import search_sources
from kalender import services
from kalender.models import EventStatus

from .conftest import CPH

pytestmark = pytest.mark.django_db


def soon(days, hour=19):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=CPH)


def search(query):
    """What the public finds for ``query`` among the events: the site search's hits
    of that kind (frivillig_blocks.search.engine, the Danish backend and vocabulary)."""
    return engine.search(RequestFactory().get("/soeg/"), query, kind="events").hits


def test_a_published_event_is_found_at_once_with_its_page_and_date(
    calendar_page, reviewer, make_event
):
    details = make_event(
        reviewer,
        title="Seniordans i Medborgerhuset",
        description="<p>Kom og <strong>dans</strong> med &amp; os.</p>",
        start=soon(5),
    )
    [hit] = search("seniordans")
    assert hit.title == "Seniordans i Medborgerhuset"
    assert hit.url == f"/frivillig/kalender/arrangement/{details.event_id}/"
    assert hit.summary == "Kom og dans med & os."
    assert hit.date == soon(5)
    assert search("dans")  # a word of the description


def test_drafts_events_awaiting_review_and_past_events_are_not_found(
    calendar_page, reviewer, member, make_event
):
    make_event(member, title="Strikkecafé venter", start=soon(3))  # awaits review
    make_event(reviewer, title="Strikkecafé kladde", start=soon(3), draft=True)
    make_event(reviewer, title="Strikkecafé forbi", start=soon(-3))
    make_event(reviewer, title="Strikkecafé kommer", start=soon(3))
    assert [hit.title for hit in search("strikkecafé")] == ["Strikkecafé kommer"]


def test_a_recurring_event_is_one_hit_with_its_next_date(calendar_page, reviewer, make_event):
    make_event(
        reviewer,
        title="Ugentlig gåtur",
        start=soon(-14, hour=10),
        end=soon(-14, hour=11),
        recurrence="weekly",
        repeat_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    [hit] = search("gåtur")
    today_is_over = soon(0, hour=11) <= timezone.now()
    assert hit.date == (soon(7, hour=10) if today_is_over else soon(0, hour=10))


def test_an_event_whose_last_date_is_past_is_not_found(calendar_page, reviewer, make_event):
    make_event(
        reviewer,
        title="Gåtur der sluttede",
        start=soon(-21, hour=10),
        end=soon(-21, hour=11),
        recurrence="weekly",
        repeat_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert search("gåtur") == []


def test_publishing_rejecting_and_deleting_change_the_next_search(
    calendar_page, reviewer, member, make_event
):
    waiting = make_event(member, title="Loppemarked på havnen", start=soon(4))
    rejected = make_event(member, title="Loppemarked i hallen", start=soon(5))
    assert search("loppemarked") == []
    services.publish(user=reviewer, details=waiting)
    services.reject(user=reviewer, details=rejected)
    assert [hit.title for hit in search("loppemarked")] == ["Loppemarked på havnen"]
    waiting.event.delete()  # the admin deletes the event
    assert search("loppemarked") == []


def test_cancelling_the_next_date_moves_the_hit_to_the_date_after(
    calendar_page, reviewer, make_event
):
    details = make_event(
        reviewer,
        title="Motionsholdet",
        start=soon(2, hour=10),
        end=soon(2, hour=11),
        recurrence="weekly",
        repeat_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert [hit.date for hit in search("motionsholdet")] == [soon(2, hour=10)]
    services.cancel_date(user=reviewer, details=details, original_start=soon(2, hour=10))
    assert [hit.date for hit in search("motionsholdet")] == [soon(9, hour=10)]


def test_an_edited_title_is_found_without_rebuilding_the_index(calendar_page, reviewer, make_event):
    details = make_event(reviewer, title="Havedag", start=soon(4))
    data = services.EventData(
        title="Plantebytte",
        start=soon(4),
        end=soon(4) + datetime.timedelta(hours=2),
        address="Strandlinien 1, 2791 Dragør",
    )
    services.save_event(user=reviewer, data=data, details=details)
    assert [hit.title for hit in search("plantebytte")] == ["Plantebytte"]
    assert search("havedag") == []


def test_a_cancelled_event_says_so(calendar_page, reviewer, make_event):
    details = make_event(reviewer, title="Fællesspisning", start=soon(2))
    services.set_status(user=reviewer, details=details, status=EventStatus.CANCELLED)
    [hit] = search("fællesspisning")
    assert hit.summary.startswith(str(EventStatus.CANCELLED.label))


def test_the_organisers_name_is_not_searchable(calendar_page, reviewer, make_event):
    make_event(reviewer, title="Koncert", organiser_name="Birthe Bønnelykke", start=soon(6))
    assert search("Bønnelykke") == []
    assert search("Birthe") == []


def test_hits_take_a_constant_number_of_queries(
    calendar_page, reviewer, make_event, django_assert_max_num_queries
):
    for i in range(3):
        make_event(reviewer, title=f"Foredrag {i}", start=soon(i + 1))
    source = next(source for source in search_sources() if source.key == "events")
    request = RequestFactory().get("/soeg/")
    objects = list(get_search_backend().search("foredrag", source.queryset()))
    with django_assert_max_num_queries(4) as few:
        assert len(list(source.hits(request, objects))) == 3
    for i in range(3, 12):
        make_event(reviewer, title=f"Foredrag {i}", start=soon(i + 1))
    objects = list(get_search_backend().search("foredrag", source.queryset()))
    with django_assert_max_num_queries(len(few)):
        assert len(list(source.hits(request, objects))) == 12


def test_erasing_the_organiser_takes_their_name_out_of_the_index(
    calendar_page, member, association, trusted, make_event
):
    from frivillig_blocks import personal_data

    make_event(
        member,
        title="Strikkeaften",
        description="Tilmelding hos Mette Madsen.",
        association_id=association.pk,
        start=soon(3),
    )
    assert [hit.title for hit in search("madsen")] == ["Strikkeaften"]
    personal_data.erase(member)
    assert search("madsen") == []
    assert [hit.title for hit in search("strikkeaften")] == ["Strikkeaften"]


def test_update_index_rebuilds_what_is_found(calendar_page, reviewer, make_event):
    import io

    from django.core.management import call_command
    from wagtail.search.models import IndexEntry

    make_event(reviewer, title="Julemarked", start=soon(8))
    IndexEntry.objects.all().delete()
    assert search("julemarked") == []
    call_command("update_index", stdout=io.StringIO())
    assert [hit.title for hit in search("julemarked")] == ["Julemarked"]


def test_erasing_the_organiser_takes_their_name_out_of_the_suggestions(
    calendar_page, member, association, trusted, make_event
):
    from frivillig_blocks import personal_data

    make_event(
        member,
        title="Strikkeaften",
        description="Tilmelding hos Mette Madsen.",
        association_id=association.pk,
        start=soon(3),
    )
    personal_data.erase(member)
    result = engine.search(RequestFactory().get("/soeg/"), "madsne")
    assert "madsen" not in (result.suggestion or "")
