"""allauth's per-address limits hold for every spelling of one mailbox (#18): a login code
(3 a minute per address) and a password reset (5 a minute) are counted on the canonical
identity too, while other people's addresses keep their own allowance."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

SPELLINGS = [
    "anna.hansen@gmail.com",
    "AnnaHansen@gmail.com",
    "anna.hansen+kalender@googlemail.com",
    "a.n.n.a.hansen@GMAIL.com",
    "annahansen+x@gmail.com",
    "ANNA.HANSEN@googlemail.com",
    "Anna.Hansen+2@Gmail.Com",
]


def _request_code(email):
    """From a fresh session each time, as an attacker would (a session with a code on its
    way is sent on to the code's confirmation)."""
    return Client().post(reverse("account_request_login_code"), {"email": email})


def _refused(response) -> bool:
    return response.status_code == 200 and "for mange" in response.content.decode().lower()


@pytest.mark.django_db
def test_a_login_code_is_limited_per_mailbox_under_any_spelling():
    UserFactory(email="annahansen@gmail.com")
    answers = [_refused(_request_code(email)) for email in SPELLINGS[:5]]
    # Three codes a minute for the mailbox; the fourth and fifth spelling are refused.
    assert answers == [False, False, False, True, True]
    # Someone else still gets a code.
    assert not _refused(_request_code("bo@eksempel.dk"))


@pytest.mark.django_db
def test_a_password_reset_is_limited_per_mailbox_under_any_spelling(client):
    UserFactory(email="annahansen@gmail.com")
    url = reverse("account_reset_password")
    answers = []
    for email in SPELLINGS[:7]:
        response = client.post(url, {"email": email})
        answers.append(
            response.status_code == 200 and "Prøv igen om et minut" in response.content.decode()
        )
    assert answers == [False] * 5 + [True] * 2
    assert client.post(url, {"email": "bo@eksempel.dk"}).status_code == 302


@pytest.mark.django_db
def test_an_address_with_an_invisible_character_gets_no_code(mailoutbox):
    UserFactory(email="annahansen@gmail.com")
    response = _request_code("annahansen@gmail\u00ad.com")
    assert response.status_code == 200
    assert "usynligt tegn" in response.content.decode()
    assert mailoutbox == []
