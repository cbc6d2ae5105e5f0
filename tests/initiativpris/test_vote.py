"""The public vote: confirmed by a link, one per person and round by a unique constraint on
the HMAC of the normalised address (also when confirmations race), no tally before the
announcement, paper votes with an audit-log entry, voters' identifiers deleted after."""

import datetime
import threading
import uuid

import pytest
from django.core import mail
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from frivillig_blocks import personal_data, roles
from frivillig_blocks.identity import clean_address
from frivillig_blocks.models import OutboundMessage
from initiativpris import services
from initiativpris.models import Consent, Vote
from tests.helpers import last_mail_to

from ..factories import UserFactory
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

ON_POSTGRES = connection.vendor == "postgresql"
URL = "/frivillig/initiativpris/stem/"


@pytest.fixture
def round(prize_pages):
    return round_in_phase("vote")


@pytest.fixture
def shortlist(round):
    return [make_nomination(round, n=i, shortlisted=True) for i in range(3)]


def request_and_link(client, nomination, email="name@example.com"):
    response = client.post(
        URL, {"submission_key": str(uuid.uuid4()), "nomination": nomination.pk, "email": email}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    return link_in(last_mail_to(email))


def test_a_vote_counts_once_confirmed(client, round, shortlist):
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert all(n.nominee_name in html for n in shortlist)
    confirm = request_and_link(client, shortlist[1])
    vote = Vote.objects.get()
    assert vote.confirmed_at is None
    assert vote.voter_key == services.voter_key("name@example.com")
    assert "name@example.com" not in str(Vote.objects.values().get())
    assert "Bekræft din stemme" in client.get(confirm).content.decode()
    response = client.post(confirm)
    assert response.status_code == 200
    assert "Din stemme er talt med." in response.content.decode()
    vote.refresh_from_db()
    assert vote.confirmed_at is not None


def test_a_second_vote_from_the_same_person_is_refused(client, round, shortlist):
    client.post(request_and_link(client, shortlist[0], "Name@example.com"))
    response = client.post(
        URL,
        {
            "submission_key": str(uuid.uuid4()),
            "nomination": shortlist[1].pk,
            "email": "Name+x@Example.com",
        },
    )
    assert response.status_code == 400
    assert "Der er allerede afgivet en stemme fra denne e-mailadresse" in response.content.decode()
    assert Vote.objects.count() == 1


def test_two_pending_votes_of_one_person_count_once(client, round, shortlist):
    first = request_and_link(client, shortlist[0], "name@example.com")
    second = request_and_link(client, shortlist[1], "NAME+y@example.com")
    assert client.post(first).status_code == 200
    response = client.post(second)
    assert response.status_code == 400
    assert "Der er allerede afgivet en stemme" in response.content.decode()
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 1


def test_the_database_refuses_a_second_confirmed_vote(round, shortlist):
    key = services.voter_key("name@example.com")
    Vote.objects.create(
        round=round, nomination=shortlist[0], voter_key=key, confirmed_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            round=round, nomination=shortlist[1], voter_key=key, confirmed_at=timezone.now()
        )


def test_a_reused_link_is_refused(client, round, shortlist):
    confirm = request_and_link(client, shortlist[0])
    client.post(confirm)
    response = client.post(confirm)
    assert response.status_code == 400
    assert "Linket er allerede brugt." in response.content.decode()
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "forfalsket",
        "1-2-3",
        services.make_token(1, services.NOMINATION_SALT),  # a nomination's link
        services.make_token(1, "x"),
    ],
    # Stable ids: the tokens carry a timestamp, and every xdist worker must collect the same.
    ids=["word", "numbers", "nomination-link", "other-salt"],
)
def test_a_forged_link_is_refused(client, round, shortlist, token):
    request_and_link(client, shortlist[0])
    response = client.post(URL + f"bekraeft/{token}/")
    assert response.status_code == 400
    assert "Linket er ikke gyldigt" in response.content.decode()
    assert not Vote.objects.filter(confirmed_at__isnull=False).exists()


def test_an_expired_link_is_refused(client, round, shortlist):
    request_and_link(client, shortlist[0])
    vote = Vote.objects.get()
    old = services.make_token(
        vote.pk, services.VOTE_SALT, now=timezone.now() - datetime.timedelta(hours=73)
    )
    response = client.post(URL + f"bekraeft/{old}/")
    assert response.status_code == 400
    assert "Linket er udløbet" in response.content.decode()
    assert not Vote.objects.filter(confirmed_at__isnull=False).exists()


