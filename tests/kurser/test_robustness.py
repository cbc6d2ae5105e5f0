"""Input parsed at the edge (#18, item 4): the staff's attendance form takes ASCII ids
only ('²'.isdigit() is true), never a 500."""

import pytest
from django.urls import reverse

from kurser.models import Registration

from .test_admin import course_staff, full_session  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_strange_id_in_the_attendance_form_is_ignored(client, course_staff, full_session):  # noqa: F811
    client.raise_request_exception = False
    client.force_login(course_staff)
    anne = Registration.objects.get(email="anne@example.org")
    response = client.post(
        reverse("kurser_admin:attendance", args=[full_session.pk]),
        {"attended": [anne.pk, "²", "9" * 20]},
    )
    assert response.status_code == 302
    anne.refresh_from_db()
    assert anne.attended is True
