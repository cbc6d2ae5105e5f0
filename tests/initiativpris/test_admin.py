"""Rounds are edited in the Wagtail admin: phases, model, jury and sponsors (inline)."""

import datetime

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from frivillig_blocks import roles
from initiativpris.models import PrizeRound

from ..factories import UserFactory

ADD = "/admin/initiativpris/runder/new/"


@pytest.fixture
def editor(db):
    return UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])


def round_form(**overrides):
    data = {
        "prize_name": "Kultur- og Idrætsprisen",
        "slug": "kultur-og-idraetsprisen-2027",
        "year": 2027,
        "amount": 15000,
        "decision_model": "shortlist_vote",
        "live": "on",
        "rules": rich_text("<p>Alle kan indstille.</p>"),
        "nominations_open": "2027-03-01 10:00",
        "nominations_close": "2027-06-01 12:00",
        "vote_open": "2027-08-01 10:00",
        "vote_close": "2027-09-10 12:00",
        "announcement_at": "2027-09-24 17:00",
        "ceremony_place": "Rådhuset",
        "frivillig_fredag_override": "",
        "max_nominations_per_nominator": 1,
        "sponsors": inline_formset(
            [{"name": "Dragør Sparekasse", "url": "https://example.org/", "logo": ""}]
        ),
    }
    jury = overrides.pop("jury", [])
    data.update(overrides)
    flat = nested_form_data(data)
    flat["jury"] = jury  # a multiple choice: a list of values, not nested fields
    return flat


def test_an_editor_creates_a_round_with_sponsors_and_jury(client, editor):
    juror = UserFactory(username="borgmester")
    assert not juror.has_perm("wagtailadmin.access_admin")
    client.force_login(editor)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, round_form(jury=[juror.pk]))
    assert response.status_code == 302, response.content.decode()[-2000:]
    round = PrizeRound.objects.get()
    assert round.frivillig_fredag == datetime.date(2027, 9, 24)
    assert [s.name for s in round.sponsors.all()] == ["Dragør Sparekasse"]
    assert list(round.jury.all()) == [juror]
    # The jury member gets admin access (the jury group) to score.
    juror = type(juror).objects.get(pk=juror.pk)
    assert juror.groups.filter(name="Initiativpris-jury").exists()
    assert juror.has_perm("wagtailadmin.access_admin")


def test_dates_out_of_order_are_refused_in_the_admin(client, editor):
    client.force_login(editor)
    response = client.post(ADD, round_form(vote_open="", nominations_close="2027-02-01 10:00"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indstillingerne skal lukke, efter de åbner." in html
    assert "En runde med afstemning skal have datoer for afstemningen." in html
    assert not PrizeRound.objects.exists()


def test_a_juror_cannot_edit_rounds(client, db):
    juror = UserFactory(username="borgmester", groups=["Initiativpris-jury"])
    client.force_login(juror)
    response = client.post(ADD, round_form())
    assert response.status_code in (302, 403)
    assert not PrizeRound.objects.exists()


def test_a_juror_added_when_the_round_is_edited_gets_admin_access(client, editor):
    first = UserFactory(username="borgmester")
    later = UserFactory(username="kulturchef")
    client.force_login(editor)
    assert client.post(ADD, round_form(jury=[first.pk])).status_code == 302
    round = PrizeRound.objects.get()
    response = client.post(
        f"/admin/initiativpris/runder/edit/{round.pk}/", round_form(jury=[first.pk, later.pk])
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert set(round.jury.all()) == {first, later}
    later = type(later).objects.get(pk=later.pk)
    assert later.groups.filter(name="Initiativpris-jury").exists()
    assert later.has_perm("wagtailadmin.access_admin")


def test_saving_a_round_outside_the_admin_changes_no_group(db):
    """Group membership is the service's decision, not a side effect of ``save()``."""
    from initiativpris import services

    juror = UserFactory(username="borgmester")
    round = PrizeRound.objects.create(
        prize_name="Kultur- og Idrætsprisen",
        slug="kultur-og-idraetsprisen-2027",
        year=2027,
        decision_model="jury",
        nominations_open=datetime.datetime(2027, 3, 1, 10, tzinfo=datetime.UTC),
        nominations_close=datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC),
        announcement_at=datetime.datetime(2027, 9, 24, 17, tzinfo=datetime.UTC),
    )
    round.jury.add(juror)
    round.save()
    assert not juror.groups.exists()
    assert services.give_jury_admin_access(round=round) == 1
    assert list(juror.groups.values_list("name", flat=True)) == ["Initiativpris-jury"]
    assert services.give_jury_admin_access(round=round) == 0