def test_a_vote_for_someone_not_on_the_shortlist_is_refused(client, round, shortlist):
    outside = make_nomination(round, n=7)  # consented, not shortlisted
    pending = make_nomination(round, n=8, consent=Consent.PENDING)
    other = make_nomination(round_in_phase("vote", slug="anden"), n=9, shortlisted=True)
    for nomination_id in [outside.pk, pending.pk, other.pk, 999999, "abc", ""]:
        response = client.post(
            URL,
            {
                "submission_key": str(uuid.uuid4()),
                "nomination": nomination_id,
                "email": "a@example.com",
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Du kan kun stemme på en af kandidaterne på listen." in html or "Vælg den" in html
    assert not Vote.objects.exists()
    assert not mail.outbox


def test_the_shortlisted_nominee_who_withdraws_consent_leaves_the_ballot(client, round, shortlist):
    token = services.make_token(shortlist[0].pk, services.CONSENT_SALT)
    client.post(f"/frivillig/initiativpris/samtykke/{token}/", {"answer": "no"})
    assert shortlist[0].nominee_name not in client.get(URL).content.decode()


@pytest.mark.parametrize("phase", ["nominations", "jury", "counting", "announced"])
def test_a_vote_outside_the_window_is_refused(client, prize_pages, phase):
    round = round_in_phase(phase)
    nomination = make_nomination(round, shortlisted=True)
    response = client.post(
        URL,
        {
            "submission_key": str(uuid.uuid4()),
            "nomination": nomination.pk,
            "email": "a@example.com",
        },
    )
    assert response.status_code == 404
    assert "Afstemningen er ikke åben nu." in response.content.decode()
    assert not Vote.objects.exists()


def test_a_confirmation_after_the_vote_closed_is_refused(client, round, shortlist):
    confirm = request_and_link(client, shortlist[0])
    round.vote_close = timezone.now() - datetime.timedelta(minutes=1)
    round.save()
    response = client.post(confirm)
    assert response.status_code == 400
    assert "Afstemningen er ikke åben nu." in response.content.decode()
    assert not Vote.objects.filter(confirmed_at__isnull=False).exists()


def test_the_vote_is_rate_limited_per_connection(client, round, shortlist):
    statuses = [
        client.post(
            URL,
            {
                "submission_key": str(uuid.uuid4()),
                "nomination": shortlist[0].pk,
                "email": f"v{i}@example.com",
            },
        ).status_code
        for i in range(25)
    ]
    assert statuses.count(302) == 20  # ACCOUNT_RATE_LIMITS["initiativpris_vote"] = 20/h/ip
    assert statuses.count(429) == 5
    assert Vote.objects.count() == 20


def test_no_tally_before_the_announcement(client, round, shortlist):
    client.post(request_and_link(client, shortlist[2]))
    assert client.get("/frivillig/initiativpris/resultat/").status_code == 404
    assert client.get(f"/frivillig/initiativpris/arkiv/{round.slug}/").status_code == 404
    for url in [URL, "/frivillig/initiativpris/"]:
        html = client.get(url).content.decode()
        assert "stemme i alt" not in html and "stemmer i alt" not in html
    with pytest.raises(services.exceptions.TallyHidden):
        services.tally(round)
    # Not in the admin either.
    editor = UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])
    client.force_login(editor)
    html = client.get(reverse("initiativpris_admin:round", args=[round.pk])).content.decode()
    assert "data-tally" not in html
    assert "skjult indtil offentliggørelsen" in html


