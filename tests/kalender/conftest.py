"""Fixtures of the calendar's tests: the calendar page below the hub, places, organisers
and a helper that creates events through the service (as the form does)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import wagtail_factories

from frivillig_blocks import roles
from frivillig_blocks.models import AgeGroup
from kalender.models import CalendarPage, TrustedOrganiser
from kalender.services import EventData, save_event

from ..factories import PlaceFactory

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


class CalendarPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CalendarPage

    title = "Kalender"
    slug = "kalender"


def local(year, month, day, hour=19, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=CPH)


@pytest.fixture
def calendar_page(site_tree):
    return CalendarPageFactory(parent=site_tree.hub)


@pytest.fixture
def place(db):
    return PlaceFactory(name="Medborgerhuset")


@pytest.fixture
def place_factory(db):
    return PlaceFactory


@pytest.fixture
def reviewer(user_factory):
    return user_factory(username="kommunikator", groups=[roles.KOMMUNIKATOERER])


@pytest.fixture
def member(user_factory, association_factory, membership_factory):
    association = association_factory(name="Dragør Strikkeklub", slug="strik")
    user = user_factory(username="medlem", first_name="Mette", last_name="Madsen")
    membership_factory(user=user, association=association)
    return user


@pytest.fixture
def association(member):
    return member.association_memberships.get().association


@pytest.fixture
def trusted(association):
    return TrustedOrganiser.objects.create(association=association)


@pytest.fixture
def seniors(db):
    return AgeGroup.objects.get(code="seniorer")


@pytest.fixture
def make_event(db):
    """Create an event through the service; published at once when ``user`` is a reviewer."""

    def make(user, **kwargs):
        start = kwargs.pop("start", local(2026, 3, 4, 19))
        end = kwargs.pop("end", start + datetime.timedelta(hours=2))
        if "place" in kwargs:
            place = kwargs.pop("place")
            kwargs["place_id"] = place.pk if place else None
        if not kwargs.get("place_id") and not kwargs.get("address"):
            kwargs["address"] = "Strandlinien 1, 2791 Dragør"
        kwargs.setdefault("title", "Arrangement")
        data = EventData(start=start, end=end, **kwargs)
        return save_event(user=user, data=data)

    return make
