"""The inbox's figures for the follow-up: counted by when an inquiry arrived, checked against
the inquiries the test made (counted here in plain Python, the promise judged by the daily
summary's own rule), with the topic filter, the year before, a query count that does not
grow with the data (the demo history: tests/site/demo)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from frivillig_blocks.figures import Filters, Period, compute
from frivillig_blocks.models import Topic
from henvendelser.figures import InquiryFigures, days_allowed
from henvendelser.models import Inquiry, InquiryMessage, InquiryStatus
from henvendelser.tasks import unanswered_cutoff

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
NOW = dt.datetime(2026, 8, 1, 12, tzinfo=CPH)  # every inquiry of the tests is due by then
SENDERS = ["karen@example.org", "Karen@Example.org", "ali@example.org", "bo@example.org"] + [
    f"borger{i}@example.org" for i in range(8)
]


@dataclass
class Spec:
    received: dt.datetime
    email: str
    topic: Topic | None
    answered: dt.datetime | None = None
    status: str = InquiryStatus.CLOSED
    spam: bool = False


def make(spec: Spec) -> Inquiry:
    inquiry = Inquiry.objects.create(
        sender_email=spec.email,
        subject="Spørgsmål",
        topic=spec.topic,
        status=spec.status,
        is_spam=spec.spam,
        first_answered_at=spec.answered,
    )
    InquiryMessage.objects.create(inquiry=inquiry, kind=InquiryMessage.Kind.INCOMING)
    Inquiry.objects.filter(pk=inquiry.pk).update(received_at=spec.received)  # auto_now_add
    return inquiry


@pytest.fixture
def topics():
    return [
        Topic.objects.create(name="Puljer og tilskud", slug="puljer"),
        Topic.objects.create(name="Kurser", slug="kurser"),
    ]


def random_specs(rng, topics, start: dt.date, days: int, count: int):
    specs = []
    for _i in range(count):
        day = start + dt.timedelta(days=rng.randrange(days))
        received = dt.datetime.combine(day, dt.time(rng.randrange(8, 16), rng.randrange(60)), CPH)
        # Whole days give or take 3–6 hours: never within DST's hour of the promise's edge.
        delay = dt.timedelta(days=rng.randrange(1, 6), hours=rng.choice([-6, -4, -3, 3, 4, 6]))
        roll = rng.random()
        spec = Spec(received, rng.choice(SENDERS), rng.choice([None, *topics]))
        if roll < 0.1:
            spec.status = InquiryStatus.CLOSED  # closed without a reply
        elif roll < 0.2:
            spec.status = InquiryStatus.ASSIGNED  # never answered: late
        elif roll < 0.25:
            spec.spam, spec.status, spec.answered = True, InquiryStatus.NEW, None
        else:
            spec.answered = received + delay
            spec.status = rng.choice([InquiryStatus.CLOSED, InquiryStatus.WAITING])
        if roll < 0.05:
            spec.email = ""  # anonymised
        specs.append(spec)
    return specs


def build(topics, *, times: int = 1, seed: int = 3):
    rng = random.Random(seed)
    specs = random_specs(rng, topics, dt.date(2025, 1, 1), 365, 40 * times)
    specs += random_specs(rng, topics, dt.date(2024, 1, 1), 366, 15 * times)
    specs += random_specs(rng, topics, dt.date(2026, 1, 1), 150, 5 * times)
    specs += [
        Spec(dt.datetime(2025, 12, 31, 23, 50, tzinfo=CPH), "kant@example.org", None),
        Spec(dt.datetime(2026, 1, 1, 0, 5, tzinfo=CPH), "kant@example.org", None),
    ]
    for spec in specs:
        make(spec)
    return specs


def inside(specs, period: Period, topic: Topic | None = None):
    return [
        s
        for s in specs
        if not s.spam
        and period.start <= s.received.astimezone(CPH).date() <= period.end
        and (topic is None or s.topic == topic)
    ]


def people(specs) -> int:
    return len({s.email.lower() for s in specs if s.email})


def on_time(spec: Spec) -> bool:
    """The daily summary's rule: late once the cutoff passed the arrival."""
    return spec.received >= unanswered_cutoff(spec.answered)


