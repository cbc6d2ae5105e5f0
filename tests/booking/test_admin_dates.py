"""Admin dates in Danish (issue #21): the admin's date pickers show and read 24.12.2026,
for staff who keep the admin in Danish and for those who chose English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from booking.models import Closure
from frivillig_blocks import roles

from ..factories import UserFactory
from .conftest import make_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_closure_is_shown_and_saved_with_danish_dates(client, site_tree, language):
    world = make_world()
    coordinator = UserFactory(groups=[roles.FRIVILLIGKOORDINATOR])
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = language
    profile.save()
    client.force_login(coordinator)
    closure = Closure.objects.create(
        institution=world.library,
        start_date=dt.date(2026, 12, 24),
        end_date=dt.date(2026, 12, 27),
        reason="Jul",
    )
    edit = reverse("booking_closure:edit", args=[closure.pk])
    html = client.get(edit).content.decode()
    assert 'value="24.12.2026"' in html and 'value="27.12.2026"' in html
    response = client.post(
        edit,
        {
            "institution": world.library.pk,
            "resource": "",
            "start_date": "31.12.2026",
            "end_date": "02.01.2027",
            "reason": "Nytår",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    closure.refresh_from_db()
    assert (closure.start_date, closure.end_date) == (dt.date(2026, 12, 31), dt.date(2027, 1, 2))
    if language == "da":
        listing = client.get(reverse("booking_closure:index")).content.decode()
        assert "31. december 2026" in listing
