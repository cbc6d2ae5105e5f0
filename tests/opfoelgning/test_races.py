"""Issue #18, item 3: the feedback form on every page of the volunteer section, sent 8 times
at once with the same page's hidden key, stores one answer. Real concurrent connections
(PostgreSQL)."""

import re

import pytest
from django.test import Client

from opfoelgning.models import Feedback
from tests.races import ON_POSTGRES, one_result, same_post

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
URL = "/mine-sider/feedback/"


def feedback_key(html: str) -> str:
    box = html[html.index('class="feedback__form"') :]
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', box).group(1)


def test_eight_identical_feedback_answers_store_one(site_tree):
    html = Client().get("/frivillig/").content.decode()
    data = {
        "answer": "nej",
        "comment": "Jeg fandt ikke åbningstiderne",
        "page": site_tree.hub.pk,
        "next": "/frivillig/",
        "submission_key": feedback_key(html),
    }
    one_result(same_post(URL, data))
    assert Feedback.objects.count() == 1
