"""The prize's figures for the council's follow-up: nominations received, voters, and the
turnout of the round whose vote closed in the period against the round before it. Each
expectation is counted by hand from the objects the test made."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frivillig_blocks.figures import CPH, Filters, Period, compute, sources
from initiativpris.figures import PrizeFigures
from initiativpris.models import Nomination, PrizeModel, PrizeRound, Vote

from .conftest import make_nomination

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
PERIOD = Period.year(YEAR)


@pytest.fixture(autouse=True)
def only_this_source(monkeypatch):
    """The report of this app alone (found through the registry): the sibling apps' sources
    are tested in their own folders."""
    import frivillig_blocks.figures as registry

    found = [s for s in sources() if s.key == "initiativpris"]
    monkeypatch.setattr(registry, "sources", lambda: found)


def at(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=CPH)


def prize_round(year, *, model=PrizeModel.SHORTLIST_VOTE, live=True, vote_day=19, slug=""):
    has_vote = model != PrizeModel.JURY
    return PrizeRound.objects.create(
        prize_name="Initiativprisen",
        slug=slug or f"prisen-{year}-{model}-{live}",
        year=year,
        decision_model=model,
        live=live,
        nominations_open=at(year, 4, 1),
        nominations_close=at(year, 7, 15),
        vote_open=at(year, 8, 20) if has_vote else None,
        vote_close=at(year, 9, vote_day) if has_vote else None,
        announcement_at=at(year, 9, 26, 17),
    )


def votes(round, nomination, count, *, source=Vote.Source.ONLINE, confirmed=True, day=1):
    Vote.objects.bulk_create(
        Vote(
            round=round,
            nomination=nomination,
            source=source,
            voter_key=None if confirmed or source == Vote.Source.PAPER else f"key{n}",
            confirmed_at=at(round.year, 9, day) if confirmed else None,
        )
        for n in range(count)
    )


def section(report):
    return next(s for s in report.sections if s.key == "initiativpris")


def comparison(report, key):
    return next(c for c in section(report).comparisons if c.figure.key == key)


def rows(figure):
    return {row.label: (row.value, row.people) for row in figure.rows}


@pytest.fixture
def rounds():
    now = prize_round(YEAR)
    before = prize_round(YEAR - 1)
    older = prize_round(YEAR - 2, model=PrizeModel.VOTE)
    jury = prize_round(YEAR, model=PrizeModel.JURY)
    draft = prize_round(YEAR, live=False, vote_day=25)
    return {"now": now, "before": before, "older": older, "jury": jury, "draft": draft}


def test_the_prize_is_registered():
    assert any(isinstance(s, PrizeFigures) for s in sources())


def test_nominations_received(rounds):
    now, before = rounds["now"], rounds["before"]
    made = [
        make_nomination(now, n=1, nominee_kind="person", created_at=at(YEAR, 4, 2)),
        make_nomination(now, n=2, nominee_kind="person", created_at=at(YEAR, 5, 2)),
        make_nomination(now, n=3, nominee_kind="group", created_at=at(YEAR, 6, 2)),
        make_nomination(
            now,
            n=4,
            nominee_kind="association",
            created_at=at(YEAR, 6, 3),
            nominator_email="indstiller1@example.org",
            slot=2,
        ),
        make_nomination(rounds["jury"], n=5, nominee_kind="group", created_at=at(YEAR, 4, 9)),
    ]
    # Not received in the period: unconfirmed, the jury's own candidate, other years.
    make_nomination(now, n=6, confirmed=False, created_at=at(YEAR, 5, 5))
    make_nomination(now, n=7, created_at=at(YEAR, 5, 6), nominator_key="")
    previous = [
        make_nomination(before, n=8, nominee_kind="group", created_at=at(YEAR - 1, 5, 1)),
        make_nomination(before, n=9, nominee_kind="group", created_at=at(YEAR - 1, 5, 1)),
    ]
    make_nomination(rounds["older"], n=10, created_at=at(YEAR - 2, 5, 1))

    report = compute(PERIOD)
    figure = report.figure("initiativpris.nominations")
    assert figure.value == len(made) == 5
    assert figure.people == len({n.nominator_key for n in made}) == 4
    counts, who = Counter(), defaultdict(set)
    for n in made:
        counts[n.get_nominee_kind_display()] += 1
        who[n.get_nominee_kind_display()].add(n.nominator_key)
    assert rows(figure) == {label: (c, len(who[label])) for label, c in counts.items()}
    before_figure = comparison(report, "initiativpris.nominations").previous
    assert (before_figure.value, before_figure.people) == (len(previous), 2)
    # The prize honours no filter: the report says so, the figures stay.
    filtered = compute(PERIOD, Filters(association="1", age_group="unge", topic="x"))
    assert filtered.figure("initiativpris.nominations").value == 5
    assert section(filtered).ignored == frozenset({"association", "age_group", "topic"})


def test_voters_and_turnout_against_the_round_before(rounds):
    now, before, older = rounds["now"], rounds["before"], rounds["older"]
    a = make_nomination(now, n=1, shortlisted=True)
    b = make_nomination(now, n=2, shortlisted=True)
    votes(now, a, 7)
    votes(now, b, 3, source=Vote.Source.PAPER)
    votes(now, a, 2, confirmed=False)  # never confirmed: not a voter
    votes(before, make_nomination(before, n=3, shortlisted=True), 5)
    votes(older, make_nomination(older, n=4), 4)
    draft_pick = make_nomination(rounds["draft"], n=5, shortlisted=True)
    votes(rounds["draft"], draft_pick, 50, day=24)  # an unpublished round

    report = compute(PERIOD)
    voters = report.figure("initiativpris.voters")
    # Every vote confirmed in the period counts (the draft round's too: they were cast).
    assert voters.value == voters.people == 7 + 3 + 50
    assert rows(voters) == {
        str(Vote.Source.ONLINE.label): (57, 57),
        str(Vote.Source.PAPER.label): (3, 3),
    }
    this = report.figure("initiativpris.round_voters")
    assert (this.value, this.people) == (10, 10)
    assert this.help_text == str(now)
    previous = report.figure("initiativpris.previous_round_voters")
    assert (previous.value, previous.people) == (5, 5)
    assert previous.help_text == str(before)
    change = report.figure("initiativpris.turnout_change")
    assert change.value == round(100 * (10 - 5) / 5, 1) == 100.0
    assert (change.unit, change.people, change.additive, change.decimals) == ("%", 5, False, 1)
    # The year before: its round against the one before that.
    assert comparison(report, "initiativpris.round_voters").previous.value == 5
    assert comparison(report, "initiativpris.turnout_change").previous.value == 25.0
    assert comparison(report, "initiativpris.voters").previous.value == 5
    # Two years back there is no round before: no change to report.
    oldest = compute(Period.year(YEAR - 2), compare=False)
    assert oldest.figure("initiativpris.round_voters").value == 4
    assert oldest.figure("initiativpris.previous_round_voters").value is None
    assert oldest.figure("initiativpris.turnout_change").value is None
    # A period in which no vote closed has no round.
    spring = compute(Period(dt.date(YEAR, 1, 1), dt.date(YEAR, 6, 30)), compare=False)
    assert spring.figure("initiativpris.round_voters").value is None
    assert spring.figure("initiativpris.turnout_change").value is None


def test_the_query_count_does_not_grow_with_the_data(rounds):
    source = PrizeFigures()

    def count():
        with CaptureQueriesContext(connection) as queries:
            source.figures(PERIOD, Filters())
            source.figures(PERIOD.year_before(), Filters())
        return len(queries)

    def add(n):
        for prize in (rounds["now"], rounds["before"]):
            for i in range(n):
                nomination = make_nomination(
                    prize,
                    n=Nomination.objects.count() + 100,
                    created_at=at(prize.year, 5, 1 + i),
                    shortlisted=True,
                )
                votes(prize, nomination, 3)
                votes(prize, nomination, 1, source=Vote.Source.PAPER)

    add(2)
    small = count()
    add(6)
    assert count() == small


def test_two_rounds_alike_in_name_year_and_close_count_apart(rounds):
    """Each round is a group of its own: a twin of this year's round (same prize name, year
    and close of vote) is the round before it, not added to it."""
    now = rounds["now"]
    twin = prize_round(YEAR, slug="prisen-tvilling")
    votes(now, make_nomination(now, n=1, shortlisted=True), 7)
    votes(twin, make_nomination(twin, n=2, shortlisted=True), 3)
    report = compute(PERIOD, compare=False)
    latest, before = twin if twin.pk > now.pk else now, now if twin.pk > now.pk else twin
    counts = {now.pk: 7, twin.pk: 3}
    assert report.figure("initiativpris.round_voters").value == counts[latest.pk]
    assert report.figure("initiativpris.previous_round_voters").value == counts[before.pk]
    assert report.figure("initiativpris.round_voters").help_text == str(latest)