def expected(specs, now=NOW):
    answered = [s for s in specs if s.answered]
    due = [
        s
        for s in specs
        if s.answered or (s.status != InquiryStatus.CLOSED and s.received < unanswered_cutoff(now))
    ]
    groups = {}
    for s in specs:
        groups.setdefault(s.topic.name if s.topic else gettext("(none)"), []).append(s)
    waits = [(s.answered - s.received).total_seconds() / 3600 for s in answered]
    return {
        "henvendelser.inquiries": (
            len(specs),
            people(specs),
            {name: (len(g), people(g)) for name, g in groups.items()},
        ),
        "henvendelser.first_answer_hours": (
            round(statistics.median(waits), 1) if waits else None,
            people(answered),
            {},
        ),
        "henvendelser.answered_in_time": (
            round(100 * sum(1 for s in due if s.answered and on_time(s)) / len(due), 1)
            if due
            else None,
            people(due),
            {},
        ),
    }


def check(get, want):
    for key, (value, who, rows) in want.items():
        figure = get(key)
        assert figure is not None, key
        if isinstance(value, float):
            assert figure.value == pytest.approx(value, abs=0.051), key
        else:
            assert figure.value == value, key
        assert figure.people == who, key
        assert {r.label: (r.value, r.people) for r in figure.rows} == rows, key


def figures_of(period, filters=None, now=NOW):
    figures = InquiryFigures().figures(period, filters or Filters(), now=now)
    return {f.key: f for f in figures}.get


def test_figures_match_the_inquiries_made(topics):
    specs = build(topics)
    want = expected(inside(specs, PERIOD))
    check(figures_of(PERIOD), want)
    share = want["henvendelser.answered_in_time"][0]
    assert 20 < share < 95  # both on time and late answers are in the data
    # Through the report (``now`` is real time there: every inquiry of 2025 is due).
    report = compute(PERIOD)
    check(report.figure, want)
    median = report.figure("henvendelser.first_answer_hours")
    assert median.additive is False and median.decimals == 1 and median.unit
    assert report.figure("henvendelser.answered_in_time").unit == "%"


def test_the_year_before_is_compared(topics):
    specs = build(topics)
    section = next(s for s in compute(PERIOD).sections if s.key == "henvendelser")
    previous = {c.figure.key: c.previous for c in section.comparisons}
    before = expected(inside(specs, PERIOD.year_before()))
    check(previous.get, before)
    assert before["henvendelser.inquiries"][0] > 0


def test_the_topic_filter(topics):
    specs = build(topics)
    want = expected(inside(specs, PERIOD, topic=topics[0]))
    check(figures_of(PERIOD, Filters(topic="puljer")), want)
    assert 0 < want["henvendelser.inquiries"][0] < len(inside(specs, PERIOD))
    nothing = figures_of(PERIOD, Filters(topic="findes-ikke"))
    assert nothing("henvendelser.inquiries").value == 0
    assert nothing("henvendelser.answered_in_time").value is None
    # Filters inquiries do not carry are ignored, and the report says so.
    report = compute(PERIOD, Filters(institution="1", association="2", age_group="boern"))
    section = next(s for s in report.sections if s.key == "henvendelser")
    assert section.ignored == {"institution", "association", "age_group"}
    check(report.figure, expected(inside(specs, PERIOD)))


