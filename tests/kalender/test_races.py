"""Issue #18, item 3: the event form sent 8 times at once (the same page, the same hidden
one-time key) makes one event, and every duplicate lands on the same page. Real concurrent
connections (PostgreSQL)."""

import re

import pytest
from django.test import Client

from kalender.models import EventDetails
from tests.races import ON_POSTGRES, one_result, same_post

from .test_form import URL, form_data

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_eight_identical_events_store_one(calendar_page, member, association, trusted):
    client = Client()
    client.force_login(member)
    html = client.get(URL).content.decode()
    key = re.search(r'name="notice_key" value="([0-9a-f-]{36})"', html).group(1)
    one_result(same_post(URL, form_data(association, notice_key=key), user=member))
    assert EventDetails.objects.count() == 1
