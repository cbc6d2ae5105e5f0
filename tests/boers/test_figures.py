"""The exchange's figures for the council's follow-up: posts by side, kind and theme,
replies, the median time to the first reply and "found someone" from the outcome tally that
outlives the posts. Each expectation is counted by hand from the objects the test made."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boers import services
from boers.figures import ExchangeFigures
from boers.models import Conversation, Kind, Message, OutcomeTally, Post, PostStatus, Side
from frivillig_blocks.figures import CPH, Filters, Period, compute, days, sources

from ..factories import AssociationFactory, UserFactory
from .conftest import PostFactory, theme_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 1
PERIOD = Period.year(YEAR)


def at(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=CPH)


def section(report, key="boers"):
    return next(s for s in report.sections if s.key == key)


def comparison(report, key):
    return next(c for c in section(report).comparisons if c.figure.key == key)


def rows(figure):
    return {row.label: (row.value, row.people) for row in figure.rows}


def make_post(author, created, **kw):
    values = {
        "author": author,
        "created_at": created,
        "published_at": created + dt.timedelta(hours=2),
        "expires_at": created + dt.timedelta(days=60),
    }
    values.update(kw)
    return PostFactory(**values)


def reply(post, starter, hours, *, answers=0):
    start = post.published_at + dt.timedelta(hours=hours)
    conversation = Conversation.objects.create(post=post, starter=starter, created_at=start)
    Message.objects.create(conversation=conversation, sender=starter, body="Hej", created_at=start)
    for n in range(answers):
        Message.objects.create(
            conversation=conversation,
            sender=post.author,
            body="Hej igen",
            created_at=start + dt.timedelta(hours=n + 1),
        )
    return conversation


@pytest.fixture(autouse=True)
def only_this_source(monkeypatch):
    """The report of this app alone (found through the registry): the sibling apps' sources
    are tested in their own folders."""
    import frivillig_blocks.figures as registry

    found = [s for s in sources() if s.key == "boers"]
    monkeypatch.setattr(registry, "sources", lambda: found)


@pytest.fixture
def people():
    return [UserFactory(username=f"person{n}") for n in range(8)]


@pytest.fixture
def data(people):
    """Posts in the period, before it, in the year before, some not out; replies."""
    a, b, c, d, e, f, g, h = people
    made = {
        "in": [
            make_post(
                a, at(YEAR, 2, 3), side="need", kind="generations", theme=theme_of("children")
            ),
            make_post(a, at(YEAR, 3, 5), side="offer", kind="recurring", theme=theme_of("sport")),
            make_post(b, at(YEAR, 5, 1), side="need", kind="task", theme=theme_of("culture")),
            make_post(c, at(YEAR, 7, 9), side="offer", kind="equipment", theme=theme_of("nature")),
            make_post(
                d, at(YEAR, 12, 31, 22), side="need", kind="recurring", theme=theme_of("sport")
            ),
            make_post(
                e, at(YEAR, 1, 1, 0), side="need", kind="one_off", theme=theme_of("practical")
            ),
        ],
        "year_before": [
            make_post(
                f, at(YEAR - 1, 6, 1), side="offer", kind="recurring", theme=theme_of("sport")
            ),
            make_post(g, at(YEAR - 1, 9, 1), side="need", kind="task", theme=theme_of("culture")),
        ],
        "outside": [
            make_post(h, at(YEAR - 2, 12, 31, 23), side="need", kind="task"),
            make_post(h, at(YEAR + 1, 1, 1, 0), side="need", kind="task"),
        ],
        "not_out": [
            make_post(f, at(YEAR, 4, 1), status=PostStatus.PENDING, published_at=None),
            make_post(g, at(YEAR, 4, 2), status=PostStatus.REJECTED, published_at=None),
        ],
    }
    posts = made["in"]
    made["conversations"] = [
        reply(posts[0], b, 5, answers=2),
        reply(posts[0], c, 30),
        reply(posts[1], d, 50, answers=1),
        reply(posts[2], a, 2),
        reply(posts[3], e, 200),
        reply(made["year_before"][0], h, 10, answers=1),
    ]
    return made


def expected_posts(posts, field):
    counts, who = Counter(), defaultdict(set)
    for post in posts:
        label = post.theme.name if field == "theme" else getattr(post, f"get_{field}_display")()
        counts[label] += 1
        who[label].add(post.author_id)
    return {label: (n, len(who[label])) for label, n in counts.items()}


def test_the_exchange_is_registered():
    assert any(isinstance(s, ExchangeFigures) for s in sources())


def test_posts_by_side_kind_and_theme(data):
    report = compute(PERIOD)
    posts = data["in"]
    authors = len({p.author_id for p in posts})
    for key, field in (
        ("boers.posts", "side"),
        ("boers.posts_by_kind", "kind"),
        ("boers.posts_by_theme", "theme"),
    ):
        figure = report.figure(key)
        assert (figure.value, figure.people) == (len(posts), authors)
        assert rows(figure) == expected_posts(posts, field)
    before = comparison(report, "boers.posts").previous
    assert (before.value, before.people) == (2, 2)
    assert rows(before) == expected_posts(data["year_before"], "side")


def test_replies_messages_and_median_days_to_first_reply(data):
    report = compute(PERIOD)
    in_period = [c for c in data["conversations"] if c.post in data["in"]]
    figure = report.figure("boers.replies")
    assert figure.value == len(in_period) == 5
    assert figure.people == len({c.starter_id for c in in_period})
    assert rows(figure) == {
        str(Side.NEED.label): (3, len({c.starter_id for c in in_period if c.post.side == "need"})),
        str(Side.OFFER.label): (2, 2),
    }
    messages = Message.objects.filter(conversation__in=in_period)
    figure = report.figure("boers.messages")
    assert figure.value == messages.count() == 8
    assert figure.people == len({m.sender_id for m in messages})
    # First reply per post published in the period: 5 h, 50 h, 2 h, 200 h -> median 27.5 h.
    spans = sorted(
        min(c.created_at for c in in_period if c.post == post) - post.published_at
        for post in {c.post for c in in_period}
    )
    middle = (spans[(len(spans) - 1) // 2] + spans[len(spans) // 2]) / 2
    figure = report.figure("boers.days_to_first_reply")
    assert figure.value == days(middle) == round(27.5 / 24, 1)
    assert figure.people == len({c.post.author_id for c in in_period})
    assert (figure.unit, figure.additive, figure.decimals) == ("dage", False, 1)
    previous = comparison(report, "boers.replies").previous
    assert (previous.value, previous.people) == (1, 1)
    assert comparison(report, "boers.messages").previous.value == 2


def test_the_first_reply_statements_are_compiled_once_and_read_each_calls_data(data, people):
    """The first reply is read through a subquery that is the same queryset for the whole
    process, so its statements are kept compiled (issue #22); a reply made after one report
    is in the next."""
    from frivillig_blocks import figures

    def kept():
        return [
            sql for _db, sql, *_rest in figures._compiled.values() if "boers_conversation" in sql
        ]

    first = compute(PERIOD).figure("boers.days_to_first_reply")
    assert kept(), "the first-reply statements are compiled again at every report"
    before = len(kept())
    assert compute(PERIOD).figure("boers.days_to_first_reply") == first
    assert len(kept()) == before  # nothing compiled again

    # A fifth post answered after 1 h: the spans are 1, 2, 5, 50 and 200 h, the median 5 h.
    post = make_post(people[6], at(YEAR, 11, 1), side="need")
    reply(post, people[7], hours=1)
    again = compute(PERIOD).figure("boers.days_to_first_reply")
    assert first.value == round(27.5 / 24, 1)
    assert (again.value, again.people) == (round(5 / 24, 1), first.people + 1)


def test_the_year_before_says_retention_has_deleted_posts(data, settings):
    settings.BOERS_RETENTION_DAYS = 10_000
    assert compute(PERIOD).figure("boers.posts").help_text == ""
    settings.BOERS_RETENTION_DAYS = 30
    assert "30" in compute(PERIOD).figure("boers.posts").help_text


def test_found_someone_is_what_owners_answer_when_they_close_and_survives_retention(people):
    a = people[0]
    # Closing a post through the service records the outcome on the post and in the tally.
    post = make_post(a, timezone.now() - dt.timedelta(days=3), kind="generations")
    services.close_post(post=post, user=a, outcome="yes")
    post.refresh_from_db()
    assert (post.status, post.outcome) == (PostStatus.CLOSED, "yes")
    tally = OutcomeTally.objects.get()
    assert (tally.side, tally.kind, tally.outcome, tally.count) == (
        "offer",
        "generations",
        "yes",
        1,
    )
    this_month = Period(timezone.localdate().replace(day=1), timezone.localdate())
    assert compute(this_month).figure("boers.found_someone").value == 1
    # The retention task deletes the post; the figure keeps its count.
    Post.objects.filter(pk=post.pk).delete()
    figure = compute(this_month).figure("boers.found_someone")
    assert figure.value == 1
    assert figure.people == 0  # nobody left to count: the public page withholds it


def test_found_someone_counts_the_tally_by_month(people):
    a, b, c, d, *_ = people
    tallies = [
        # month, side, kind, outcome, count
        (dt.date(YEAR, 1, 1), "need", "generations", "yes", 3),
        (dt.date(YEAR, 6, 1), "offer", "recurring", "yes", 4),
        (dt.date(YEAR, 6, 1), "offer", "recurring", "no", 2),
        (dt.date(YEAR, 12, 1), "need", "task", "unanswered", 5),
        (dt.date(YEAR - 1, 12, 1), "need", "task", "yes", 7),  # the year before
        (dt.date(YEAR - 1, 3, 1), "need", "task", "no", 1),  # the year before
    ]
    for month, side, kind, outcome, count in tallies:
        OutcomeTally.objects.create(month=month, side=side, kind=kind, outcome=outcome, count=count)
    # The posts still stored behind some of those counts (by three owners).
    for author, kind, month in ((a, "generations", 1), (b, "generations", 1), (c, "recurring", 6)):
        make_post(
            author,
            at(YEAR, month, 1),
            side="need" if kind == "generations" else "offer",
            kind=kind,
            status=PostStatus.CLOSED,
            outcome="yes",
            closed_at=at(YEAR, month, 20),
        )
    make_post(d, at(YEAR, 6, 1), status=PostStatus.CLOSED, outcome="no", closed_at=at(YEAR, 6, 9))
    report = compute(PERIOD)
    found = [t for t in tallies if t[0].year == YEAR and t[3] == "yes"]
    ended = [t for t in tallies if t[0].year == YEAR]
    figure = report.figure("boers.found_someone")
    assert figure.value == sum(t[4] for t in found) == 7
    assert figure.people == 3
    assert rows(figure) == {
        str(Kind.GENERATIONS.label): (3, 2),
        str(Kind.RECURRING.label): (4, 1),
    }
    assert sorted((r.value, r.people) for r in figure.rows) == [(3, 2), (4, 1)]
    share = report.figure("boers.found_share")
    assert share.value == round(100 * 7 / sum(t[4] for t in ended), 1)
    assert (share.unit, share.people, share.additive) == ("%", 4, False)
    previous = comparison(report, "boers.found_someone").previous
    assert previous.value == 7
    assert comparison(report, "boers.found_share").previous.value == round(100 * 7 / 8, 1)
    # A month belongs to the period holding its first day: mid-June to mid-December holds
    # the tallies of July to December only (none of them "yes").
    assert (
        compute(Period(dt.date(YEAR, 6, 15), dt.date(YEAR, 12, 15)))
        .figure("boers.found_someone")
        .value
        == 0
    )
    assert (
        compute(Period(dt.date(YEAR, 6, 1), dt.date(YEAR, 6, 1)))
        .figure("boers.found_someone")
        .value
        == 4
    )


def test_association_and_age_group_filters(people):
    a, b, c, d, *_ = people
    club, other = AssociationFactory(), AssociationFactory()
    club_posts = [
        make_post(a, at(YEAR, 3, 1), association=club, age_suitability="seniors"),
        make_post(b, at(YEAR, 4, 1), association=club, kind="generations", age_suitability="all"),
    ]
    club_posts[0].status, club_posts[0].outcome = PostStatus.CLOSED, "yes"
    club_posts[0].closed_at = at(YEAR, 3, 10)
    club_posts[0].save()
    make_post(c, at(YEAR, 5, 1), association=other, age_suitability="seniors")
    make_post(d, at(YEAR, 6, 1), age_suitability="children")
    reply(club_posts[1], c, 4)
    OutcomeTally.objects.create(
        month=dt.date(YEAR, 3, 1), side="offer", kind="recurring", outcome="yes", count=9
    )
    everything = compute(PERIOD)
    assert everything.figure("boers.posts").value == 4
    assert everything.figure("boers.found_someone").value == 9  # the tally

    report = compute(PERIOD, Filters(association=str(club.pk)))
    assert report.figure("boers.posts").value == 2
    assert report.figure("boers.posts").people == 2
    assert report.figure("boers.replies").value == 1
    assert report.figure("boers.found_someone").value == 1  # the stored posts, not the tally
    assert section(report).ignored == frozenset()

    seniors = compute(PERIOD, Filters(age_group="seniorer"))
    assert seniors.figure("boers.posts").value == 2
    assert seniors.figure("boers.replies").value == 0
    assert compute(PERIOD, Filters(age_group="paa-tvaers")).figure("boers.posts").value == 1
    assert compute(PERIOD, Filters(age_group="boern")).figure("boers.posts").value == 1
    both = compute(PERIOD, Filters(association=str(club.pk), age_group="seniorer"))
    assert both.figure("boers.posts").value == 1
    assert compute(PERIOD, Filters(age_group="nope")).figure("boers.posts").value == 0
    assert compute(PERIOD, Filters(association="x")).figure("boers.posts").value == 0
    topic = compute(PERIOD, Filters(topic="anything"))
    assert topic.figure("boers.posts").value == 4
    assert section(topic).ignored == frozenset({"topic"})


def _random_activity(rng, users, n):
    for _ in range(n):
        author, starter = rng.sample(users, 2)
        post = make_post(
            author,
            at(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
            side=rng.choice(["need", "offer"]),
            kind=rng.choice(["task", "recurring", "generations", "equipment"]),
            theme=theme_of(rng.choice(["sport", "social", "culture"])),
        )
        reply(post, starter, rng.randint(1, 100), answers=1)
        OutcomeTally.objects.get_or_create(
            month=dt.date(YEAR, rng.randint(1, 12), 1),
            side=post.side,
            kind=post.kind,
            outcome=rng.choice(["yes", "no"]),
            defaults={"count": 2},
        )


def test_the_query_count_does_not_grow_with_the_data(people):
    rng = random.Random(5)
    source = ExchangeFigures()
    filters = (Filters(), Filters(association="1", age_group="unge"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            for f in filters:
                source.figures(PERIOD, f)
        return len(queries)

    _random_activity(rng, people, 4)
    small = count()
    _random_activity(rng, people, 12)
    assert count() == small
