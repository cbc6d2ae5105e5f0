"""Input parsed at the edge (#18, item 4): a '²' or a 20-digit page id in the contact form
is a forged id like any other, not a 500."""

import pytest

from henvendelser.models import Inquiry

from .test_contact_form import POST, contact_page, form_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page_id", ["²", "9" * 20, "١"])
def test_a_strange_page_id_in_the_contact_form_falls_back_to_the_contact_page(
    client,
    contact_page,  # noqa: F811 (the fixture imported above)
    page_id,
):
    client.raise_request_exception = False
    response = client.post(POST, {**form_data(contact_page), "page": page_id})
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1
