"""Nominations from the public form: confirmed by the nominator's link, one per nominator and
round (configurable), the nominee's consent before the name is shown, bad input refused."""

import datetime
import threading
import uuid

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import timezone

from initiativpris import services
from initiativpris.models import Consent, Nomination
from tests.helpers import last_mail_to

from ..frivillig_blocks.test_identity import (
    DISTINCT,
    GMAIL,
    GMAIL_SPELLINGS,
    INVISIBLE,
    MAILBOX,
    QUOTED,
    SPELLINGS,
    UNUSUAL,
)
from .conftest import link_in, make_nomination, round_in_phase

URL = "/frivillig/initiativpris/indstil/"
ON_POSTGRES = connection.vendor == "postgresql"


def form(**overrides):
    return {
        "nominee_kind": "person",
        "nominee_name": "Karen Holm",
        "nominee_email": "karen@example.org",
        "motivation": "Karen har i ti år drevet lektiecafé for børn og unge i Dragør.",
        "nominator_name": "Ole Hansen",
        "nominator_email": "ole@example.org",
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


@pytest.fixture
def round(prize_pages):
    return round_in_phase("nominations")


def nominate(client, **overrides):
    return client.post(URL, form(**overrides))


def test_a_nomination_is_confirmed_by_the_link_and_the_nominee_consents(client, round):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Indstil" in response.content.decode()

    response = nominate(client)
    assert response.status_code == 302
    assert response["Location"] == URL + "tak/"
    assert "Tjek din mail" in client.get(response["Location"]).content.decode()
    nomination = Nomination.objects.get()
    assert nomination.confirmed_at is None
    assert nomination.nominator_key == services.voter_key("ole@example.org")

    confirm = link_in(last_mail_to("ole@example.org"))
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Bekræft din indstilling" in page.content.decode()
    nomination.refresh_from_db()
    assert nomination.confirmed_at is None  # a GET (a mail scanner) confirms nothing

    response = client.post(confirm)
    assert response.status_code == 200
    assert "Tak for din indstilling" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.confirmed_at is not None and nomination.slot == 1
    assert nomination.consent == Consent.PENDING

    # Not public before consent.
    assert not Nomination.objects.public().exists()
    consent = link_in(last_mail_to("karen@example.org"))
    page = client.get(consent)
    assert "Karen Holm" in page.content.decode()
    response = client.post(consent, {"answer": "yes"})
    assert response.status_code == 200
    nomination.refresh_from_db()
    assert nomination.consent == Consent.GIVEN
    assert list(Nomination.objects.public()) == [nomination]


def test_a_reused_confirmation_link_is_refused(client, round):
    nominate(client)
    confirm = link_in(last_mail_to("ole@example.org"))
    client.post(confirm)
    sent = len(mail.outbox)
    response = client.post(confirm)
    assert response.status_code == 400
    assert "Linket er allerede brugt." in response.content.decode()
    assert len(mail.outbox) == sent


def test_one_confirmed_nomination_per_nominator_and_round(client, round):
    nominate(client)
    first = link_in(last_mail_to("ole@example.org"))
    nominate(client, nominee_name="Per Lund", nominator_email="Ole+to@Example.org")
    second = link_in(last_mail_to("Ole+to@Example.org"))
    assert client.post(first).status_code == 200
    response = client.post(second)
    assert response.status_code == 400
    assert "allerede" in response.content.decode()
    assert Nomination.objects.confirmed().count() == 1
    # And a new form from the same person is refused at once.
    response = nominate(client, nominee_name="Tredje", nominator_email="OLE@example.org")
    assert response.status_code == 400
    assert "allerede" in response.content.decode()


def test_the_number_per_nominator_is_configurable(client, round):
    round.max_nominations_per_nominator = 2
    round.save()
    links = []
    for name in ["A Aa", "B Bb", "C Cc"]:
        nominate(client, nominee_name=name)
        links.append(link_in(mail.outbox[-1]))
    assert client.post(links[0]).status_code == 200
    assert client.post(links[1]).status_code == 200
    assert client.post(links[2]).status_code == 400
    assert sorted(Nomination.objects.confirmed().values_list("slot", flat=True)) == [1, 2]


def test_the_database_holds_one_nomination_per_slot(round):
    from django.db import IntegrityError, transaction

    make_nomination(round, n=1, nominator_email="ole@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_nomination(round, n=2, nominator_email="ole@example.org")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("motivation", "<script>alert(1)</script> er en god frivillig i mange år", "HTML"),
        ("nominee_name", "<b>Karen</b>", "HTML"),
        ("nominee_name", "", "Skriv navnet"),
        ("motivation", "x" * 5001, "højst 5000"),
        ("motivation", "kort", "mindst 20"),
        ("nominator_email", "ikke-en-adresse", "gyldig e-mailadresse"),
        ("nominee_kind", "robot", "person, en gruppe eller en forening"),
    ],
)
def test_bad_input_gets_a_danish_message_and_changes_nothing(client, round, field, value, message):
    response = nominate(client, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Nomination.objects.exists()
    assert not mail.outbox


def test_a_script_is_never_stored_or_shown(client, round):
    nominate(client, motivation="Hun er fantastisk <script>alert(1)</script> i mange år")
    assert "<script>alert(1)" not in client.get(URL).content.decode()
    assert not Nomination.objects.exists()


def test_nominations_outside_the_window_are_refused(client, prize_pages):
    round_in_phase("jury")
    assert client.get(URL).status_code == 404
    response = nominate(client)
    assert response.status_code == 404
    assert "Der er ikke åbent for indstillinger" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_nomination_confirmed_after_the_window_is_refused(client, round):
    nominate(client)
    confirm = link_in(last_mail_to("ole@example.org"))
    round.nominations_close = timezone.now() - datetime.timedelta(minutes=1)
    round.save()
    response = client.post(confirm)
    assert response.status_code == 400
    assert not Nomination.objects.confirmed().exists()


@pytest.mark.parametrize(
    "token",
    [
        "forfalsket",
        "1-abc-0123456789abcdef0123456789abcdef01234567",
        services.make_token(1, "wrong-salt"),
        services.make_token(1, services.NOMINATION_SALT)[:-1] + "x",
        "-".join(["zz", *services.make_token(1, services.NOMINATION_SALT).split("-")[1:]]),
    ],
    # Stable ids: the tokens carry a timestamp, and every xdist worker must collect the same.
    ids=["word", "bad-signature", "other-salt", "altered", "bad-id"],
)
def test_forged_links_are_refused(client, round, token):
    response = client.get(URL + f"bekraeft/{token}/")
    assert response.status_code == 400
    assert "Linket er ikke gyldigt" in response.content.decode()
    response = client.post(f"/frivillig/initiativpris/samtykke/{token}/", {"answer": "yes"})
    assert response.status_code == 400


def test_a_link_for_a_missing_row_is_refused(client, round):
    token = services.make_token(424242, services.NOMINATION_SALT)
    assert client.post(URL + f"bekraeft/{token}/").status_code == 400


def test_an_expired_link_is_refused(client, round, settings):
    nominate(client)
    confirm = link_in(last_mail_to("ole@example.org"))
    settings.INITIATIVPRIS_LINK_MAX_AGE_HOURS = 1
    token = confirm.rstrip("/").rsplit("/", 1)[1]
    old = services.make_token(
        services.read_token(token, services.NOMINATION_SALT, services.link_max_age()),
        services.NOMINATION_SALT,
        now=timezone.now() - datetime.timedelta(hours=2),
    )
    response = client.post(URL + f"bekraeft/{old}/")
    assert response.status_code == 400
    assert "Linket er udløbet" in response.content.decode()
    assert not Nomination.objects.confirmed().exists()


def test_a_nominee_who_declines_is_never_shown(client, round):
    nomination = make_nomination(round, consent=Consent.PENDING)
    token = services.make_token(nomination.pk, services.CONSENT_SALT)
    client.post(f"/frivillig/initiativpris/samtykke/{token}/", {"answer": "no"})
    nomination.refresh_from_db()
    assert nomination.consent == Consent.DECLINED
    assert not Nomination.objects.public().exists()
    # A consent link cannot confirm a nomination, nor the other way round.
    assert client.post(URL + f"bekraeft/{token}/").status_code == 400
    response = client.post(f"/frivillig/initiativpris/samtykke/{token}/", {"answer": "maybe"})
    assert response.status_code == 400


def test_a_thousand_nominations_from_one_connection_in_an_hour_hit_the_rate_limit(client, round):
    statuses = []
    for i in range(1000):
        statuses.append(
            nominate(
                client, nominator_email=f"spam{i}@example.org", nominee_name=f"N {i}"
            ).status_code
        )
    assert statuses.count(302) == 10  # ACCOUNT_RATE_LIMITS["initiativpris_nominate"] = 10/h/ip
    assert statuses.count(429) == 990
    assert Nomination.objects.count() == 10
    assert not Nomination.objects.confirmed().exists()
    response = nominate(client, nominator_email="en@example.org")
    assert "for mange gange" in response.content.decode()


def test_unconfirmed_nominations_from_one_address_are_limited(client, round, settings):
    settings.ACCOUNT_RATE_LIMITS = {}
    for i in range(3):
        assert nominate(client, nominee_name=f"N {i}").status_code == 302
    response = nominate(client, nominee_name="N 4")
    assert response.status_code == 400
    assert Nomination.objects.count() == 3


def test_the_form_page_asks_a_bounded_number_of_queries(
    client, round, django_assert_max_num_queries
):
    for i in range(20):
        make_nomination(round, n=i)
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_confirmations_racing_for_one_nominator_keep_one_nomination():
    round = round_in_phase("nominations")
    pending = [
        make_nomination(round, n=i, confirmed=False, slot=None, nominator_email="ole@example.org")
        for i in range(10)
    ]
    tokens = [services.make_token(n.pk, services.NOMINATION_SALT) for n in pending]
    barrier = threading.Barrier(len(tokens))
    outcomes, errors = [], []

    def work(token):
        try:
            barrier.wait(timeout=10)
            services.confirm_nomination(token=token, consent_link=lambda t: f"https://x/{t}/")
            outcomes.append("confirmed")
        except services.exceptions.AlreadyNominated:
            outcomes.append("refused")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert outcomes.count("confirmed") == 1
    assert Nomination.objects.confirmed().count() == 1


# --- one mailbox, one nominator under any spelling (#18, item 1) ----------------------------


def nominate_from(client, email, n, **overrides):
    """A real POST from its own IP (the per-IP limit is not what holds the rule)."""
    data = form(nominator_email=email, nominee_name=f"Kandidat {n}", **overrides)
    return client.post(URL, data, REMOTE_ADDR=f"10.18.{n // 250}.{n % 250}")


def test_every_spelling_of_one_mailbox_is_one_nominator(client, round):
    """Fails before #18: the nomination key was the old normalisation, so a punycode
    domain, a decomposed å, fullwidth letters or Gmail's dots each gave a new nominator."""
    assert round.max_nominations_per_nominator == 1
    for spellings in (SPELLINGS, GMAIL_SPELLINGS):
        assert nominate_from(client, spellings[0], 0).status_code == 302
        assert client.post(link_in(mail.outbox[-1])).status_code == 200
        for n, spelling in enumerate(spellings[1:], start=1):
            response = nominate_from(client, spelling, n)
            assert response.status_code == 400, spelling
            assert "allerede" in response.content.decode(), spelling
    assert Nomination.objects.count() == 2
    assert {n.nominator_key for n in Nomination.objects.all()} == {
        services.voter_key(MAILBOX),
        services.voter_key(GMAIL),
    }


def test_pending_nominations_of_one_mailbox_confirm_once(client, round, settings):
    settings.INITIATIVPRIS_MAX_PENDING_PER_ADDRESS = 100
    links = []
    for n, spelling in enumerate(SPELLINGS):
        assert nominate_from(client, spelling, n).status_code == 302, spelling
        links.append(link_in(mail.outbox[-1]))
    assert len({n.nominator_key for n in Nomination.objects.all()}) == 1
    answers = [client.post(link).status_code for link in links]
    assert answers.count(200) == 1
    assert Nomination.objects.confirmed().count() == 1


@pytest.mark.parametrize(
    ("addresses", "danish"),
    [(INVISIBLE, "usynligt tegn"), (QUOTED, "uden anførselstegn"), (UNUSUAL, "bogstaverne a-z")],
)
def test_a_refused_nominator_address_gets_a_danish_message_and_stores_nothing(
    client, round, addresses, danish
):
    for n, address in enumerate(addresses):
        response = nominate_from(client, address, n)
        assert response.status_code == 400, address
        assert danish in response.content.decode(), address
    assert Nomination.objects.count() == 0
    assert len(mail.outbox) == 0


def test_distinct_nominators_still_count_separately(client, round):
    for n, address in enumerate(DISTINCT):
        assert nominate_from(client, address, n).status_code == 302, address
        assert client.post(link_in(mail.outbox[-1])).status_code == 200, address
    assert Nomination.objects.confirmed().count() == len(DISTINCT)


def test_the_migration_rekeys_nominations_from_the_stored_address(round):
    """Rows keyed by the old normalisation get the canonical key; two confirmed nominations
    of one Gmail mailbox that the old rule kept apart keep their seats on two slots."""
    import importlib

    from django.apps import apps

    from frivillig_blocks.identity import legacy_key

    spellings = ["Karen.Holm@gmail.com", "karenholm+x@googlemail.com"]
    rows = [
        make_nomination(
            round,
            n=n,
            nominator_email=email,
            nominator_key=services.hmac_of(legacy_key(email)),
        )
        for n, email in enumerate(spellings)
    ]
    assert len({r.nominator_key for r in rows}) == 2
    migration = importlib.import_module("initiativpris.migrations.0004_canonical_identity")
    migration.rekey_nominations(apps, None)
    rows = list(Nomination.objects.order_by("pk"))
    assert {r.nominator_key for r in rows} == {services.voter_key(GMAIL)}
    assert [r.slot for r in rows] == [1, 2]
    assert all(r.confirmed_at is not None for r in rows)


def _legacy_token(pk: int, salt: str, at: datetime.datetime) -> str:
    from django.utils.crypto import salted_hmac
    from django.utils.http import int_to_base36

    payload = f"{int_to_base36(pk)}-{int_to_base36(int(at.timestamp()))}"
    return f"{payload}-{salted_hmac(salt, payload, algorithm='sha256').hexdigest()[:40]}"


def test_a_consent_link_mailed_in_the_older_form_still_works_until_it_expires(client, round):
    from initiativpris import exceptions

    nomination = make_nomination(round, consent=Consent.PENDING)
    now = timezone.now()
    old = _legacy_token(nomination.pk, services.CONSENT_SALT, now - datetime.timedelta(days=29))
    assert services.read_token(old, services.CONSENT_SALT, services.consent_max_age()) == (
        nomination.pk
    )
    with pytest.raises(exceptions.InvalidLink):
        services.read_token(old, services.VOTE_SALT, services.consent_max_age())
    too_old = _legacy_token(nomination.pk, services.CONSENT_SALT, now - datetime.timedelta(days=31))
    with pytest.raises(exceptions.ExpiredLink):
        services.read_token(too_old, services.CONSENT_SALT, services.consent_max_age())
    client.post(f"/frivillig/initiativpris/samtykke/{old}/", {"answer": "yes"})
    nomination.refresh_from_db()
    assert nomination.consent == Consent.GIVEN
