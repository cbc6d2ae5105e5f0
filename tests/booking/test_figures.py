"""The loans' figures for the follow-up: counted by when a loan was requested, checked against
the loans the test made (counted here in plain Python), with the filters, the year before,
and a query count that does not grow with the data (the demo history: tests/site/demo)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking import rules as R
from booking.figures import LoanFigures
from booking.models import DeclineReason, Loan, LoanStatus
from frivillig_blocks.figures import Filters, Period, compute

from ..factories import AssociationFactory, UserFactory
from .conftest import make_world

CPH = ZoneInfo("Europe/Copenhagen")
PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
REASONS = ["Lokalet er optaget.", "Uden for åbningstiden.", "Formålet er ikke tilladt."]
PURPOSES = ["association", "meeting", "sports", "children", "culture"]


@dataclass
class Spec:
    requested: dt.datetime
    institution: object
    user: object
    association: object | None
    purpose: str
    status: str
    decision_hours: float | None = None  # None: no decision (pending, or cancelled before)
    leader_decided: bool = True
    reason: str = ""


def make_loan(spec: Spec, n: int) -> Loan:
    decided_at = (
        None
        if spec.decision_hours is None
        else spec.requested + dt.timedelta(hours=spec.decision_hours)
    )
    loan = Loan.objects.create(
        reference=f"T-{n:06d}-{Loan.objects.count()}",
        institution=spec.institution,
        user=spec.user,
        association=spec.association,
        title="Aktivitet",
        purpose=spec.purpose,
        participants=10,
        status=spec.status,
        decided_at=decided_at,
        decided_by=(
            spec.institution.leaders.first() if decided_at and spec.leader_decided else None
        ),
        decline_reason=(
            DeclineReason.objects.get_or_create(text=spec.reason)[0] if spec.reason else None
        ),
        # A leader's own words never reach the figures.
        internal_note=f"Ring til {spec.user} om det" if spec.reason else "",
        first_start=spec.requested + dt.timedelta(days=10),
        last_end=spec.requested + dt.timedelta(days=10, hours=2),
    )
    Loan.objects.filter(pk=loan.pk).update(created_at=spec.requested)  # auto_now_add
    return loan


def random_specs(rng, world, users, associations, start: dt.date, days: int, count: int):
    specs = []
    for _i in range(count):
        day = start + dt.timedelta(days=rng.randrange(days))
        requested = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), CPH)
        status = rng.choice(
            [LoanStatus.APPROVED] * 4
            + [LoanStatus.DECLINED] * 2
            + [LoanStatus.CANCELLED, LoanStatus.PENDING]
        )
        decision = None if status == LoanStatus.PENDING else rng.uniform(0.5, 24 * 9)
        if status == LoanStatus.CANCELLED and rng.random() < 0.5:
            decision = None  # cancelled while it was awaiting a decision
        specs.append(
            Spec(
                requested=requested,
                institution=rng.choice([world.library, world.school]),
                user=rng.choice(users),
                association=rng.choice([None, *associations]),
                purpose=rng.choice(PURPOSES),
                status=status,
                decision_hours=decision,
                leader_decided=status != LoanStatus.APPROVED or rng.random() < 0.8,
                reason=rng.choice(REASONS) if status == LoanStatus.DECLINED else "",
            )
        )
    return specs


def build(world, *, times: int = 1, seed: int = 7):
    """Loans in the period, the year before and after it, and at the period's edges."""
    rng = random.Random(seed)
    users = [UserFactory() for _ in range(8)]
    associations = [world.association, AssociationFactory(live=True)]
    specs = random_specs(rng, world, users, associations, dt.date(2025, 1, 1), 365, 30 * times)
    specs += random_specs(rng, world, users, associations, dt.date(2024, 1, 1), 366, 12 * times)
    specs += random_specs(rng, world, users, associations, dt.date(2026, 1, 1), 200, 5 * times)
    edge = {
        "institution": world.library,
        "user": users[0],
        "association": None,
        "purpose": "meeting",
    }
    specs += [
        Spec(dt.datetime(2025, 12, 31, 23, 30, tzinfo=CPH), status=LoanStatus.PENDING, **edge),
        Spec(dt.datetime(2026, 1, 1, 0, 10, tzinfo=CPH), status=LoanStatus.PENDING, **edge),
        Spec(dt.datetime(2024, 12, 31, 23, 59, tzinfo=CPH), status=LoanStatus.PENDING, **edge),
    ]
    for n, spec in enumerate(specs):
        make_loan(spec, n)
    return specs


def inside(specs, period: Period, **where):
    found = [s for s in specs if period.start <= s.requested.astimezone(CPH).date() <= period.end]
    if "institution" in where:
        found = [s for s in found if s.institution.pk == where["institution"]]
    if "association" in where:
        found = [s for s in found if s.association and s.association.pk == where["association"]]
    return found


def people(specs) -> int:
    return len({s.user.pk for s in specs})


def breakdown(specs, key, label) -> dict:
    groups = {}
    for s in specs:
        groups.setdefault(key(s), []).append(s)
    return {label(k): (len(v), people(v)) for k, v in groups.items()}


def as_dict(rows) -> dict:
    return {r.label: (r.value, r.people) for r in rows}


