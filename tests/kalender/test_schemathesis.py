"""The OpenAPI description is the API: schemathesis reads the description the site serves
(/api/kalender/openapi.json) and sends what it generates from it to the site itself, in
process through Django's WSGI handler (so the test's database and transaction), with all
its default checks: no 5xx, only documented status codes, bodies, headers and content types
as documented, schema-valid requests (positive) accepted, schema-invalid ones (negative)
refused with a 4xx. It prints how many requests it sent.

Bounded: MAX_EXAMPLES examples per operation and mode, derandomized, no example database:
about 200 requests, a few seconds after the database is set up, the same on every machine.

The one rule JSON Schema cannot say (``end`` not before ``start``, the period at most the
feed's days) is in the operation's description; the hook below keeps generated valid
queries inside it, and test_api.py tests the 422 for breaking it."""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from frivillig_blocks.models import Theme
from frivillig_blocks.parsers import MAX_DATE, parse_date
from kalender import conf

from .conftest import local

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 30


@pytest.fixture
def kalender_api(calendar_page, reviewer, make_event, place):
    """The served description, with some public events so that 200s carry real bodies."""
    make_event(
        reviewer,
        title="Korsang",
        start=local(2026, 10, 18, 2, 30),
        recurrence="weekly",
        repeat_until=datetime.date(2026, 11, 8),
        place=place,
        theme_ids=[Theme.objects.get(slug="kultur").pk],
    )
    make_event(reviewer, title="Loppemarked", start=local(2026, 6, 6, 10), place=place)
    # As Django's test client does: a finished request must not close the test's connection
    # (the test's transaction holds the data).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi(
            "/api/kalender/openapi.json", get_wsgi_application()
        )
        schema.hook(map_query)
        yield schema
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def map_query(context, query):
    """A generated valid period: ``end`` not before ``start``, at most the feed's days."""
    if not isinstance(query, dict):
        return query
    start = parse_date(query["start"]) if isinstance(query.get("start"), str) else None
    end = parse_date(query["end"]) if isinstance(query.get("end"), str) else None
    if end is None or (start is None and "start" in query):
        return query  # no period, or an invalid one the API must refuse
    first = start or timezone.localdate()  # the API's default start
    first, last = sorted((first, end))
    last = min(last, first + datetime.timedelta(days=conf.app_settings.FEED_DAYS), MAX_DATE)
    return {**query, "start": first.isoformat(), "end": last.isoformat()}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_as_its_description_says(kalender_api, mode):
    operations = [result.ok() for result in kalender_api.get_all_operations()]
    assert {op.label for op in operations} == {
        "GET /api/kalender/dates",
        "GET /api/kalender/events/{event_id}",
        "GET /api/kalender/categories",
        "GET /api/kalender/themes",
        "GET /api/kalender/places",
    }
    sent = []
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue  # nothing to send wrong to /themes, /categories, /places

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call_and_validate()
            sent.append(response.status_code)

        check()
    print(f"schemathesis ({mode.value}): {len(sent)} requests, statuses {sorted(set(sent))}")
    assert len(sent) >= len(operations)
