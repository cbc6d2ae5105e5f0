"""Fixtures of the prize's tests: a round in a chosen phase, nominations in every state and
the two section pages below the hub."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from initiativpris import services
from initiativpris.models import (
    Consent,
    FrivilligFredagPage,
    Nomination,
    PrizePage,
    PrizeRound,
)

DAY = datetime.timedelta(days=1)


def round_in_phase(
    phase: str = "nominations", *, model="shortlist_vote", **overrides
) -> PrizeRound:
    """A published round whose dates put ``now`` in ``phase``."""
    now = timezone.now()
    offsets = {
        # phase: (nominations open, close, vote open, close, announcement) in days from now
        "upcoming": (2, 10, 20, 30, 40),
        "nominations": (-5, 10, 20, 30, 40),
        "jury": (-20, -5, 10, 20, 30),
        "vote": (-30, -20, -5, 5, 10),
        "counting": (-30, -20, -10, -5, 5),
        "announced": (-40, -30, -20, -10, -1),
    }[phase]
    values = {
        "prize_name": "Initiativprisen",
        "slug": f"initiativprisen-{now.year}-{phase}",
        "year": now.year,
        "amount": 10000,
        "rules": "<p>Alle kan indstille.</p>",
        "decision_model": model,
        "live": True,
        "nominations_open": now + offsets[0] * DAY,
        "nominations_close": now + offsets[1] * DAY,
        "vote_open": now + offsets[2] * DAY,
        "vote_close": now + offsets[3] * DAY,
        "announcement_at": now + offsets[4] * DAY,
        "ceremony_place": "Rådhuset",
    }
    values.update(overrides)
    round = PrizeRound(**values)
    round.full_clean()
    round.save()
    return round


def make_nomination(round, *, n=0, confirmed=True, consent=Consent.GIVEN, shortlisted=False, **kw):
    email = kw.pop("nominator_email", f"indstiller{n}@example.org")
    values = {
        "round": round,
        "nominee_kind": "person",
        "nominee_name": f"Nominee {n}",
        "nominee_email": f"nominee{n}@example.org",
        "motivation": "Har drevet lektiecafé i ti år for børn i kvarteret.",
        "nominator_name": f"Indstiller {n}",
        "nominator_email": email,
        "nominator_key": services.voter_key(email),
        "confirmed_at": timezone.now() if confirmed else None,
        "slot": 1 if confirmed else None,
        "consent": consent,
        "shortlisted": shortlisted,
    }
    values.update(kw)
    return Nomination.objects.create(**values)


@pytest.fixture
def prize_pages(site_tree):
    hub = site_tree.hub.specific
    prize = PrizePage(title="Initiativprisen", slug="initiativpris", intro="<p>Pris.</p>")
    hub.add_child(instance=prize)
    prize.save_revision().publish()
    day = FrivilligFredagPage(title="Frivillig Fredag", slug="frivillig-fredag")
    hub.add_child(instance=day)
    day.save_revision().publish()
    return prize, day


def link_in(message) -> str:
    """The path of the first link to the site in a mail's text."""
    match = re.search(r"https?://\S+", message.body)
    assert match, f"no link in mail:\n{message.body}"
    return urlparse(match.group(0)).path