def expected(specs):
    decided = [s for s in specs if s.decision_hours is not None and s.leader_decided]
    by_status = {st: [s for s in specs if s.status == st] for st in LoanStatus.values}
    return {
        "booking.requested": (
            len(specs),
            people(specs),
            breakdown(specs, lambda s: s.institution.name, str),
        ),
        "booking.purposes": (
            len(specs),
            people(specs),
            breakdown(specs, lambda s: s.purpose, lambda p: str(R.PURPOSES[p])),
        ),
        "booking.approved": (len(by_status["approved"]), people(by_status["approved"]), {}),
        "booking.declined": (
            len(by_status["declined"]),
            people(by_status["declined"]),
            breakdown(by_status["declined"], lambda s: s.reason, str),
        ),
        "booking.cancelled": (len(by_status["cancelled"]), people(by_status["cancelled"]), {}),
        "booking.decision_days": (
            round(statistics.median(s.decision_hours for s in decided) / 24, 1)
            if decided
            else None,
            people(decided),
            {},
        ),
    }


def check(report_or_figures, want):
    for key, (value, who, rows) in want.items():
        figure = report_or_figures(key)
        assert figure is not None, key
        if key == "booking.decision_days" and value is not None:
            assert figure.value == pytest.approx(value, abs=0.051), key
        else:
            assert figure.value == value, key
        assert figure.people == who, key
        assert as_dict(figure.rows) == rows, key


@pytest.fixture
def world(db):
    return make_world()


def test_figures_match_the_loans_made(world):
    specs = build(world)
    report = compute(PERIOD)
    check(report.figure, expected(inside(specs, PERIOD)))
    requested = report.figure("booking.requested")
    assert [r.value for r in requested.rows] == sorted(
        (r.value for r in requested.rows), reverse=True
    )
    median = report.figure("booking.decision_days")
    assert median.additive is False and median.decimals == 1 and median.unit


def test_the_year_before_is_compared(world):
    specs = build(world)
    report = compute(PERIOD)
    section = next(s for s in report.sections if s.key == "booking")
    before = expected(inside(specs, PERIOD.year_before()))
    previous = {c.figure.key: c.previous for c in section.comparisons}
    check(previous.get, before)
    assert before["booking.requested"][0] > 0
    comparison = next(c for c in section.comparisons if c.figure.key == "booking.requested")
    assert comparison.change == len(inside(specs, PERIOD)) - len(
        inside(specs, PERIOD.year_before())
    )


def test_the_institution_filter(world):
    specs = build(world)
    source = LoanFigures()
    figures = {f.key: f for f in source.figures(PERIOD, Filters(institution=str(world.school.pk)))}
    want = expected(inside(specs, PERIOD, institution=world.school.pk))
    check(figures.get, want)
    assert want["booking.requested"][0] < len(inside(specs, PERIOD))
    assert set(as_dict(figures["booking.requested"].rows)) == {"Skolen"}
    assert source.filter_choices() == {
        "institution": [(str(world.library.pk), "Biblioteket"), (str(world.school.pk), "Skolen")]
    }


def test_the_association_filter_and_ignored_filters(world):
    specs = build(world)
    source = LoanFigures()
    pk = world.association.pk
    figures = {f.key: f for f in source.figures(PERIOD, Filters(association=str(pk)))}
    want = expected(inside(specs, PERIOD, association=pk))
    check(figures.get, want)
    assert 0 < want["booking.requested"][0] < len(inside(specs, PERIOD))
    # Filters loans do not carry are ignored (and said so in the report).
    report = compute(PERIOD, Filters(age_group="boern", topic="laan"))
    check(report.figure, expected(inside(specs, PERIOD)))
    section = next(s for s in report.sections if s.key == "booking")
    assert section.ignored == {"age_group", "topic"}
    # A value that is no key of the choices gives nothing, not an error.
    nothing = {f.key: f for f in source.figures(PERIOD, Filters(institution="x"))}
    assert nothing["booking.requested"].value == 0


def test_query_count_does_not_grow_with_the_data(world):
    source = LoanFigures()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            source.figures(PERIOD, Filters())
            source.figures(PERIOD, Filters(institution=str(world.library.pk), association="1"))
        return len(ctx.captured_queries)

    build(world, times=1, seed=1)
    little = count()
    build(world, times=3, seed=2)
    assert Loan.objects.count() > 4 * 30
    assert count() == little


def test_the_statements_are_compiled_once_and_read_the_data_of_each_call(world):
    """The report's statements are compiled once for a period and filters (issue #22), never
    their rows: loans made after a report are in the next one, and another filter gets
    statements of its own."""
    from frivillig_blocks import figures

    source = LoanFigures()
    both = (PERIOD, PERIOD.year_before())
    specs = build(world, seed=3)
    first = {f.key: f for f in source.figures_for(both, Filters())[0]}
    check(first.get, expected(inside(specs, PERIOD)))
    kept = len(figures._compiled)
    again = {f.key: f for f in source.figures_for(both, Filters())[0]}
    assert len(figures._compiled) == kept  # nothing compiled again
    assert again == first

    specs += build(world, seed=4)
    current, previous = source.figures_for(both, Filters())
    check({f.key: f for f in current}.get, expected(inside(specs, PERIOD)))
    check({f.key: f for f in previous}.get, expected(inside(specs, PERIOD.year_before())))
    assert current[0].value > first["booking.requested"].value

    school = {
        f.key: f for f in source.figures_for(both, Filters(institution=str(world.school.pk)))[0]
    }
    check(school.get, expected(inside(specs, PERIOD, institution=world.school.pk)))
