"""The prize page, the archive and the Frivillig Fredag page; the calendar entries."""

import datetime

import pytest
from django.utils import timezone
from wagtail import hooks as wagtail_hooks

from frivillig_blocks import hooks
from initiativpris.integration import calendar_entries
from initiativpris.models import Consent, Sponsor

from .conftest import make_nomination, round_in_phase

PRIZE = "/frivillig/initiativpris/"
DAY_URL = "/frivillig/frivillig-fredag/"


def announced_round(year, winner_name, *, consent=Consent.GIVEN):
    now = timezone.now()
    round = round_in_phase(
        "announced",
        slug=f"pris-{year}",
        year=year,
        nominations_open=now.replace(year=year) - datetime.timedelta(days=400),
        nominations_close=now.replace(year=year) - datetime.timedelta(days=390),
        vote_open=now.replace(year=year) - datetime.timedelta(days=380),
        vote_close=now.replace(year=year) - datetime.timedelta(days=370),
        announcement_at=now.replace(year=year) - datetime.timedelta(days=360),
        decision_model="jury",
    )
    winner = make_nomination(round, n=year, nominee_name=winner_name, consent=consent)
    round.winner = winner
    round.save()
    return round


def test_the_prize_page_shows_the_current_round(client, prize_pages):
    round = round_in_phase("nominations", rules="<p>Prisen gives til frivillige.</p>")
    Sponsor.objects.create(round=round, name="Dragør Sparekasse", url="https://example.org")
    announced_round(2024, "Lektiecaféen")
    html = client.get(PRIZE).content.decode()
    assert f"Initiativprisen {round.year}" in html
    assert "Prisen gives til frivillige." in html
    assert "Dragør Sparekasse" in html
    assert "Indstil en kandidat" in html and PRIZE + "indstil/" in html
    assert "Lektiecaféen" in html  # an earlier winner


def test_names_without_consent_are_never_shown(client, prize_pages):
    announced_round(2023, "Hemmelig Person", consent=Consent.DECLINED)
    for url in [PRIZE, PRIZE + "arkiv/", PRIZE + "arkiv/pris-2023/", DAY_URL]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Hemmelig Person" not in response.content.decode()


def test_the_archive_lists_rounds_with_their_winners(client, prize_pages):
    announced_round(2023, "Strandrenserne")
    announced_round(2024, "Lektiecaféen")
    round_in_phase("nominations")
    html = client.get(PRIZE + "arkiv/").content.decode()
    assert html.index("Lektiecaféen") < html.index("Strandrenserne")
    response = client.get(PRIZE + "arkiv/pris-2023/")
    assert "Strandrenserne" in response.content.decode()
    assert client.get(PRIZE + "arkiv/findes-ikke/").status_code == 404


def test_an_unpublished_round_is_not_shown(client, prize_pages):
    round_in_phase("nominations", live=False, prize_name="Hemmelig Pris")
    html = client.get(PRIZE).content.decode()
    assert "Hemmelig Pris" not in html
    assert client.get(PRIZE + "indstil/").status_code == 404


def test_frivillig_fredag_shows_the_programme_the_ceremony_and_a_call_to_nominate(
    client, prize_pages
):
    now = timezone.now()
    round = round_in_phase("nominations", year=now.year, ceremony_place="Dragør Rådhus")
    announced_round(2024, "Lektiecaféen")
    day = round.frivillig_fredag
    asked = []

    def events(start, end, limit):
        asked.append((start, end))
        start_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))
        return [
            {
                "title": "Åbent hus i Frivillighuset",
                "url": "/kalender/1/",
                "start": start_at,
                "end": start_at + datetime.timedelta(hours=2),
                "place": "Frivillighuset",
            }
        ]

    with wagtail_hooks.register_temporarily(hooks.CALENDAR_EVENTS, events):
        html = client.get(DAY_URL).content.decode()
    assert "Dagens program" in html and "Åbent hus i Frivillighuset" in html and "14:00" in html
    assert timezone.localtime(asked[0][0]).date() == day
    assert asked[0][1] - asked[0][0] == datetime.timedelta(days=1)
    assert "Prisuddelingen" in html and "Dragør Rådhus" in html
    assert "Indstil en kandidat" in html and PRIZE + "indstil/" in html
    assert "Lektiecaféen" in html


def test_frivillig_fredag_is_quiet_without_a_calendar_and_after_nominations(client, prize_pages):
    round_in_phase("vote")
    html = client.get(DAY_URL).content.decode()
    assert "Dagens program" not in html
    assert "Indstil en kandidat" not in html


def test_the_pages_work_without_any_round(client, prize_pages):
    assert "Der er ingen prisrunde" in client.get(PRIZE).content.decode()
    assert client.get(DAY_URL).status_code == 200
    assert client.get(PRIZE + "indstil/").status_code == 404
    assert client.get(PRIZE + "stem/").status_code == 404
    assert client.get(PRIZE + "resultat/").status_code == 404


def test_the_round_gives_frivillig_fredag_and_the_ceremony_to_the_calendar(prize_pages):
    round = round_in_phase("nominations", year=2026, slug="r26")
    round.announcement_at = timezone.make_aware(datetime.datetime(2026, 9, 25, 19, 0))
    round.save()
    start = timezone.make_aware(datetime.datetime(2026, 9, 1))
    entries = calendar_entries(start, start + datetime.timedelta(days=30))
    kinds = {(e.kind, timezone.localtime(e.start).date()) for e in entries}
    assert kinds == {("prize", datetime.date(2026, 9, 25))}
    assert len(entries) == 2
    assert entries[0].url == DAY_URL or entries[1].url == DAY_URL
    assert hooks.calendar_entries(start, start + datetime.timedelta(days=30)) == sorted(
        entries, key=lambda e: (e.start, e.title)
    )
    round.frivillig_fredag_override = datetime.date(2026, 9, 18)
    round.save()
    days = {
        timezone.localtime(e.start).date()
        for e in calendar_entries(start, start + datetime.timedelta(days=30))
    }
    assert datetime.date(2026, 9, 18) in days
    assert not calendar_entries(
        start + datetime.timedelta(days=60), start + datetime.timedelta(days=90)
    )


@pytest.mark.parametrize("url", [PRIZE, PRIZE + "arkiv/", DAY_URL])
def test_the_pages_ask_a_bounded_number_of_queries(
    client, prize_pages, url, django_assert_max_num_queries
):
    for year in range(2010, 2022):
        announced_round(year, f"Vinder {year}")
    round = round_in_phase("nominations")
    for i in range(5):
        Sponsor.objects.create(round=round, name=f"Sponsor {i}")
        make_nomination(round, n=i)
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("model", "text"),
    [
        ("vote", "Indstillingerne er lukket. Afstemningen åbner"),
        ("shortlist_vote", "Juryen vurderer indstillingerne."),
        ("jury", "Juryen vurderer indstillingerne."),
    ],
)
def test_the_prize_page_says_what_happens_after_nominations(client, prize_pages, model, text):
    round_in_phase("jury", model=model)
    assert text in client.get(PRIZE).content.decode()