def test_after_the_announcement_the_result_shows_the_winner(client, round, shortlist):
    for i, email in enumerate(["a@example.com", "b@example.com", "c@example.com"]):
        client.post(request_and_link(client, shortlist[0 if i < 2 else 1], email))
    round.vote_close = timezone.now() - datetime.timedelta(minutes=2)
    round.announcement_at = timezone.now() - datetime.timedelta(minutes=1)
    round.save()
    response = client.get("/frivillig/initiativpris/resultat/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vinderen" in html and shortlist[0].nominee_name in html
    assert "3 stemmer i alt" in html
    assert services.winner(round) == shortlist[0]


def test_the_result_counts_votes_once_whatever_the_jury_scored(
    client, round, shortlist, django_assert_max_num_queries
):
    """The jury's scores of a nominee must not multiply its votes (the count once joined
    votes and scores onto the nominations), and the count is one query at any volume."""
    from initiativpris.models import JuryScore

    for n, juror in enumerate(("jurymedlem1", "jurymedlem2", "jurymedlem3")):
        JuryScore.objects.create(
            nomination=shortlist[0], juror=UserFactory(username=juror), score=n + 3
        )
    Vote.objects.bulk_create(
        [Vote(round=round, nomination=shortlist[0], source="paper", confirmed_at=timezone.now())]
        * 2
        + [Vote(round=round, nomination=shortlist[1], source="paper", confirmed_at=timezone.now())]
        + [Vote(round=round, nomination=shortlist[2], voter_key="x" * 64)]  # not confirmed
    )
    round.vote_close = timezone.now() - datetime.timedelta(minutes=2)
    round.announcement_at = timezone.now() - datetime.timedelta(minutes=1)
    round.save()
    with django_assert_max_num_queries(1):
        rows = services.tally(round)
    assert [(row["nomination"], row["votes"]) for row in rows] == [
        (shortlist[0], 2),
        (shortlist[1], 1),
        (shortlist[2], 0),
    ]
    html = client.get("/frivillig/initiativpris/resultat/").content.decode()
    assert "3 stemmer i alt" in html


def test_paper_votes_are_entered_with_an_audit_log_entry_each(client, round, shortlist):
    editor = UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])
    client.force_login(editor)
    url = reverse("initiativpris_admin:paper_votes", args=[round.pk])
    response = client.post(url, {"nomination": shortlist[1].pk, "count": "3"})
    assert response.status_code == 302
    votes = Vote.objects.filter(source=Vote.Source.PAPER)
    assert votes.count() == 3 and all(v.entered_by == editor for v in votes)
    entries = ModelLogEntry.objects.filter(action="initiativpris.paper_vote")
    assert entries.count() == 3
    assert {e.user_id for e in entries} == {editor.pk}
    # Not on the ballot, or a bad count: nothing entered.
    outside = make_nomination(round, n=9)
    client.post(url, {"nomination": outside.pk, "count": "1"})
    client.post(url, {"nomination": shortlist[1].pk, "count": "0"})
    client.post(url, {"nomination": shortlist[1].pk, "count": "1001"})
    assert Vote.objects.count() == 3


def test_a_juror_cannot_enter_paper_votes(client, round, shortlist):
    juror = UserFactory(username="juror", groups=["Initiativpris-jury"])
    round.jury.add(juror)
    round.save()
    client.force_login(juror)
    response = client.post(
        reverse("initiativpris_admin:paper_votes", args=[round.pk]),
        {"nomination": shortlist[1].pk, "count": "50"},
    )
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    assert not Vote.objects.exists()


def test_voters_identifiers_are_deleted_after_the_result(client, round, shortlist):
    client.post(request_and_link(client, shortlist[0], "a@example.com"))
    request_and_link(client, shortlist[1], "b@example.com")  # never confirmed
    assert personal_data.expire()["initiativpris.votes"] == 0  # not before the result
    round.vote_close = timezone.now() - datetime.timedelta(minutes=2)
    round.announcement_at = timezone.now() - datetime.timedelta(minutes=1)
    round.save()
    assert personal_data.expire()["initiativpris.votes"] == 2
    vote = Vote.objects.get()  # the unconfirmed one is gone
    assert vote.voter_key is None and vote.confirmed_at is not None
    mails = OutboundMessage.objects.filter(purpose=f"initiativpris_vote:{round.pk}")
    assert mails.count() == 2 and all(m.to == [] and m.body_text == "" for m in mails)
    assert services.tally(round)[0]["votes"] == 1  # the count stays
    assert personal_data.expire()["initiativpris.votes"] == 0  # once


