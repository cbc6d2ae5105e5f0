"""The prize in the site search: its pages are searched as pages; its published rounds (the
current one on the prize page, announced ones in the archive) by their own text only,
never by a nominee's, nominator's or jury member's name or a motivation."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from wagtail.search.backends import get_search_backend

from frivillig_blocks.search import engine
from frivillig_blocks.search.sources import search_sources

from .conftest import make_nomination, round_in_phase

pytestmark = pytest.mark.django_db


def search(query):
    """What the public finds for ``query`` among the prize rounds: the site search's hits
    of that kind (frivillig_blocks.search.engine, the Danish backend and vocabulary)."""
    return engine.search(RequestFactory().get("/soeg/"), query, kind="prize_rounds").hits


def test_the_current_round_leads_to_the_prize_page_and_earlier_ones_to_the_archive(prize_pages):
    base = prize_pages[0].url
    announced = round_in_phase("announced", year=2024, slug="initiativprisen-2024")
    current = round_in_phase("nominations", rules="<p>Alle kan indstille en ildsjæl.</p>")
    hits = {hit.title: hit for hit in search("initiativprisen")}
    assert hits[str(current)].url == base
    assert hits[str(current)].summary == "Alle kan indstille en ildsjæl."
    assert hits[str(current)].date == current.announcement_at
    assert hits[str(announced)].url == f"{base}arkiv/initiativprisen-2024/"
    assert hits[str(announced)].date is None
    assert [hit.title for hit in search("ildsjæl")] == [str(current)]


def test_an_unpublished_round_is_not_found(prize_pages):
    round_in_phase("nominations", live=False, prize_name="Ildsjæleprisen")
    assert search("ildsjæleprisen") == []


def test_nominees_nominators_and_motivations_are_never_found(prize_pages):
    round = round_in_phase("announced")
    winner = make_nomination(
        round,
        nominee_name="Karen Kajsen",
        nominator_name="Ib Ibsen",
        motivation="Har drevet lektiecafé i ti år.",
    )
    round.winner = winner
    round.save()
    assert search("initiativprisen")
    for detail in ("Kajsen", "Ibsen", "lektiecafé", "nominee0@example.org"):
        assert search(detail) == [], detail


def test_hits_take_a_constant_number_of_queries(prize_pages, django_assert_max_num_queries):
    source = next(source for source in search_sources() if source.key == "prize_rounds")
    request = RequestFactory().get("/soeg/")
    for year in (2020, 2021):
        round_in_phase("announced", year=year, slug=f"prisen-{year}")
    objects = list(get_search_backend().search("initiativprisen", source.queryset()))
    with django_assert_max_num_queries(5) as few:
        assert len(source.hits(request, objects)) == 2
    for year in range(2010, 2020):
        round_in_phase("announced", year=year, slug=f"prisen-{year}")
    objects = list(get_search_backend().search("initiativprisen", source.queryset()))
    with django_assert_max_num_queries(len(few)):
        assert len(source.hits(request, objects)) == 12