def test_not_yet_due_and_closed_without_reply_are_left_out(topics):
    now = timezone.now()
    recent = now - dt.timedelta(hours=1)
    old = now - dt.timedelta(days=10)
    make(Spec(recent, "ny@example.org", None, status=InquiryStatus.NEW))  # not due yet
    make(Spec(old, "glemt@example.org", None, status=InquiryStatus.ASSIGNED))  # late
    make(Spec(old, "tak@example.org", None, status=InquiryStatus.CLOSED))  # needed no reply
    make(Spec(old, "svar@example.org", None, answered=old + dt.timedelta(hours=3)))  # on time
    period = Period.last_twelve_months(timezone.localdate())
    figure = compute(period).figure("henvendelser.answered_in_time")
    assert (figure.value, figure.people) == (50.0, 2)
    assert compute(period).figure("henvendelser.inquiries").value == 4


def test_the_report_made_later_counts_what_has_fallen_due_since(topics):
    """The statement is compiled once (``figures.aggregate``, with ``figures.MOMENT``
    standing in for the cut-off), and each report counts by its own moment: an open
    inquiry that was not due at the first report is late at the second."""

    received = dt.datetime(2025, 6, 2, 10, tzinfo=CPH)  # a Monday
    make(Spec(received, "venter@example.org", None, status=InquiryStatus.NEW))
    make(Spec(received, "svar@example.org", None, answered=received + dt.timedelta(hours=2)))
    before_due = dt.datetime(2025, 6, 3, 10, tzinfo=CPH)  # the next day: not due yet
    after_due = dt.datetime(2025, 6, 10, 10, tzinfo=CPH)  # a week on: late
    period = Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    for _round in range(2):  # the second round reads the statements kept by the first
        early = figures_of(period, now=before_due)("henvendelser.answered_in_time")
        late = figures_of(period, now=after_due)("henvendelser.answered_in_time")
        assert (early.value, early.people) == (100.0, 1)
        assert (late.value, late.people) == (50.0, 2)


def test_a_statement_with_the_moments_stand_in_needs_the_moment(topics):
    from django.db.models import Count, Q, Sum

    from frivillig_blocks import figures

    make(Spec(dt.datetime(2025, 6, 2, 10, tzinfo=CPH), "a@example.org", None))

    def received_before(moment):
        rows = Inquiry.objects.values("status").annotate(
            n=Count("pk", filter=Q(received_at__lt=figures.MOMENT))
        )
        return figures.aggregate(rows, {"total": Sum("n")}, moment=moment)

    for _round in range(2):  # the second round runs the statement kept by the first
        assert received_before(dt.datetime(2025, 6, 1, tzinfo=CPH)) == {"total": 0}
        assert received_before(dt.datetime(2025, 7, 1, tzinfo=CPH)) == {"total": 1}
    with pytest.raises(ValueError, match="moment"):
        received_before(None)


@pytest.mark.parametrize(
    "received, answered, in_time",
    [
        ((2025, 3, 3, 10), (2025, 3, 5, 10), True),  # Monday → Wednesday same time
        ((2025, 3, 3, 10), (2025, 3, 5, 10, 1), False),
        ((2025, 3, 6, 10), (2025, 3, 10, 9), True),  # Thursday → Monday before 10
        ((2025, 3, 6, 10), (2025, 3, 8, 11), False),  # Thursday → Saturday after 10
        ((2025, 3, 7, 10), (2025, 3, 11, 10), True),  # Friday → Tuesday
        ((2025, 3, 7, 10), (2025, 3, 11, 11), False),
        ((2025, 3, 8, 10), (2025, 3, 11, 23, 59), True),  # Saturday → end of Tuesday
        ((2025, 3, 8, 10), (2025, 3, 12, 0, 1), False),
        ((2025, 3, 9, 22), (2025, 3, 11, 23), True),  # Sunday → end of Tuesday
        # Holidays are no working days (issue #19): over Easter 2026 Wednesday → Tuesday.
        ((2026, 4, 1, 10), (2026, 4, 7, 10), True),
        ((2026, 4, 1, 10), (2026, 4, 8, 10, 1), False),
        ((2026, 3, 31, 10), (2026, 4, 7, 10, 1), False),
        ((2026, 12, 22, 10), (2026, 12, 28, 10), True),  # Juleaftensdag, Juledag, a weekend
    ],
)
def test_the_promise_is_the_daily_summarys(topics, received, answered, in_time):
    spec = Spec(dt.datetime(*received, tzinfo=CPH), "a@example.org", None)
    spec.answered = dt.datetime(*answered, tzinfo=CPH)
    make(spec)
    assert on_time(spec) is in_time  # the test's reading of tasks.unanswered_cutoff
    period = Period(spec.received.date().replace(day=1), spec.received.date())
    assert figures_of(period)("henvendelser.answered_in_time").value == (100.0 if in_time else 0.0)