def test_the_vote_page_asks_a_bounded_number_of_queries(
    client, round, django_assert_max_num_queries
):
    for i in range(25):
        make_nomination(round, n=i, shortlisted=True)
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_confirmations_for_one_address_count_one_vote():
    round = round_in_phase("vote")
    nomination = make_nomination(round, shortlisted=True)
    key = services.voter_key("name@example.com")
    tokens = [
        services.make_token(
            Vote.objects.create(round=round, nomination=nomination, voter_key=key).pk,
            services.VOTE_SALT,
        )
        for _ in range(20)
    ]
    barrier = threading.Barrier(20)
    outcomes, errors = [], []

    def work(token):
        try:
            barrier.wait(timeout=10)
            services.confirm_vote(token=token)
            outcomes.append("counted")
        except services.exceptions.AlreadyVoted:
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
    assert outcomes.count("counted") == 1
    assert outcomes.count("refused") == 19
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_uses_of_one_link_count_one_vote():
    round = round_in_phase("vote")
    nomination = make_nomination(round, shortlisted=True)
    vote = Vote.objects.create(
        round=round, nomination=nomination, voter_key=services.voter_key("x@example.com")
    )
    token = services.make_token(vote.pk, services.VOTE_SALT)
    barrier = threading.Barrier(20)
    outcomes, errors = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            services.confirm_vote(token=token)
            outcomes.append("counted")
        except (services.exceptions.AlreadyConfirmed, services.exceptions.AlreadyVoted):
            outcomes.append("refused")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert outcomes.count("counted") == 1
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 1


# --- one mailbox, one vote under any spelling (#18, item 1) ---------------------------------


def post_vote(client, nomination, email, n):
    """A real POST to the vote form; each from its own IP, as an attacker would spread them
    (the per-IP rate limit is not what holds one vote per person)."""
    return client.post(
        URL,
        {"submission_key": str(uuid.uuid4()), "nomination": nomination.pk, "email": email},
        REMOTE_ADDR=f"10.18.{n // 250}.{n % 250}",
    )


def test_every_spelling_of_one_mailbox_counts_one_vote(client, round, shortlist):
    """Fails before #18: of the issue's spellings, case, +tag and spaces were caught; the
    Unicode domain vs punycode, a decomposed å, fullwidth letters and Gmail's dots were
    each a second counted vote; an invisible character in the domain minted a new key."""
    for spellings in (SPELLINGS, GMAIL_SPELLINGS):
        client.post(request_and_link(client, shortlist[0], clean_address(spellings[0])))
        for n, spelling in enumerate(spellings[1:]):
            response = post_vote(client, shortlist[n % 3], spelling, n)
            assert response.status_code == 400, spelling
            assert "Der er allerede afgivet en stemme" in response.content.decode(), spelling
    assert len(SPELLINGS) >= 30
    assert Vote.objects.count() == 2
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 2
    assert {v.voter_key for v in Vote.objects.all()} == {
        services.voter_key(MAILBOX),
        services.voter_key(GMAIL),
    }


def test_every_spelling_confirmed_by_its_own_link_counts_once(client, round, shortlist, settings):
    """Pending votes are not refused (a person may ask again), but only one is counted."""
    settings.INITIATIVPRIS_MAX_PENDING_PER_ADDRESS = 100
    links = []
    for n, spelling in enumerate(SPELLINGS):
        assert post_vote(client, shortlist[n % 3], spelling, n).status_code == 302, spelling
        links.append(link_in(mail.outbox[-1]))
    assert len({tuple(m.to) for m in mail.outbox}) > 10  # mailed to the address as typed
    answers = [client.post(link).status_code for link in links]
    assert answers.count(200) == 1
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("addresses", "danish"),
    [
        (INVISIBLE, "usynligt tegn"),
        (QUOTED, "uden anførselstegn"),
        (UNUSUAL, "bogstaverne a-z"),
    ],
)
def test_a_refused_spelling_gets_a_danish_message_and_stores_nothing(
    client, round, shortlist, addresses, danish
):
    for n, address in enumerate(addresses):
        response = post_vote(client, shortlist[0], address, n)
        assert response.status_code == 400, address
        assert danish in response.content.decode(), address
    assert Vote.objects.count() == 0
    assert len(mail.outbox) == 0


def test_distinct_mailboxes_still_count_separately(client, round, shortlist):
    for n, address in enumerate(DISTINCT):
        response = post_vote(client, shortlist[n % 3], address, n)
        assert response.status_code == 302, response.content.decode()[-2500:]
        assert client.post(link_in(mail.outbox[-1])).status_code == 200, address
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == len(DISTINCT)


