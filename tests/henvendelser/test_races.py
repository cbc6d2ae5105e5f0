"""Issue #18, item 3: 8 identical parallel POSTs of the contact form store one inquiry with
one message, and every duplicate gets the same thank-you; a double submit does not use up
the sender's allowance of messages. Real concurrent connections (PostgreSQL) for the race."""

import pytest
from django.test import Client

from henvendelser.models import Inquiry, InquiryMessage
from tests.races import ON_POSTGRES, one_result, same_post

from .test_contact_form import POST, contact_page, form_data  # noqa: F401  (a fixture)


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_identical_contact_messages_store_one(contact_page):  # noqa: F811
    one_result(same_post(POST, form_data(contact_page)))
    assert Inquiry.objects.count() == 1
    assert InquiryMessage.objects.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1


@pytest.mark.django_db
def test_a_double_submit_uses_no_second_allowance(contact_page, settings):  # noqa: F811
    """Two messages an hour: the same form sent three times is one message, and a second,
    different message is still let through."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "henvendelser_contact": "2/h/ip",
    }
    client = Client()
    data = form_data(contact_page)
    assert [client.post(POST, data).status_code for _i in range(3)] == [302, 302, 302]
    assert client.post(POST, form_data(contact_page, subject="Et andet emne")).status_code == 302
    assert Inquiry.objects.count() == 2
    assert client.post(POST, form_data(contact_page, subject="Et tredje")).status_code == 429
