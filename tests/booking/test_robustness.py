"""Input parsed at the edge (#18, item 4): the loan form's ``?ressource=`` and the staff
figures' filters take ASCII ids only, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/frivillig/laan/"


@pytest.mark.parametrize("value", ["²", "9" * 20, "-1", "١٢"])
def test_a_strange_resource_in_the_loan_form_is_ignored(client, world, booking_page, value):
    client.raise_request_exception = False
    client.force_login(world.member)
    response = client.get(f"{URL}biblioteket/anmod/", {"ressource": value})
    assert response.status_code == 200
