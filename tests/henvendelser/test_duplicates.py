"""The same incoming mail is stored once: sequentially, and when two deliveries race."""

import threading

import pytest
from django.db import close_old_connections, connection

from henvendelser.models import Inquiry, InquiryMessage
from henvendelser.services import receive_message

ON_POSTGRES = connection.vendor == "postgresql"


def deliver(**overrides):
    return receive_message(
        **{
            "sender_email": "karen@example.org",
            "sender_name": "Karen",
            "subject": "Lån af lokale",
            "text": "Hej",
            "recipient": "frivillig@dragoer.test",
            "message_id": "<samme@mail.example.org>",
            "sender_verified": True,
            **overrides,
        }
    )


@pytest.mark.django_db
def test_the_same_message_id_twice_is_one_message():
    first = deliver()
    assert deliver().pk == first.pk
    assert InquiryMessage.objects.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1


@pytest.mark.django_db
def test_someone_elses_message_id_is_kept_as_its_own_inquiry():
    first = deliver()
    forged = deliver(sender_email="fremmed@example.org", text="Fremmed")
    assert forged.inquiry_id != first.inquiry_id
    assert forged.body_text == "Fremmed"
    assert Inquiry.objects.count() == 2


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_racing_make_one_message():
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            results.append(deliver().pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    assert InquiryMessage.objects.filter(kind=InquiryMessage.Kind.INCOMING).count() == 1
    assert Inquiry.objects.count() == 1
