"""The jury in the Wagtail admin: members score and comment, declare conflicts of interest
(recorded; no score afterwards); an editor picks the shortlist. Checked from the wrong
accounts too."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from frivillig_blocks import roles
from initiativpris.models import ConflictOfInterest, Consent, JuryScore, Nomination

from ..factories import UserFactory
from .conftest import make_nomination, round_in_phase

JURY_GROUP = "Initiativpris-jury"


@pytest.fixture
def round(db):
    return round_in_phase("jury")


@pytest.fixture
def juror(round):
    user = UserFactory(username="borgmester", groups=[JURY_GROUP])
    round.jury.add(user)
    round.save()  # a parental many-to-many is written when the round is saved
    return user


@pytest.fixture
def outsider(db):
    """An admin user in the jury group, but not on this round's jury."""
    return UserFactory(username="udenfor", groups=[JURY_GROUP])


@pytest.fixture
def editor(db):
    return UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])


@pytest.fixture
def nominations(round):
    return [make_nomination(round, n=i) for i in range(5)]


def refused(response) -> bool:
    """Wagtail's admin turns a PermissionDenied into a redirect to its dashboard."""
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location == "/admin/" or location.startswith("/admin/login/")
    )


def nomination_url(nomination):
    return reverse("initiativpris_admin:nomination", args=[nomination.pk])


def test_a_juror_scores_and_comments(client, juror, nominations):
    client.force_login(juror)
    response = client.get(reverse("initiativpris_admin:round", args=[nominations[0].round_id]))
    assert response.status_code == 200
    assert "Nominee 0" in response.content.decode()
    response = client.post(
        nomination_url(nominations[0]),
        {"action": "score", "score": "4", "comment": "Stærk indstilling"},
    )
    assert response.status_code == 302
    score = JuryScore.objects.get()
    assert (score.juror, score.score, score.comment) == (juror, 4, "Stærk indstilling")
    # Changing one's mind updates the one score.
    client.post(nomination_url(nominations[0]), {"action": "score", "score": "5"})
    assert JuryScore.objects.get().score == 5


@pytest.mark.parametrize("score", ["0", "6", "", "tre", "4.5"])
def test_a_score_outside_1_to_5_is_refused(client, juror, nominations, score):
    client.force_login(juror)
    response = client.post(nomination_url(nominations[0]), {"action": "score", "score": score})
    assert response.status_code == 200
    assert "Vælg et pointtal fra 1 til 5." in response.content.decode()
    assert not JuryScore.objects.exists()


def test_a_conflict_of_interest_is_recorded_and_blocks_scoring(client, juror, nominations):
    client.force_login(juror)
    nomination = nominations[1]
    client.post(nomination_url(nomination), {"action": "score", "score": "3"})
    response = client.post(nomination_url(nomination), {"action": "conflict", "reason": "Min nabo"})
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.juror, conflict.reason) == (juror, "Min nabo")
    assert not JuryScore.objects.exists()  # the earlier score is withdrawn
    assert ModelLogEntry.objects.filter(action="initiativpris.conflict").count() == 1
    response = client.post(
        nomination_url(nomination), {"action": "score", "score": "5"}, follow=True
    )
    assert "Du har erklæret dig inhabil" in response.content.decode()
    assert not JuryScore.objects.exists()
    # An empty reason records nothing.
    response = client.post(nomination_url(nominations[2]), {"action": "conflict", "reason": " "})
    assert "Skriv grunden til inhabiliteten." in response.content.decode()
    assert ConflictOfInterest.objects.count() == 1


def test_someone_not_on_the_jury_cannot_see_or_score(client, outsider, juror, nominations):
    client.force_login(outsider)
    round_url = reverse("initiativpris_admin:round", args=[nominations[0].round_id])
    assert refused(client.get(round_url))
    assert refused(client.get(nomination_url(nominations[0])))
    response = client.post(nomination_url(nominations[0]), {"action": "score", "score": "5"})
    assert refused(response)
    assert refused(client.get(reverse("initiativpris_admin:index")))
    assert not JuryScore.objects.exists()


def test_a_citizen_without_admin_access_is_sent_to_the_login(client, nominations):
    client.force_login(UserFactory(username="borger"))
    assert refused(client.get(nomination_url(nominations[0])))
    assert not JuryScore.objects.exists()


def test_a_juror_cannot_shortlist_or_choose_the_winner(client, juror, nominations):
    client.force_login(juror)
    round_id = nominations[0].round_id
    ids = [str(n.pk) for n in nominations[:3]]
    response = client.post(
        reverse("initiativpris_admin:shortlist", args=[round_id]), {"nominations": ids}
    )
    assert refused(response)
    response = client.post(
        reverse("initiativpris_admin:winner", args=[round_id]), {"nomination": ids[0]}
    )
    assert refused(response)
    assert not Nomination.objects.filter(shortlisted=True).exists()


