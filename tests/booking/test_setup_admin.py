"""Setting up institutions and resources in the Wagtail admin: the coordinator changes a
rule there and the manual changes; a leader has no access to the setup."""

import datetime as dt

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from booking.models import Resource
from frivillig_blocks import roles

from ..factories import UserFactory


def resource_form(resource, **overrides):
    data = {
        "institution": resource.institution_id,
        "kind": resource.kind,
        "active": "on",
        "name": resource.name,
        "slug": resource.slug,
        "description": "",
        "capacity": resource.capacity or "",
        "fire_capacity": resource.fire_capacity or "",
        "features": "",
        "quantity": resource.quantity,
        "lendable_alone": "on",
        "opening_hours": inline_formset(
            [
                {"id": h.pk, "weekday": h.weekday, "opens": "08:00", "closes": "22:00"}
                for h in resource.opening_hours.all()
            ],
            initial=resource.opening_hours.count(),
        ),
        "photos": inline_formset([]),
        "min_notice_hours": "",
        "max_advance_days": "",
        "min_duration_minutes": "",
        "max_duration_minutes": "",
        "buffer_minutes": "",
        "max_loans_per_month": "",
        "who_may_borrow": "",
        "approval": "",
        "cancellation_deadline_hours": "",
        "pickup_times": "",
        "return_times": "",
        "deposit_text": "",
        "condition_check": "unknown",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_the_coordinator_changes_a_rule_in_the_admin_and_the_manual_changes(
    client, world, booking_page
):
    coordinator = UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])
    client.force_login(coordinator)
    assert (
        "Fra 30 minutter til 4 timer ad gangen." in client.get("/frivillig/laan/").content.decode()
    )
    url = f"/admin/laan-ressourcer/edit/{world.hall.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, resource_form(world.hall, max_duration_minutes="90", buffer_minutes="15")
    )
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    hall = Resource.objects.get(pk=world.hall.pk)
    assert hall.max_duration_minutes == 90 and hall.buffer_minutes == 15
    assert hall.opening_hours.count() == 7 and hall.opening_hours.first().opens == dt.time(8)
    html = client.get("/frivillig/laan/").content.decode()
    assert "Fra 30 minutter til 1 time og" not in html
    assert "Fra 30 minutter til 90 minutter ad gangen. 15 minutter mellem to lån." in html


def test_a_leader_cannot_open_the_setup(client, world):
    client.force_login(world.leader)
    assert client.get(f"/admin/laan-ressourcer/edit/{world.hall.pk}/").status_code in (302, 403)
    assert client.get("/admin/laan-institutioner/").status_code in (302, 403)


def test_reserved_slugs_are_refused(world):
    import pytest
    from django.core.exceptions import ValidationError

    world.library.slug = "kvittering"
    with pytest.raises(ValidationError):
        world.library.full_clean()
    world.hall.slug = "anmod"
    with pytest.raises(ValidationError):
        world.hall.full_clean()


def test_the_settings_are_checked(settings):
    from booking.checks import check_settings

    assert check_settings() == []
    settings.BOOKING_RETENTION_DAYS = "two years"
    settings.BOOKING_OVERDUE_GRACE_HOURS = -1
    errors = check_settings()
    assert [e.id for e in errors] == ["booking.E001", "booking.E002"]
    assert "BOOKING_RETENTION_DAYS must be a whole number" in errors[0].msg


def test_the_setup_views_open_for_the_coordinator(client, world):
    from booking.models import Closure

    closure = Closure.objects.create(
        institution=world.library,
        start_date=dt.date(2026, 12, 23),
        end_date=dt.date(2027, 1, 2),
        reason="Juleferie",
    )
    client.force_login(UserFactory(username="koordinator2", groups=[roles.FRIVILLIGKOORDINATOR]))
    for url in [
        "/admin/laan-institutioner/",
        f"/admin/laan-institutioner/edit/{world.library.pk}/",
        "/admin/laan-ressourcer/",
        "/admin/laan-ressourcer/new/",
        "/admin/laan-lukninger/",
        f"/admin/laan-lukninger/edit/{closure.pk}/",
        "/admin/laan-erklaeringer/",
        f"/admin/laan-erklaeringer/edit/{world.children_declaration.pk}/",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_resource_with_loans_is_not_deleted_but_explained(client, world):
    """Deleting a room that loans point to (a protected key) answered 500; the coordinator
    now gets a Danish message, and the room, its loans and the history stay as they were."""
    from wagtail.models import ModelLogEntry

    from booking import services
    from booking.models import Loan

    from .conftest import make_request

    services.request_loan(user=world.member, req=make_request(world))
    coordinator = UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])
    client.force_login(coordinator)
    logged = ModelLogEntry.objects.count()
    url = f"/admin/laan-ressourcer/delete/{world.hall.pk}/"
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "kan ikke slettes" in response.content.decode()
    assert Resource.objects.filter(pk=world.hall.pk).exists()
    assert Loan.objects.count() == 1 and ModelLogEntry.objects.count() == logged
