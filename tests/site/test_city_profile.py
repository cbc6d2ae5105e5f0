"""The city profile (``bench/city.py``, ``make bench-city``) kept from rotting: its builder
multiplies a small demo by two in the test database, and every page it measures answers
200 with the same number of queries at both sizes (the profile's own assertion, #22).

PostgreSQL only, as the profile: its builder is SQL of PostgreSQL's (``generate_series``,
``make_interval``). CI runs the suite on PostgreSQL too."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from django.db import connection

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the city profile runs on PostgreSQL only"
    ),
]


def seed_small_demo():
    """The demo's content without its two years of history (the builder's base, smaller)."""
    from dragoer.demo import frivillig_blocks as one_door
    from dragoer.demo.installed import demo_modules

    out = io.StringIO()
    _admin, hub, section = one_door.seed(out, admin_password="city-profile")
    for module in demo_modules():
        if module is not one_door:
            module.seed(out)
    one_door.task_cards(hub, section)


def test_every_page_of_the_profile_answers_alike_at_one_and_two_times_the_data():
    from django.contrib.auth import get_user_model
    from django.test import Client

    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    import city

    seed_small_demo()
    pages = city.discover_pages()
    names = {page.name for page in pages}
    for expected in ("hub", "directory", "calendar month", "event", "exchange post", "course"):
        assert expected in names, expected
    assert any(page.user for page in pages)
    clients = {None: Client()}
    for username in {page.user for page in pages if page.user}:
        clients[username] = Client()
        clients[username].force_login(get_user_model().objects.get(username=username))

    def visit():
        answers = {}
        for page in pages:
            city.fetch(clients[page.user], page)  # warm: the session's bookkeeping, caches
            status, _seconds, queries = city.fetch(clients[page.user], page)
            answers[page.name] = (status, queries)
        return answers

    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    from frivillig_blocks.models import SearchEntry
    from kalender.models import EventDetails

    def indexed() -> tuple[int, int]:
        """The events' rows in Wagtail's index and in the entries the site search keeps
        beside it (what a hit shows: without it a hit is made from its object)."""
        type_id = ContentType.objects.get_for_model(EventDetails).pk
        return (
            IndexEntry.objects.filter(content_type_id=type_id).count(),
            SearchEntry.objects.filter(content_type_id=type_id).count(),
        )

    events = EventDetails.objects.count()
    small_index = indexed()
    assert small_index[1] > 0
    small = visit()
    city.multiply(2)
    assert EventDetails.objects.count() == 2 * events
    assert indexed() == (2 * small_index[0], 2 * small_index[1])
    large = visit()
    assert {name: status for name, (status, _q) in small.items() if status != 200} == {}
    assert {name: status for name, (status, _q) in large.items() if status != 200} == {}
    exports = {page.name for page in pages if page.export}  # streamed by chunks of rows
    by_name = {page.name: page for page in pages}
    differ = {
        name: (small[name][1], large[name][1])
        for name in small
        if name not in exports
        and not city.queries_alike(by_name[name], small[name][1], large[name][1])
    }
    assert differ == {}
