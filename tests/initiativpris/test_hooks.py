"""The dashboard summary for editors, the personal-data download, the settings checks and
the periodic tasks."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from frivillig_blocks import personal_data, roles
from frivillig_blocks.scheduling import registered
from initiativpris.checks import check_settings
from initiativpris.models import JuryScore, Nomination

from ..factories import UserFactory
from .conftest import make_nomination, round_in_phase


def test_the_dashboard_counts_confirmed_nominations_for_editors_only(client, db):
    round = round_in_phase("nominations")
    for i in range(3):
        make_nomination(round, n=i)
    make_nomination(round, n=9, confirmed=False, slot=None)
    client.force_login(UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR]))
    assert "3 bekræftede indstillinger til" in client.get("/admin/").content.decode()
    client.force_login(UserFactory(username="juror", groups=["Initiativpris-jury"]))
    assert "bekræftede indstillinger" not in client.get("/admin/").content.decode()


def test_the_personal_data_download_has_nominations_and_jury_scores(db):
    round = round_in_phase("jury")
    user = UserFactory(username="ole", email="Ole@Example.org")
    nomination = make_nomination(round, nominator_email="ole+pris@example.org")
    JuryScore.objects.create(nomination=nomination, juror=user, score=4, comment="God")
    data = personal_data.export(user)
    assert data["initiativpris.jury"]["jury_scores"] == [
        {"nomination": nomination.nominee_name, "score": 4, "comment": "God"}
    ]
    # A nomination is found by the nominator's verified address.
    EmailAddress.objects.create(user=user, email="ole+pris@example.org", verified=True)
    data = personal_data.export(user)
    assert data["initiativpris.nominations"][0]["nominee"] == nomination.nominee_name
    empty = personal_data.export(UserFactory(username="ingen"))
    assert not any(key.startswith("initiativpris.") for key in empty)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("INITIATIVPRIS_LINK_MAX_AGE_HOURS", 0),
        ("INITIATIVPRIS_LINK_MAX_AGE_HOURS", "72"),
        ("INITIATIVPRIS_CONSENT_MAX_AGE_DAYS", 1000),
        ("INITIATIVPRIS_MAX_PENDING_PER_ADDRESS", True),
        ("INITIATIVPRIS_RETENTION_DAYS", 0),
        ("INITIATIVPRIS_VOTER_HMAC_KEY", "kort"),
        ("INITIATIVPRIS_VOTER_HMAC_KEY", 123),
    ],
)
def test_bad_settings_fail_the_system_check(settings, name, value):
    assert check_settings() == []
    setattr(settings, name, value)
    errors = check_settings()
    assert len(errors) == 1 and name in errors[0].msg


def test_retention_is_in_the_registry_not_in_tasks_of_its_own():
    names = {p.task for p in registered()}
    assert not any(name.startswith("initiativpris.") for name in names)
    keys = {source.key for source in personal_data.sources()}
    assert {"initiativpris.nominations", "initiativpris.votes"} <= keys


def test_unconfirmed_nominations_are_deleted_after_the_link_expired(db):
    round = round_in_phase("nominations")
    old = make_nomination(round, n=1, confirmed=False, slot=None)
    Nomination.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    fresh = make_nomination(round, n=2, confirmed=False, slot=None)
    kept = make_nomination(round, n=3)
    Nomination.objects.filter(pk=kept.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=50)
    )
    assert personal_data.expire()["initiativpris.nominations"] == 1
    assert set(Nomination.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
