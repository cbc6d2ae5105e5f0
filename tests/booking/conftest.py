"""Fixtures of the loans app: a library with a hall (capacity 40, open 8–22 every day, at
most 4 hours) and 8 tables, a leader, another institution with its own leader, a member of
a live association, and the loans page below the hub."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from booking import rules as R
from booking import services
from booking.models import BookingIndexPage, Declaration, Institution, OpeningHours, Resource
from frivillig_blocks import roles
from frivillig_blocks.models import MembershipRole

from ..factories import AssociationFactory, MembershipFactory, PlaceFactory, UserFactory

CPH = ZoneInfo("Europe/Copenhagen")


def local(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


def next_weekday(weekday: int, weeks_ahead: int = 1) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


@dataclass
class World:
    library: Institution
    school: Institution
    hall: Resource
    tables: Resource
    sound: Resource
    gym: Resource
    leader: object
    other_leader: object
    member: object
    association: object
    children_declaration: Declaration


def make_world() -> World:
    leader = UserFactory(
        username="leder", first_name="Lise", last_name="Leder", groups=[roles.INSTITUTIONSLEDERE]
    )
    other_leader = UserFactory(username="skoleleder", groups=[roles.INSTITUTIONSLEDERE])
    library = Institution.objects.create(
        name="Biblioteket",
        slug="biblioteket",
        place=PlaceFactory(name="Biblioteket"),
        email="bibliotek@example.org",
        max_duration_minutes=240,
    )
    library.leaders.add(leader)
    school = Institution.objects.create(
        name="Skolen", slug="skolen", place=PlaceFactory(name="Skolen")
    )
    school.leaders.add(other_leader)
    children = Declaration.objects.create(
        title="Børneattest",
        text="Vi har indhentet børneattest for alle voksne.",
        condition=R.CHILDREN,
    )
    library.declarations.add(children)
    hall = Resource.objects.create(
        institution=library,
        kind=Resource.Kind.ROOM,
        name="Salen",
        slug="salen",
        capacity=40,
        fire_capacity=60,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(resource=hall, weekday=d, opens=dt.time(8), closes=dt.time(22))
        for d in range(7)
    )
    tables = Resource.objects.create(
        institution=library,
        kind=Resource.Kind.EQUIPMENT,
        name="Borde",
        slug="borde",
        quantity=8,
        condition_check=True,
        pickup_times="Hverdage 9–15",
    )
    sound = Resource.objects.create(
        institution=library,
        kind=Resource.Kind.EQUIPMENT,
        name="Lydanlæg",
        slug="lydanlaeg",
        quantity=1,
        lendable_alone=False,
    )
    gym = Resource.objects.create(
        institution=school, kind=Resource.Kind.ROOM, name="Gymnastiksalen", slug="gym", capacity=100
    )
    association = AssociationFactory(name="Dragør Spejderne", live=True)
    member = UserFactory(username="medlem", first_name="Mads", last_name="Medlem")
    MembershipFactory(user=member, association=association, role=MembershipRole.ADMIN)
    return World(
        library,
        school,
        hall,
        tables,
        sound,
        gym,
        leader,
        other_leader,
        member,
        association,
        children,
    )


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def booking_page(site_tree) -> BookingIndexPage:
    page = BookingIndexPage(
        title="Lån af lokaler og udstyr", slug="laan", intro="<p>Kommunen låner gerne ud.</p>"
    )
    site_tree.hub.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_request(world, *, items=None, slots=None, **overrides) -> services.LoanRequest:
    if slots is None:
        day = next_weekday(1)
        slots = [
            (
                dt.datetime.combine(day, dt.time(17), tzinfo=CPH),
                dt.datetime.combine(day, dt.time(19), tzinfo=CPH),
            )
        ]
    values = {
        "items": items if items is not None else [(world.hall, 1)],
        "slots": slots,
        "title": "Spejdermøde",
        "purpose": "association",
        "participants": 20,
        "responsible_name": "Mads Medlem",
        "responsible_phone": "12345678",
        "association": world.association,
    }
    values.update(overrides)
    return services.LoanRequest(**values)


@pytest.fixture
def loan_request():
    return make_request
