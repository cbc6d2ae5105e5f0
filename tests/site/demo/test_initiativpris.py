"""The prize demo (site/dragoer/demo/initiativpris.py): a current round and two announced
ones, seeded once; and its history of rounds."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from dragoer.demo import initiativpris as demo
from frivillig_blocks.figures import Period, compute
from initiativpris.models import Nomination, PrizeRound, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_content_is_seeded_once(prize_pages):

    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    current = PrizeRound.objects.live().filter(announcement_at__gt=timezone.now()).get()
    assert current.nominations_are_open()
    earlier = PrizeRound.objects.announced()
    assert earlier.count() == 2
    assert all(r.winner is not None and r.winner.is_public for r in earlier)
    from initiativpris.models import FrivilligFredagPage, PrizePage

    assert PrizePage.objects.count() == 1 and FrivilligFredagPage.objects.count() == 1


def test_history_makes_believable_rounds_once():

    today = timezone.localdate()
    created = demo.history(today=today, months=24)
    assert 50 < created < 1000
    report = compute(Period.last_twelve_months(today))
    for key in (
        "initiativpris.nominations",
        "initiativpris.voters",
        "initiativpris.round_voters",
        "initiativpris.previous_round_voters",
        "initiativpris.turnout_change",
    ):
        figure = report.figure(key)
        assert figure.value, key
        assert figure.people, key
    assert Vote.objects.filter(voter_key__isnull=False).count() == 0
    assert not Nomination.objects.filter(created_at__gt=timezone.now()).exists()
    assert demo.history(today=today, months=24) == 0
