"""The date rule, the address normalisation, the phases and the round's own validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from initiativpris import rules, services
from initiativpris.models import PrizeRound

from .conftest import round_in_phase


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2026, datetime.date(2026, 9, 25)),
        (2027, datetime.date(2027, 9, 24)),
        (2030, datetime.date(2030, 9, 27)),
        (2025, datetime.date(2025, 9, 26)),
        (2022, datetime.date(2022, 9, 30)),  # the 30th itself is a Friday
    ],
)
def test_frivillig_fredag_is_the_last_friday_of_september(year, expected):
    assert rules.last_friday_of_september(year) == expected
    assert expected.weekday() == 4


@pytest.mark.django_db
def test_a_round_takes_the_rule_unless_the_date_is_set_by_hand():
    round = round_in_phase("nominations", year=2026, slug="r2026")
    assert round.frivillig_fredag == datetime.date(2026, 9, 25)
    round.frivillig_fredag_override = datetime.date(2026, 9, 18)
    round.save()
    assert PrizeRound.objects.get(pk=round.pk).frivillig_fredag == datetime.date(2026, 9, 18)
    round.year = 2027
    round.frivillig_fredag_override = None
    assert round.frivillig_fredag == datetime.date(2027, 9, 24)


@pytest.mark.parametrize(
    ("address", "normalised"),
    [
        ("Name+x@Example.com", "name@example.com"),
        ("  NAME@EXAMPLE.COM ", "name@example.com"),
        ("name+a+b@example.com", "name@example.com"),
        ("name@example.com", "name@example.com"),
    ],
)
def test_addresses_are_normalised(address, normalised):
    assert rules.normalise_email(address) == normalised


def test_the_voter_key_is_the_same_for_one_person_and_keyed_by_the_setting(settings):
    assert services.voter_key("Name+x@Example.com") == services.voter_key("name@example.com")
    assert services.voter_key("name@example.com") != services.voter_key("other@example.com")
    default = services.voter_key("name@example.com")
    assert "name" not in default and len(default) == 64
    settings.INITIATIVPRIS_VOTER_HMAC_KEY = "x" * 40
    assert services.voter_key("name@example.com") != default


@pytest.mark.django_db
@pytest.mark.parametrize(
    "phase", ["upcoming", "nominations", "jury", "vote", "counting", "announced"]
)
def test_the_phase_follows_the_dates(phase):
    assert round_in_phase(phase).phase() == phase


@pytest.mark.django_db
def test_a_jury_only_round_has_no_vote_phase():
    round = round_in_phase("vote", model="jury")
    assert round.phase() == "jury"
    assert not round.vote_is_open()


@pytest.mark.django_db
def test_dates_out_of_order_are_refused_in_danish():
    round = round_in_phase("nominations")
    round.nominations_close = round.nominations_open
    round.vote_open = None
    with pytest.raises(ValidationError) as info:
        round.full_clean()
    messages = info.value.message_dict
    assert messages["nominations_close"] == ["Indstillingerne skal lukke, efter de åbner."]
    assert "vote_open" in messages
