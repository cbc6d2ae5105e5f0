"""The prize in the personal data registry (#17, findings 8, 9 and 10): the data download
holds a person's nominations (made and about them), votes and pending confirmations;
"Slet konto" leaves nothing of theirs in the prize's tables while a counted vote still
counts once; confirmed nominations' nominator data go after INITIATIVPRIS_RETENTION_DAYS;
stored mails go with their records and never show a confirmation link to staff."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from frivillig_blocks import personal_data
from frivillig_blocks.models import OutboundMessage
from frivillig_blocks.personal_data import related_key
from initiativpris import exceptions, services
from initiativpris.models import Consent, Nomination, PrizeRound, Vote
from tests.helpers import last_mail_to

from ..factories import UserFactory
from ..personal_data_scan import personal_data_left
from .conftest import link_in, make_nomination, round_in_phase

NAME = ("Signe", "Skovgaard")
EMAIL = "signe.skovgaard@example.org"
PHONE = "+45 31 42 53 64"
VOTE_URL = "/frivillig/initiativpris/stem/"


def link(token):
    return f"http://testserver/link/{token}/"


def nominate(round, n, nominee="Karen Holm", nominee_email="karen@example.org", **extra):
    return services.nominate(
        round=round,
        data={
            "nominee_kind": "person",
            "nominee_name": nominee,
            "nominee_email": nominee_email,
            "motivation": f"{nominee} har i ti år drevet lektiecafé i kvarteret ({n}).",
            "nominator_name": extra.pop("nominator_name", " ".join(NAME)),
            "nominator_email": extra.pop("nominator_email", EMAIL),
        },
        link=link,
    )


def confirm(nomination):
    return services.confirm_nomination(
        token=services.make_token(nomination.pk, services.NOMINATION_SALT), consent_link=link
    )


@pytest.fixture
def world(client, prize_pages):
    person = UserFactory(username="signe", first_name=NAME[0], last_name=NAME[1], email=EMAIL)
    # The vote round is the page's current round (its nominations opened first).
    vote_round = round_in_phase("vote")
    ballot = [make_nomination(vote_round, n=i, shortlisted=True) for i in range(2)]
    response = client.post(
        VOTE_URL,
        {"submission_key": str(uuid.uuid4()), "nomination": ballot[0].pk, "email": EMAIL.upper()},
    )
    assert response.status_code == 302
    assert client.post(link_in(last_mail_to(EMAIL.upper()))).status_code == 200
    vote = Vote.objects.get(voter_key=services.voter_key(EMAIL))
    assert vote.confirmed_at is not None

    nominations_round = round_in_phase("nominations", max_nominations_per_nominator=3)
    consented = confirm(nominate(nominations_round, 1))
    services.answer_consent(
        token=services.make_token(consented.pk, services.CONSENT_SALT), consent=True
    )
    pending_consent = confirm(nominate(nominations_round, 2, "Jens Jul", "jens@example.org"))
    unconfirmed = nominate(nominations_round, 3, "Lis Lund", "lis@example.org")
    # Someone else nominated her; she has not answered.
    about_her = confirm(
        nominate(
            nominations_round,
            4,
            " ".join(NAME),
            EMAIL,
            nominator_name="Ole Hansen",
            nominator_email="ole@example.org",
        )
    )
    return {
        "person": person,
        "vote_round": vote_round,
        "ballot": ballot,
        "vote": vote,
        "nominations_round": nominations_round,
        "consented": consented,
        "pending_consent": pending_consent,
        "unconfirmed": unconfirmed,
        "about_her": about_her,
    }


def test_the_download_holds_her_nominations_votes_and_pending_confirmations(client, world):
    client.force_login(world["person"])
    data = json.loads(client.get("/mine-sider/data/").content)

    made = {n["nominee"]: n for n in data["initiativpris.nominations"]}
    assert set(made) == {"Karen Holm", "Jens Jul", "Lis Lund"}
    assert made["Karen Holm"]["nominator_email"] == EMAIL
    assert made["Karen Holm"]["motivation"].startswith("Karen Holm har i ti år")
    assert made["Karen Holm"]["nominee_consent"] == "given"
    assert made["Lis Lund"]["waiting_for_your_confirmation"] is True
    [about] = data["initiativpris.nominees"]
    assert about["nominee"] == " ".join(NAME) and about["consent"] == "pending"
    assert "nominator" not in about and "nominator_email" not in about  # another's data
    [vote] = data["initiativpris.votes"]
    assert vote["round"] == str(world["vote_round"]) and vote["counts"] is True
    # A secret ballot: whom she voted for is not in the file.
    assert world["ballot"][0].nominee_name not in json.dumps(data["initiativpris.votes"])


def test_slet_konto_leaves_nothing_of_hers_and_her_vote_counts_once(client, world):
    """Finding 8: erasure left personal data behind; the tally must not change."""
    records = [world[k] for k in ("vote", "consented", "pending_consent", "unconfirmed")]
    keys = [related_key(r) for r in [*records, world["about_her"]]]
    stored = OutboundMessage.objects.filter(related__in=keys).count()
    log(world["about_her"], "initiativpris.score", user=None, data={"score": 4})
    mail.outbox.clear()

    client.force_login(world["person"])
    assert client.post("/mine-sider/slet-konto/", {"email": EMAIL}).status_code == 302

    assert personal_data_left("initiativpris", *NAME, EMAIL, PHONE) == []
    assert mail.outbox == []  # nobody was mailed
    # The admin history keeps the score entry, without her name.
    [entry] = ModelLogEntry.objects.filter(action="initiativpris.score")
    assert NAME[1] not in entry.label
    # The mails tied to her nominations, her vote and the nomination about her are gone.
    assert stored >= 5
    assert not OutboundMessage.objects.filter(related__in=keys).exists()
    # The consented nomination stays in the competition, without its nominator.
    kept = Nomination.objects.get(pk=world["consented"].pk)
    assert kept.nominator_name == kept.nominator_email == "" and kept.motivation
    assert kept.consent == Consent.GIVEN and kept.slot == 1
    # Without the nominee's consent (or unconfirmed) a nomination of hers goes; one about her
    # that she never consented to goes too.
    for gone in ("pending_consent", "unconfirmed", "about_her"):
        assert not Nomination.objects.filter(pk=world[gone].pk).exists()
    # Her vote still counts, once: her address cannot vote again in the running round.
    assert Vote.objects.filter(pk=world["vote"].pk, confirmed_at__isnull=False).exists()
    with pytest.raises(exceptions.AlreadyVoted):
        services.request_vote(
            round=world["vote_round"], nomination_id=world["ballot"][1].pk, email=EMAIL, link=link
        )
    round = world["vote_round"]
    PrizeRound.objects.filter(pk=round.pk).update(
        vote_close=timezone.now() - datetime.timedelta(minutes=2),
        announcement_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    round.refresh_from_db()
    votes = {row["nomination"].pk: row["votes"] for row in services.tally(round)}
    assert votes == {world["ballot"][0].pk: 1, world["ballot"][1].pk: 0}


def test_retention_removes_nominators_and_voter_keys_after_the_round(db, prize_pages, settings):
    """Finding 10: confirmed nominations kept the nominator for ever; the retention runs in
    the registry (one place), with time moved forward."""
    from initiativpris import schedule

    assert schedule.PERIODIC_TASKS == []
    settings.INITIATIVPRIS_RETENTION_DAYS = 60
    round = round_in_phase("vote")
    public = make_nomination(round, n=1, shortlisted=True)
    hidden = make_nomination(round, n=2, consent=Consent.DECLINED)
    unconfirmed = make_nomination(round, n=3, confirmed=False, slot=None)
    services.request_vote(round=round, nomination_id=public.pk, email="v@example.org", link=link)
    vote = Vote.objects.get()
    services.confirm_vote(token=services.make_token(vote.pk, services.VOTE_SALT))
    services.request_vote(round=round, nomination_id=public.pk, email="w@example.org", link=link)
    vote_mail = OutboundMessage.objects.filter(related=related_key(vote))
    assert vote_mail.exists()

    now = timezone.now()
    done = personal_data.expire(now)  # before the announcement: only the stale unconfirmed
    assert done["initiativpris.votes"] == 0 and done["initiativpris.nominations"] == 0
    Nomination.objects.filter(pk=unconfirmed.pk).update(created_at=now - datetime.timedelta(days=5))
    assert personal_data.expire(now)["initiativpris.nominations"] == 1
    assert not Nomination.objects.filter(pk=unconfirmed.pk).exists()

    after_result = round.announcement_at + datetime.timedelta(days=1)
    done = personal_data.expire(after_result)
    assert done["initiativpris.votes"] == 2  # the pending vote gone, the counted one keyless
    assert Vote.objects.get().voter_key is None
    assert services.tally(round, now=after_result)[0]["votes"] == 1
    public.refresh_from_db()
    assert public.nominator_email == "indstiller1@example.org"  # kept for the period

    later = round.announcement_at + datetime.timedelta(days=61)
    done = personal_data.expire(later)
    assert done["initiativpris.nominations"] == 2 and done["initiativpris.nominees"] == 2
    public.refresh_from_db()
    assert (public.nominator_name, public.nominator_email, public.nominator_key) == ("", "", "")
    assert public.slot is None and public.nominee_email == ""
    assert public.nominee_name == "Nominee 1" and public.motivation  # the prize's history
    assert not Nomination.objects.filter(pk=hidden.pk).exists()
    assert not OutboundMessage.objects.filter(related=related_key(public)).exists()
    assert personal_data_left("initiativpris", "indstiller", "nominee1@", "v@example") == []
    assert personal_data.expire(later)["initiativpris.nominations"] == 0  # once


def test_staff_cannot_confirm_a_vote_or_nomination_from_the_mail_log(client, world):
    """The stored copies of confirmation and consent mails show "[…]" instead of the link."""
    coordinator = UserFactory(username="koordinator", groups=["Frivilligkoordinator"])
    client.force_login(coordinator)
    stored = OutboundMessage.objects.filter(
        related__in=[related_key(world[k]) for k in ("vote", "unconfirmed", "about_her")]
    )
    assert {m.purpose.split(":")[0] for m in stored} == {
        "initiativpris_vote",
        "initiativpris_nomination",
        "initiativpris_consent",
    }
    for message in stored:
        assert "/link/" not in message.body_text + message.body_html, message.purpose
        assert "/bekraeft/" not in message.body_text + message.body_html
        assert "[…]" in message.body_text
        page = client.get(f"/admin/mail-log/outbound/inspect/{message.pk}/")
        assert page.status_code == 200
        assert "/link/" not in page.content.decode()
        assert "/bekraeft/" not in page.content.decode()
    # The real mails carried the links.
    assert "/stem/bekraeft/" in last_mail_to(EMAIL.upper()).body