def test_the_promise_follows_the_setting(topics, settings):
    settings.HENVENDELSER_UNANSWERED_WORKING_DAYS = 5
    assert [days_allowed(d, 5) for d in range(1, 8)] == [7, 7, 7, 7, 7, 5, 6]
    assert [days_allowed(d, 2) for d in range(1, 8)] == [4, 4, 2, 2, 2, 2, 3]
    spec = Spec(dt.datetime(2025, 3, 3, 10, tzinfo=CPH), "a@example.org", None)
    spec.answered = spec.received + dt.timedelta(days=6)
    make(spec)
    assert on_time(spec)
    period = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    figure = figures_of(period)("henvendelser.answered_in_time")
    assert figure.value == 100.0 and "5" in figure.help_text


def test_query_count_does_not_grow_with_the_data(topics):
    source = InquiryFigures()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            source.figures(PERIOD, Filters())
            source.figures(PERIOD, Filters(topic="kurser"))
        return len(ctx.captured_queries)

    build(topics, times=1, seed=1)
    little = count()
    build(topics, times=3, seed=2)
    assert Inquiry.objects.count() > 4 * 40
    assert count() == little


def test_the_answers_day_in_copenhagen_is_the_databases_own_across_midnight_and_dst(topics):
    """The answer's local date and weekday (natively computed on SQLite, ``AT TIME ZONE`` on
    PostgreSQL) against Python's own reading of each instant: instants every 17 minutes
    around midnight and around both changes of summer time, and some outside the days the
    native spans cover (Django's own functions answer for those)."""
    from django.db.models import F

    from frivillig_blocks.figures import local_date_and_weekday

    utc = dt.UTC
    instants = []
    for day in (dt.date(2025, 3, 30), dt.date(2025, 10, 26), dt.date(2025, 6, 1)):
        start = dt.datetime.combine(day, dt.time(0), tzinfo=utc) - dt.timedelta(hours=4)
        instants += [start + dt.timedelta(minutes=17 * i) for i in range(8 * 60 // 17)]
    midnight = dt.datetime(2025, 12, 31, 23, 0, tzinfo=utc)  # midnight in Copenhagen
    instants += [midnight + dt.timedelta(seconds=s) for s in (-61, -1, 0, 1, 59, 3601)]
    instants += [
        dt.datetime(2023, 7, 1, 22, 30, tzinfo=utc),
        dt.datetime(2028, 1, 1, 23, 30, tzinfo=utc),
    ]
    for instant in instants:
        make(Spec(instant - dt.timedelta(days=1), "a@example.org", None, answered=instant))
    date, weekday = local_date_and_weekday(
        "first_answered_at", dt.date(2025, 1, 1), dt.date(2026, 12, 31), connection.vendor
    )
    got = {
        row["at"]: (row["date"], row["weekday"])
        for row in Inquiry.objects.annotate(
            at=F("first_answered_at"), date=date, weekday=weekday
        ).values("at", "date", "weekday")
    }
    assert len(got) == len(instants)
    for instant in instants:
        local = instant.astimezone(CPH)
        found_date, found_weekday = got[instant]
        assert (str(found_date), found_weekday) == (str(local.date()), local.isoweekday()), instant


def test_in_time_matches_the_daily_summarys_rule_around_dst_and_holidays(topics):
    """Answers given on both sides of local midnight, the changes of summer time and Easter
    (holidays move the promise): the share in time is the one the summary's own rule gives."""
    rng = random.Random(22)
    specs = []
    for day in (dt.date(2025, 3, 28), dt.date(2025, 4, 16), dt.date(2025, 10, 24)):
        for _i in range(25):
            received = dt.datetime.combine(
                day - dt.timedelta(days=rng.randrange(0, 9)),
                dt.time(rng.randrange(0, 24), rng.randrange(60)),
                CPH,
            )
            answered = dt.datetime.combine(
                day + dt.timedelta(days=rng.randrange(0, 5)),
                rng.choice([dt.time(0, 10), dt.time(23, 50), dt.time(12, 0), dt.time(1, 30)]),
                CPH,
            )
            if answered <= received:
                answered = received + dt.timedelta(hours=2)
            spec = Spec(received, f"p{_i}@example.org", None, answered=answered)
            # Only whole hours from the promise's edge: the figure counts days as 24 hours.
            if abs((received - unanswered_cutoff(answered)).total_seconds()) < 2 * 3600:
                continue
            specs.append(spec)
            make(spec)
    period = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    want = share_of(specs)
    figure = figures_of(period)("henvendelser.answered_in_time")
    assert len(specs) > 50
    assert figure.value == want


def share_of(specs) -> float:
    return round(100 * sum(on_time(s) for s in specs) / len(specs), 1)


def test_the_allowed_wait_read_by_the_database_is_the_daily_summarys_for_every_day(topics):
    """The wait the report allows an answer (one ``CASE`` on the answer's local date for the
    days a holiday moves, one on its weekday for the rest) against the summary's own steps
    back, for an answer at noon on every day from before Easter to after Christmas 2025, and
    an answer outside the listed days (its weekday's rule)."""
    from django.db.models import F

    from frivillig_blocks.figures import local_date_and_weekday
    from henvendelser.figures import allowed_seconds, steps_back

    first, last = dt.date(2025, 4, 1), dt.date(2025, 12, 31)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    outside = dt.date(2026, 4, 6)  # Easter Monday 2026: outside the listed days
    for day in [*days, outside]:
        answered = dt.datetime.combine(day, dt.time(12), CPH)
        make(Spec(answered - dt.timedelta(hours=1), "a@example.org", None, answered=answered))
    date, weekday = local_date_and_weekday("first_answered_at", first, last, connection.vendor)
    got = {
        row["at"].astimezone(CPH).date(): row["allowed"]
        for row in Inquiry.objects.annotate(
            at=F("first_answered_at"), allowed=allowed_seconds(5, first, last, date, weekday)
        ).values("at", "allowed")
    }
    assert len(got) == len(days) + 1
    moved = [day for day in days if steps_back(day, 5) != days_allowed(day.isoweekday(), 5)]
    assert len(moved) > 10  # Easter, Ascension, Whitsun and Christmas move the promise
    for day in days:
        assert got[day] == steps_back(day, 5) * 86400, day
    assert got[outside] == days_allowed(outside.isoweekday(), 5) * 86400


def test_the_inbox_statement_is_kept_and_gives_the_same_figures(topics):
    """The inbox's report run again (its statements kept, figures.aggregate) gives exactly
    the figures of the first run, with the same types, on both databases."""
    from frivillig_blocks import figures

    specs = build(topics)
    figures._compiled.clear()  # the first run compiles
    first = [
        (f.key, f.value, f.people) for f in InquiryFigures().figures(PERIOD, Filters(), now=NOW)
    ]
    again = [
        (f.key, f.value, f.people) for f in InquiryFigures().figures(PERIOD, Filters(), now=NOW)
    ]
    assert again == first
    assert [(type(v), type(p)) for _k, v, p in again] == [(type(v), type(p)) for _k, v, p in first]
    check(figures_of(PERIOD), expected(inside(specs, PERIOD)))
