"""Issue #18, item 3: 8 identical parallel POSTs of the nomination form and of the vote form
store one row, and every duplicate gets the same result page; the counts per nominator and
per voter are taken under the round's lock. Real concurrent connections (PostgreSQL)."""

import uuid

import pytest

from initiativpris.models import Nomination, Vote
from tests.races import ON_POSTGRES, key_of, one_result, same_post

from .conftest import make_nomination, round_in_phase

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
NOMINATE = "/frivillig/initiativpris/indstil/"
VOTE = "/frivillig/initiativpris/stem/"


def nomination_form(key):
    return {
        "nominee_kind": "person",
        "nominee_name": "Karen Holm",
        "nominee_email": "karen@example.org",
        "motivation": "Karen har i ti år drevet lektiecafé for børn og unge i Dragør.",
        "nominator_name": "Ole Hansen",
        "nominator_email": "ole@example.org",
        "submission_key": key,
    }


def test_eight_identical_nominations_store_one(client, prize_pages, mailoutbox):
    round_in_phase("nominations")
    key = key_of(client.get(NOMINATE))
    one_result(same_post(NOMINATE, nomination_form(key)))
    assert Nomination.objects.count() == 1
    assert len([m for m in mailoutbox if "ole@example.org" in m.to]) == 1


def test_eight_nominations_with_new_keys_hold_the_pending_limit(prize_pages, settings):
    """Different keys are different submissions: the pending count per nominator is taken
    under the round's lock, so parallel ones cannot all pass it."""
    settings.INITIATIVPRIS_MAX_PENDING_PER_ADDRESS = 3
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "initiativpris_nominate": "100/h/ip",
    }
    round_in_phase("nominations")
    from django.test import Client

    from tests.races import parallel

    clients = [Client() for _i in range(8)]
    responses = parallel(8, lambda i: clients[i].post(NOMINATE, nomination_form(str(uuid.uuid4()))))
    assert sorted(r.status_code for r in responses) == [302] * 3 + [400] * 5
    assert Nomination.objects.count() == 3


def test_eight_identical_votes_store_one(client, prize_pages, mailoutbox):
    round = round_in_phase("vote")
    candidate = make_nomination(round, shortlisted=True)
    key = key_of(client.get(VOTE))
    data = {"nomination": candidate.pk, "email": "vaelger@example.org", "submission_key": key}
    one_result(same_post(VOTE, data))
    assert Vote.objects.count() == 1
    assert len([m for m in mailoutbox if "vaelger@example.org" in m.to]) == 1
