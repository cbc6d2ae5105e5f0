"""The courses' figures for the follow-up: sessions counted by their first meeting, needs by
when they were sent, checked against the rows the test made (counted here in plain Python),
with the association filter, the year before, a query count that does not grow with the
data (the demo history: tests/site/demo)."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frivillig_blocks import figures
from frivillig_blocks.figures import Filters, Period, compute
from kurser.figures import CourseFigures
from kurser.models import (
    CompetenceArea,
    CompetenceNeed,
    Evaluation,
    Meeting,
    Registration,
    Session,
)

from ..factories import AssociationFactory
from .conftest import CourseFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
S = Registration.Status


@pytest.fixture(autouse=True)
def only_courses(monkeypatch):
    """The report with the courses' section only: the other apps' sources are tested in
    their own folders (and may not be installed)."""
    monkeypatch.setattr(figures, "sources", lambda: [CourseFigures()])


def test_the_source_is_registered(monkeypatch):
    monkeypatch.undo()
    assert any(isinstance(s, CourseFigures) for s in figures.sources())


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), CPH)


def make_session(course, start: dt.datetime, capacity: int = 10, meetings: int = 1) -> Session:
    session = Session.objects.create(
        course=course, capacity=capacity, registration_deadline=start - dt.timedelta(days=3)
    )
    for n in range(meetings):
        begin = start + dt.timedelta(days=7 * n)
        Meeting.objects.create(
            session=session, starts_at=begin, ends_at=begin + dt.timedelta(hours=3)
        )
    session.refresh_from_db()
    return session


def register(session, email, status, *, association=None, via_waiting=False, attended=None):
    queued = session.starts_at - dt.timedelta(days=20)
    confirmed = None
    offered = None
    if status == S.CONFIRMED:
        if via_waiting:
            offered = queued + dt.timedelta(days=5)
            confirmed = offered + dt.timedelta(hours=3)
        else:
            confirmed = queued
    elif status == S.EXPIRED:
        offered = queued + dt.timedelta(days=5)
    elif status == S.CANCELLED and not via_waiting:
        confirmed = queued
    return Registration.objects.create(
        session=session,
        name=email.split("@")[0],
        email=email,
        status=status,
        association=association,
        queued_at=queued,
        confirmed_at=confirmed,
        offered_at=offered,
        attended=attended,
    )


def evaluate(registration, rating, usefulness):
    return Evaluation.objects.create(
        registration=registration,
        session=registration.session,
        rating=rating,
        usefulness=usefulness,
    )


def need(area, when: dt.datetime, email="", association=None):
    item = CompetenceNeed.objects.create(
        competence_area=area, description="Noget", email=email, association=association
    )
    CompetenceNeed.objects.filter(pk=item.pk).update(created_at=when)  # auto_now_add
    return item


def build(rng: random.Random, associations, *, count: int, tag: str):
    """Random sessions inside the period, in the year before and after it, each with
    registrations of every kind, evaluations, and needs over the same days."""
    areas = list(CompetenceArea.objects.all())
    courses = [CourseFactory(competence_area=area) for area in areas]
    courses.append(CourseFactory(competence_area=areas[0], published=False))
    days = (dt.date(2026, 6, 30) - dt.date(2024, 1, 1)).days
    pool = [f"{tag}{n}@example.org" for n in range(30)]
    for _i in range(count):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(days))
        session = make_session(
            rng.choice(courses),
            at(day, rng.randrange(8, 21)),
            capacity=rng.randrange(3, 9),
            meetings=rng.randrange(1, 3),
        )
        for email in rng.sample(pool, rng.randrange(0, 9)):
            status = rng.choice([S.CONFIRMED] * 4 + [S.WAITING, S.EXPIRED, S.CANCELLED])
            via = status == S.EXPIRED or (status != S.WAITING and rng.random() < 0.3)
            if status == S.WAITING:
                via = True
            attended = rng.choice([None, True, True, False]) if status == S.CONFIRMED else None
            registration = register(
                session,
                "" if rng.random() < 0.1 else email,  # anonymised
                status,
                association=rng.choice([None, *associations]),
                via_waiting=via,
                attended=attended,
            )
            if attended and rng.random() < 0.7:
                evaluate(registration, rng.randrange(1, 6), rng.randrange(1, 6))
    for _i in range(count):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(days))
        need(
            rng.choice([None, *areas]),
            at(day, rng.randrange(24)),
            email=rng.choice(["", *pool]),
            association=rng.choice([None, *associations]),
        )


# -- the same figures counted in plain Python ---------------------------------------------


def people(rows, email=lambda r: r.email) -> int:
    return len({email(r) for r in rows if email(r)}) + sum(1 for r in rows if not email(r))


def via_waiting(r) -> bool:
    return r.confirmed_at is None or r.offered_at is not None or r.confirmed_at > r.queued_at


def expected(period: Period, association: int | None = None) -> dict:
    def inside(moment):
        return moment is not None and period.since <= moment < period.until

    all_sessions = list(Session.objects.select_related("course__competence_area"))
    sessions = [s for s in all_sessions if inside(s.starts_at)]
    regs = [
        r
        for r in Registration.objects.select_related("session__course__competence_area")
        if inside(r.session.starts_at) and (association is None or r.association_id == association)
    ]
    evals = [
        e
        for e in Evaluation.objects.select_related("registration", "session__course")
        if inside(e.session.starts_at)
        and (association is None or e.registration.association_id == association)
    ]
    needs = [
        n
        for n in CompetenceNeed.objects.all()
        if inside(n.created_at) and (association is None or n.association_id == association)
    ]

    def answered(n):
        return n.competence_area_id is not None and any(
            s.course.published
            and s.course.competence_area_id == n.competence_area_id
            and s.starts_at > n.created_at
            for s in all_sessions
        )

    confirmed = [r for r in regs if r.status == S.CONFIRMED]
    waiting = [r for r in regs if via_waiting(r)]
    attended = [r for r in confirmed if r.attended]
    recorded = [r for r in confirmed if r.attended is not None]
    seats = sum(s.capacity for s in sessions)
    done = [n for n in needs if answered(n)]
    mean = lambda xs: round(sum(xs) / len(xs), 1) if xs else None  # noqa: E731
    respondents = people(evals, lambda e: e.registration.email)
    return {
        "kurser.sessions": (len(sessions), None),
        "kurser.seats_offered": (seats, None),
        "kurser.seats_filled": (len(confirmed), people(confirmed)),
        "kurser.fill_rate": (
            round(100 * len(confirmed) / seats, 1) if seats else None,
            people(confirmed),
        ),
        "kurser.waiting_list": (len(waiting), people(waiting)),
        "kurser.attended": (len(attended), people(attended)),
        "kurser.attendance_rate": (
            round(100 * len(attended) / len(recorded), 1) if recorded else None,
            people(recorded),
        ),
        "kurser.evaluation_rating": (mean([e.rating for e in evals]), respondents),
        "kurser.evaluation_usefulness": (mean([e.usefulness for e in evals]), respondents),
        "kurser.needs": (len(needs), people(needs)),
        "kurser.needs_answered": (len(done), people(done)),
        "kurser.needs_answered_share": (
            round(100 * len(done) / len(needs), 1) if needs else None,
            people(needs),
        ),
        "_rows": {
            "kurser.seats_offered": _by(
                sessions, lambda s: s.course.competence_area.name, lambda s: s.capacity
            ),
            "kurser.seats_filled": _by(confirmed, lambda r: r.session.course.competence_area.name),
            "kurser.needs_answered": {
                name: len([n for n in done if _area(n) == name])
                for name in {_area(n) for n in done}
            },
            "kurser.evaluation_rating": {
                name: mean(
                    [e.rating for e in evals if e.session.course.competence_area.name == name]
                )
                for name in {e.session.course.competence_area.name for e in evals}
            },
        },
    }


def _area(n):
    return n.competence_area.name if n.competence_area_id else "Intet område angivet"


def _by(items, key, value=lambda _x: 1) -> dict:
    out: dict = {}
    for item in items:
        out[key(item)] = out.get(key(item), 0) + value(item)
    return {k: v for k, v in out.items() if v}


def check(report, want: dict):
    for key, expect in want.items():
        if key.startswith("_"):
            continue
        value, who = expect
        figure = report.figure(key)
        assert figure is not None, key
        assert (figure.value, figure.people) == (value, who), key
    for key, rows in want["_rows"].items():
        got = {row.label: row.value for row in report.figure(key).rows}
        assert got == rows, key


@pytest.fixture
def world(db):
    associations = [AssociationFactory(), AssociationFactory()]
    build(random.Random(11), associations, count=40, tag="a")
    return associations


def test_the_figures_are_what_happened_in_the_period(world):
    with timezone.override("Europe/Copenhagen"):
        report = compute(PERIOD)
    want = expected(PERIOD)
    assert want["kurser.seats_filled"][0] > 0 and want["kurser.needs"][0] > 0
    check(report, want)
    section = next(s for s in report.sections if s.key == "kurser")
    assert section.honoured == frozenset({"association"})
    # The year before, side by side.
    before = expected(PERIOD.year_before())
    for comparison in section.comparisons:
        assert comparison.previous is not None
        value, who = before[comparison.figure.key]
        assert (comparison.previous.value, comparison.previous.people) == (value, who)


def test_the_figures_by_hand():
    """A small case counted by hand: two sessions in the period, one before."""
    area, other = CompetenceArea.objects.order_by("sort_order")[:2]
    course = CourseFactory(competence_area=area)
    inside = make_session(course, at(dt.date(2025, 3, 4)), capacity=4, meetings=2)
    also = make_session(CourseFactory(competence_area=other), at(dt.date(2025, 12, 31), 20), 6)
    make_session(course, at(dt.date(2024, 12, 31), 23), capacity=50)  # the year before
    a = register(inside, "a@x.dk", S.CONFIRMED, attended=True)
    b = register(inside, "b@x.dk", S.CONFIRMED, attended=False)
    register(inside, "c@x.dk", S.CONFIRMED, via_waiting=True, attended=True)
    register(inside, "d@x.dk", S.WAITING)
    register(inside, "e@x.dk", S.EXPIRED)
    register(also, "a@x.dk", S.CONFIRMED)  # the same person again
    register(also, "", S.CANCELLED)  # anonymised
    evaluate(a, 5, 4)
    evaluate(b, 2, 3)
    need(area, at(dt.date(2025, 1, 10)), "n@x.dk")  # answered by the session in March
    need(area, at(dt.date(2025, 5, 1)), "n@x.dk")  # nothing after it in this area
    need(other, at(dt.date(2025, 6, 1)))  # answered in December
    need(None, at(dt.date(2025, 7, 1)), "m@x.dk")
    need(other, at(dt.date(2026, 1, 1)))  # after the period
    report = compute(PERIOD)
    value = {
        k: (report.figure(k).value, report.figure(k).people)
        for k in expected(PERIOD)
        if k[0] != "_"
    }
    assert value == {
        "kurser.sessions": (2, None),
        "kurser.seats_offered": (10, None),
        "kurser.seats_filled": (4, 3),
        "kurser.fill_rate": (40.0, 3),
        "kurser.waiting_list": (3, 3),
        "kurser.attended": (2, 2),
        "kurser.attendance_rate": (66.7, 3),
        "kurser.evaluation_rating": (3.5, 2),
        "kurser.evaluation_usefulness": (3.5, 2),
        "kurser.needs": (4, 3),
        "kurser.needs_answered": (2, 2),
        "kurser.needs_answered_share": (50.0, 3),
    }
    waiting = {r.label: (r.value, r.people) for r in report.figure("kurser.waiting_list").rows}
    assert waiting == {"Got a seat": (1, 1), "Did not get a seat": (2, 2)} or waiting == {
        "Fik en plads": (1, 1),
        "Fik ikke en plads": (2, 2),
    }
    shares = {r.label: r.value for r in report.figure("kurser.needs_answered_share").rows}
    assert shares == {area.name: 50.0, other.name: 100.0}
    assert report.figure("kurser.needs_answered_share").additive is False


def test_the_association_filter(world):
    first = world[0]
    report = compute(PERIOD, Filters(association=str(first.pk)))
    want = expected(PERIOD, association=first.pk)
    # Seats and sessions belong to no association: the whole offer, whatever the filter.
    check(report, want)
    everyone = compute(PERIOD).figure("kurser.seats_filled").value
    assert 0 < report.figure("kurser.seats_filled").value < everyone
    assert report.figure("kurser.needs").value < compute(PERIOD).figure("kurser.needs").value
    # Filters the courses do not carry are ignored, not misapplied.
    ignored = compute(PERIOD, Filters(age_group="unge", topic="x"))
    assert ignored.figure("kurser.seats_filled").value == everyone
    section = next(s for s in ignored.sections if s.key == "kurser")
    assert section.ignored == frozenset({"age_group", "topic"})
    assert compute(PERIOD, Filters(association="nonsense")).figure("kurser.needs").value == 0


def count_queries(period) -> int:
    source = CourseFigures()
    with CaptureQueriesContext(connection) as queries:
        source.figures(period, Filters())
        source.figures(period, Filters(association="1"))
    return len(queries)


def test_the_query_count_does_not_grow_with_the_data(world):
    few = count_queries(PERIOD)
    build(random.Random(12), world, count=80, tag="b")
    assert count_queries(PERIOD) == few
    assert few <= 20
