"""Loans in the site search: institutions, rooms and equipment as the loans section shows
them; a resource that cannot be borrowed is not found; a loan, its borrower and an
institution's leaders never are."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from wagtail.search.backends import get_search_backend

from booking import services
from booking.models import Resource
from frivillig_blocks.models import SearchWord
from frivillig_blocks.search import engine
from frivillig_blocks.search.sources import search_sources

from .conftest import make_request

pytestmark = pytest.mark.django_db


def source(key):
    return next(source for source in search_sources() if source.key == key)


def search(key, query):
    """What the public finds for ``query`` in one kind (institutions, rooms, equipment): the
    site search's hits of that kind (frivillig_blocks.search.engine)."""
    return engine.search(RequestFactory().get("/soeg/"), query, kind=key).hits


def found_anywhere(query):
    return [
        hit.title for key in ("institutions", "rooms", "equipment") for hit in search(key, query)
    ]


def test_institutions_rooms_and_equipment_are_found_with_their_pages(booking_page, world):
    world.library.description = "Byens bibliotek med mødelokaler og café."
    world.library.save()
    world.hall.description = "Stor sal med scene og plads til foredrag."
    world.hall.save()
    [institution] = search("institutions", "bibliotek")
    assert institution.title == "Biblioteket"
    assert institution.url == "/frivillig/laan/biblioteket/"
    assert institution.summary == "Byens bibliotek med mødelokaler og café."
    [room] = search("rooms", "salen")
    assert room.url == "/frivillig/laan/biblioteket/salen/"
    assert room.summary == "Stor sal med scene og plads til foredrag."
    assert [hit.title for hit in search("rooms", "foredrag")] == ["Salen"]
    [equipment] = search("equipment", "lydanlæg")
    assert equipment.url == "/frivillig/laan/biblioteket/lydanlaeg/"
    assert equipment.summary == "Lydanlæg, Biblioteket"
    assert search("equipment", "salen") == []  # a room is not equipment
    assert search("rooms", "lydanlæg") == []


def test_a_resource_that_cannot_be_borrowed_is_not_found(booking_page, world):
    assert [hit.title for hit in search("rooms", "gymnastiksalen")] == ["Gymnastiksalen"]
    world.gym.active = False
    world.gym.save()
    assert search("rooms", "gymnastiksalen") == []


def test_a_new_room_is_found_at_once(booking_page, world):
    Resource.objects.create(
        institution=world.school, kind=Resource.Kind.ROOM, name="Musiklokalet", slug="musik"
    )
    assert [hit.title for hit in search("rooms", "musiklokalet")] == ["Musiklokalet"]


def test_borrowers_loans_and_leaders_are_never_found(booking_page, world):
    world.library.email = "lise.leder@example.org"
    world.library.save()
    services.request_loan(
        user=world.member,
        req=make_request(
            world, title="Spejdermøde", responsible_name="Rasmus Rødgaard", description="Ulve"
        ),
    )
    details = (
        "Rødgaard",
        "Rasmus",
        "12345678",
        "Spejdermøde",
        "Ulve",
        "Medlem",  # the borrower's (member's) last name
        "Leder",  # the library leader's last name
        "lise.leder@example.org",  # the institution's address
    )
    for detail in details:
        assert found_anywhere(detail) == [], detail
    # Nor are they words of the search's vocabulary ("Mente du", suggestions).
    for detail in ("rødgaard", "rasmus", "spejdermøde", "ulve", "medlem", "leder", "lise"):
        assert not SearchWord.objects.filter(word=detail).exists(), detail


def test_hits_take_a_constant_number_of_queries(booking_page, world, django_assert_max_num_queries):
    request = RequestFactory().get("/soeg/")
    for i in range(2):
        Resource.objects.create(
            institution=world.library, kind=Resource.Kind.EQUIPMENT, name="Stol", slug=f"s{i}"
        )
    objects = list(get_search_backend().search("stol", source("equipment").queryset()))
    with django_assert_max_num_queries(4) as few:
        assert len(source("equipment").hits(request, objects)) == 2
    for i in range(2, 12):
        Resource.objects.create(
            institution=world.school, kind=Resource.Kind.EQUIPMENT, name="Stol", slug=f"s{i}"
        )
    objects = list(get_search_backend().search("stol", source("equipment").queryset()))
    with django_assert_max_num_queries(len(few)):
        assert len(source("equipment").hits(request, objects)) == 12