def test_the_migration_rekeys_votes_whose_mail_still_holds_the_address(client, round, shortlist):
    """The vote keeps only its key; the confirmation mail keeps the address until the result.
    A pending vote is re-keyed; a second confirmed vote of one mailbox that the old rule let
    through keeps its old key and stays counted (no tally changes silently)."""
    import importlib

    from django.apps import apps

    from frivillig_blocks.identity import legacy_key

    spellings = ["Karen.Holm@gmail.com", "karenholm@googlemail.com", "k.a.r.e.n.holm@gmail.com"]
    votes = []
    for n, email in enumerate(spellings):
        assert post_vote(client, shortlist[n], email, n).status_code == 302
        link = link_in(mail.outbox[-1])
        vote = Vote.objects.latest("pk")
        Vote.objects.filter(pk=vote.pk).update(voter_key=services.hmac_of(legacy_key(email)))
        if n < 2:
            assert client.post(link).status_code == 200
        votes.append(vote.pk)
    assert OutboundMessage.objects.filter(related=f"initiativpris.vote:{votes[0]}").exists()
    old_second = Vote.objects.get(pk=votes[1]).voter_key
    migration = importlib.import_module("initiativpris.migrations.0004_canonical_identity")
    migration.rekey_votes(apps, None)
    first, second, pending = (Vote.objects.get(pk=pk) for pk in votes)
    assert first.voter_key == services.voter_key(GMAIL)
    assert second.voter_key == old_second and second.confirmed_at is not None
    assert pending.voter_key == services.voter_key(GMAIL) and pending.confirmed_at is None


def test_the_announced_result_is_counted_once_and_follows_every_change(client, round, shortlist):
    """The result is kept per content version (issue #22): the second visitor's page reads
    no votes, and an editor's choice of winner or a nominee's withdrawn consent shows on the
    very next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Vote.objects.bulk_create(
        [Vote(round=round, nomination=shortlist[0], source="paper", confirmed_at=timezone.now())]
        * 2
        + [Vote(round=round, nomination=shortlist[1], source="paper", confirmed_at=timezone.now())]
    )
    round.vote_close = timezone.now() - datetime.timedelta(minutes=2)
    round.announcement_at = timezone.now() - datetime.timedelta(minutes=1)
    round.save()
    url = "/frivillig/initiativpris/resultat/"
    with CaptureQueriesContext(connection) as first:
        html = client.get(url).content.decode()
    assert "3 stemmer i alt" in html
    assert f"<strong>{shortlist[0].nominee_name}</strong>" in html
    assert any("initiativpris_vote" in q["sql"] for q in first.captured_queries)
    with CaptureQueriesContext(connection) as second:
        assert "3 stemmer i alt" in client.get(url).content.decode()
    assert not any("initiativpris_vote" in q["sql"] for q in second.captured_queries)
    assert len(second.captured_queries) < len(first.captured_queries)

    round.winner = shortlist[1]
    round.save()
    # The editor's save commits: the on-commit work waiting in the test's one transaction
    # (the content version's move) runs, as it does when the admin's transaction commits.
    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, callback, _robust in pending:
        callback()
    html = client.get(url).content.decode()
    winner = html.split('class="winner"', 1)[1].split("</section>", 1)[0]
    assert f"<strong>{shortlist[1].nominee_name}</strong>" in winner


def test_the_ballot_follows_an_editors_change_on_the_next_request(client, round, shortlist):
    """The ballot's texts are kept per content version (issue #22): a nominee's corrected
    motivation, or a nominee taken off the shortlist, shows on the very next request."""
    from django.db import connection

    def committed():
        # The editor's save commits: the content version moves (it waits in the test's
        # transaction otherwise).
        pending = list(connection.run_on_commit)
        connection.run_on_commit.clear()
        for _savepoints, callback, _robust in pending:
            callback()

    committed()
    html = client.get(URL).content.decode()
    assert shortlist[0].nominee_name in html and shortlist[1].nominee_name in html
    shortlist[0].motivation = "Har startet en løbeklub for nye i byen."
    shortlist[0].save()
    shortlist[1].shortlisted = False
    shortlist[1].save()
    committed()
    html = client.get(URL).content.decode()
    assert "Har startet en løbeklub for nye i byen." in html
    assert f"<h3>{shortlist[1].nominee_name}</h3>" not in html
    assert f'value="{shortlist[1].pk}"' not in html