def test_the_editor_picks_the_shortlist(client, editor, juror, round, nominations):
    client.force_login(juror)
    for score, nomination in zip([5, 4, 3, 2, 1], nominations, strict=True):
        client.post(nomination_url(nomination), {"action": "score", "score": str(score)})
    client.force_login(editor)
    response = client.get(reverse("initiativpris_admin:round", args=[round.pk]))
    html = response.content.decode()
    assert "5,0" in html or "5.0" in html  # the average is shown to the editor
    ids = [str(n.pk) for n in nominations[:3]]
    response = client.post(
        reverse("initiativpris_admin:shortlist", args=[round.pk]), {"nominations": ids}
    )
    assert response.status_code == 302
    assert sorted(
        Nomination.objects.filter(shortlisted=True).values_list("pk", flat=True)
    ) == sorted(int(i) for i in ids)
    assert ModelLogEntry.objects.filter(action="initiativpris.shortlist").count() == 1
    # A second choice replaces the first.
    client.post(reverse("initiativpris_admin:shortlist", args=[round.pk]), {"nominations": ids[:1]})
    assert Nomination.objects.filter(shortlisted=True).count() == 1


def test_a_nomination_without_consent_cannot_be_shortlisted(client, editor, round, nominations):
    pending = make_nomination(round, n=9, consent=Consent.PENDING)
    other_round = round_in_phase("nominations", slug="anden")
    foreign = make_nomination(other_round, n=10)
    client.force_login(editor)
    for bad in [pending.pk, foreign.pk, 999999]:
        client.post(
            reverse("initiativpris_admin:shortlist", args=[round.pk]),
            {"nominations": [nominations[0].pk, bad]},
        )
        assert not Nomination.objects.filter(shortlisted=True).exists()


def test_the_round_page_asks_a_bounded_number_of_queries(
    client, juror, round, django_assert_max_num_queries
):
    for i in range(30):
        make_nomination(round, n=i)
    client.force_login(juror)
    url = reverse("initiativpris_admin:round", args=[round.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_editors_see_and_export_nominations(client, editor, round, nominations):
    client.force_login(editor)
    response = client.get("/admin/initiativpris/indstillinger/")
    assert response.status_code == 200
    assert "Nominee 3" in response.content.decode()
    response = client.get("/admin/initiativpris/indstillinger/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Nominee 4" in body and "indstiller4@example.org" in body
    response = client.get("/admin/initiativpris/indstillinger/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_a_juror_cannot_open_the_nomination_export(client, juror, nominations):
    client.force_login(juror)
    assert refused(client.get("/admin/initiativpris/indstillinger/?export=csv"))


def test_the_editor_adds_the_jurys_own_candidate_who_must_consent(
    client, editor, round, prize_pages
):
    from django.core import mail

    client.force_login(editor)
    url = reverse("initiativpris_admin:jury_candidate", args=[round.pk])
    response = client.post(
        url,
        {
            "nominee_kind": "group",
            "nominee_name": "Havnelauget",
            "nominee_email": "havn@example.org",
            "motivation": "Juryens eget forslag: de har renoveret havnen i ti år.",
        },
    )
    assert response.status_code == 302
    candidate = Nomination.objects.get(nominee_name="Havnelauget")
    assert candidate.confirmed_at is not None and candidate.consent == Consent.PENDING
    assert not candidate.is_public
    assert "havn@example.org" in mail.outbox[-1].to
    assert "/frivillig/initiativpris/samtykke/" in mail.outbox[-1].body
    assert ModelLogEntry.objects.filter(action="initiativpris.jury_candidate").count() == 1
    # Bad input changes nothing.
    client.post(url, {"nominee_kind": "person", "nominee_name": "<b>X</b>", "nominee_email": "x"})
    assert Nomination.objects.count() == 1


def test_a_juror_cannot_add_a_candidate(client, juror, round):
    client.force_login(juror)
    response = client.post(
        reverse("initiativpris_admin:jury_candidate", args=[round.pk]),
        {
            "nominee_kind": "person",
            "nominee_name": "Min Ven",
            "nominee_email": "ven@example.org",
            "motivation": "En rigtig god ven af juryen, helt ærligt.",
        },
    )
    assert refused(response)
    assert not Nomination.objects.exists()


def test_the_jury_pages_show_what_each_role_may_see(client, juror, editor, nominations):
    nomination = nominations[0]
    client.force_login(juror)
    index = client.get(reverse("initiativpris_admin:index")).content.decode()
    assert str(nomination.round) in index
    page = client.get(nomination_url(nomination)).content.decode()
    assert "Dine point" in page and "Erklær dig inhabil" in page
    assert nomination.nominator_email not in page  # the jury does not see the nominator
    client.post(nomination_url(nomination), {"action": "score", "score": "2", "comment": "Ok"})
    client.force_login(editor)
    page = client.get(nomination_url(nomination)).content.decode()
    assert nomination.nominator_email in page
    assert "Juryens point" in page and "Ok" in page
    assert 'id="score-heading"' not in page  # an editor who is not on the jury does not score
