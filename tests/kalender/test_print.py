"""The PDF programme (A4 and A5) and the week's listing for the local paper."""

from __future__ import annotations

import datetime
import re

import pytest
from schedule.models import Event

from kalender.models import EventDetails, EventStatus, Slot
from kalender.occurrences import calendar

from ..helpers import assert_tagged_pdf
from .conftest import CPH, local
from .pdftext import _objects, extract_text

pytestmark = pytest.mark.django_db

PDF = "/frivillig/kalender/program/"


def bulk_month(count=200):
    """``count`` published single events in March 2026, made in bulk (as the bench does)."""
    cal = calendar()
    events = Event.objects.bulk_create(
        [
            Event(
                calendar=cal,
                title=f"Arrangement {i:03d}",
                start=local(2026, 3, 1 + i % 31, 8 + (i // 31)),
                end=local(2026, 3, 1 + i % 31, 9 + (i // 31)),
            )
            for i in range(count)
        ]
    )
    details = EventDetails.objects.bulk_create(
        [
            EventDetails(
                event=e, status=EventStatus.PUBLISHED, published_at=e.start, address="Torvet"
            )
            for e in events
        ]
    )
    Slot.objects.bulk_create(
        [
            Slot(
                details=d,
                event_id=d.event_id,
                start=d.event.start,
                end=d.event.end,
                original_start=d.event.start,
                day=d.event.start.astimezone(CPH).date(),
                status=d.status,
                public=True,
            )
            for d in details
        ]
    )
    return events


def test_pdf_for_a_month_with_200_events_lists_them_in_order(client, calendar_page):
    events = bulk_month(200)
    response = client.get(PDF, {"fra": "2026-03-01", "til": "2026-03-31"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = extract_text(response.content)
    titles = re.findall(r"Arrangement \d{3}", text)
    assert len(titles) == 200
    expected = [e.title for e in sorted(events, key=lambda e: (e.start, e.title))]
    assert titles == expected
    assert "Søndag 1. marts 2026" in text
    # Tagged for a screen reader (PDF/UA): structure, language and title.
    assert_tagged_pdf(response.content, title=calendar_page.title)


def test_pdf_a5_and_daylight_saving(client, calendar_page, reviewer, make_event):
    make_event(
        reviewer,
        title="Korsang",
        start=local(2026, 3, 18, 19),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 4, 8),
    )
    for fmt in ("a4", "a5"):
        response = client.get(PDF, {"fra": "2026-03-16", "til": "2026-04-10", "format": fmt})
        text = extract_text(response.content)
        assert text.count("19:00–21:00") == 4, text
        heads = b" ".join(head for head, _data in _objects(response.content).values())
        width = b"419.5" if fmt == "a5" else b"595.2"  # 148 mm and 210 mm in points
        assert b"/MediaBox [0 0 " + width in heads


def test_body_text_is_at_least_11pt(client, calendar_page):
    bulk_month(3)
    for fmt in ("a4", "a5"):
        pdf = client.get(PDF, {"fra": "2026-03-01", "til": "2026-03-31", "format": fmt}).content
        sizes = set()
        for _head, data in _objects(pdf).values():
            if data and b"BT" in data:
                # Text is drawn at 0.75 (px to pt); the font size operand is in px.
                sizes |= {float(s) * 0.75 for s in re.findall(rb"/\w+ ([\d.]+) Tf", data)}
        body_sizes = {s for s in sizes if s > 9.5}  # the footer is 9 pt
        assert round(min(body_sizes), 1) >= 11, sizes


def test_newspaper_listing_in_the_admin(client, calendar_page, reviewer, make_event, member):
    make_event(reviewer, title="Havnefest", start=local(2026, 6, 13, 14), address="Havnen")
    client.force_login(reviewer)
    response = client.get("/admin/kalender/avis/", {"uge": "2026-06-08"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kalenderen, uge 24" in text
    assert "LØRDAG 13. JUNI" in text and "14.00 Havnefest, Havnen" in text
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(member)
    assert client.get("/admin/kalender/avis/").status_code in (302, 403)


# --- Bounded cost (#18, item 7) ----------------------------------------------------------


@pytest.fixture
def programme_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "kalender_programme": "2/m/ip"}
    return settings


def test_the_programme_is_rate_limited_per_client_with_a_danish_page(
    client, calendar_page, programme_limit
):
    """It used to be anonymous and unlimited: ten parallel renderings slowed every page."""
    months = ["2026-03-01", "2026-04-01", "2026-05-01"]
    statuses = [client.get(PDF, {"fra": month}).status_code for month in months]
    assert statuses == [200, 200, 429]
    refused = client.get(PDF, {"fra": "2026-06-01"})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "For mange forespørgsler" in html and "Vent et par minutter" in html
    assert refused["Content-Type"].startswith("text/html")
    # Another client is not held back by the first one's requests.
    other = client.get(PDF, {"fra": "2026-06-01"}, REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 200 and other["Content-Type"] == "application/pdf"


def test_the_programme_is_cached_by_its_normalised_filters(
    client, calendar_page, programme_limit, user, reviewer, make_event
):
    programme_limit.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    programme_limit.ACCOUNT_RATE_LIMITS = {
        **programme_limit.ACCOUNT_RATE_LIMITS,
        "kalender_programme": "1/m/ip",
    }
    make_event(reviewer, title="Havnefest", start=local(2026, 6, 13, 14))
    # Signed in: the anonymous page cache stays out of it, only the programme's own cache.
    client.force_login(user)
    first = client.get(PDF, {"fra": "2026-06-01", "til": "2026-06-30"})
    assert first.status_code == 200
    assert "Havnefest" in extract_text(first.content)
    # The same filters in another order, with junk and an unknown category (dropped): the
    # same programme from the cache, so the one rendering a minute allowed is not needed.
    for query in (
        {"til": "2026-06-30", "fra": "2026-06-01"},
        {"fra": "2026-06-01", "til": "2026-06-30", "x": "1", "utm_source": "nyhedsbrev"},
        {"fra": "2026-06-01", "til": "2026-06-30", "category": "findes-ikke"},
    ):
        again = client.get(PDF, query)
        assert again.status_code == 200, query
        assert again.content == first.content
    # Other filters are another programme: a rendering, which the limit refuses now.
    assert client.get(PDF, {"fra": "2026-07-01"}).status_code == 429


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_to_the_calendar_retires_the_cached_programme(
    client, calendar_page, user, reviewer, make_event, settings
):
    # Real commits: the page cache's version moves when the change commits.
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    client.force_login(user)
    query = {"fra": "2026-06-01", "til": "2026-06-30"}
    first = client.get(PDF, query)
    assert "Havnefest" not in extract_text(first.content)
    assert client.get(PDF, query).content == first.content  # from the cache
    make_event(reviewer, title="Havnefest", start=local(2026, 6, 13, 14))
    assert "Havnefest" in extract_text(client.get(PDF, query).content)
