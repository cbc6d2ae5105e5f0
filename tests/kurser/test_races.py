"""Issue #18, item 3: 8 identical parallel POSTs of a public form store one row, and every
duplicate gets the same result page. Real concurrent connections (PostgreSQL)."""

import uuid

import pytest

from kurser.models import CompetenceNeed
from tests.races import ON_POSTGRES, key_of, one_result, same_post

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
URL = "/frivillig/kurser/"


def test_eight_identical_competence_needs_store_one(client, course_page):
    key = key_of(client.get(f"{URL}behov/"))
    data = {"description": "Førstehjælp for trænere", "audience": "staff", "submission_key": key}
    responses = same_post(f"{URL}behov/", data)
    one_result(responses)
    assert CompetenceNeed.objects.count() == 1


def test_competence_needs_with_different_keys_are_separate_answers(client, course_page):
    for _i in range(2):
        data = {"description": "Regnskab", "audience": "staff", "submission_key": uuid.uuid4()}
        assert client.post(f"{URL}behov/", data).status_code == 302
    assert CompetenceNeed.objects.count() == 2


def test_eight_identical_registrations_store_one_with_one_result_page(
    client, course_page, session_factory, user_factory
):
    from django.core import mail

    from kurser.models import Registration

    session = session_factory(capacity=5)
    person = user_factory(username="dobbeltklik", first_name="Karen", last_name="Holm")
    url = f"{URL}{session.course.slug}/hold/{session.pk}/tilmeld/"
    client.force_login(person)
    key = key_of(client.get(url))
    responses = same_post(url, {"who": "me", "submission_key": key}, user=person)
    one_result(responses)
    assert Registration.objects.filter(session=session).count() == 1
    assert len([m for m in mail.outbox if person.email in m.to]) == 1
