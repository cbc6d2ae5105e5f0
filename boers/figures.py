"""The exchange's figures for the council's follow-up (``frivillig_blocks.figures``).

Posts, replies and the time to the first reply are counted from the stored posts, which
are deleted ``BOERS_RETENTION_DAYS`` after they end: a period that reaches back before that
says so in the figure's help text. Whether the owner "found someone" is counted from
:class:`~boers.models.OutcomeTally`, kept after the posts are gone, so that figure survives
retention. The tally is kept per month of closing: a month counts in the period that holds
its first day (so consecutive periods never count a month twice).

Filters: ``association`` (the post's "on behalf of") and ``age_group`` (mapped onto the
post's "suitable for", see ``AGE_GROUPS``). The tally knows neither, so with a filter the
"found someone" figures fall back on the stored posts.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db.models import Count, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.figures import (
    CPH,
    Figure,
    FigureSource,
    Filters,
    Period,
    SharedSubquery,
    aggregate,
    aggregate_per_period,
    annotate_per_period,
    covering,
    days,
    median_duration,
    of_period,
    per_condition,
    rows,
    rows_from_counts,
    rows_of_period,
    share,
)
from frivillig_blocks.parsers import parse_id

from . import conf
from .models import (
    AgeSuitability,
    Conversation,
    Kind,
    Message,
    Outcome,
    OutcomeTally,
    Post,
    PostStatus,
    Side,
)

#: The shared age groups (``frivillig_blocks.AgeGroup.code``) as conditions on a post. A
#: post "for all ages" belongs to no particular group (it is the form's default).
AGE_GROUPS = {
    "boern": Q(age_suitability=AgeSuitability.CHILDREN) | Q(involves_children=True),
    "unge": Q(age_suitability=AgeSuitability.YOUTH),
    "voksne": Q(age_suitability=AgeSuitability.ADULTS),
    "seniorer": Q(age_suitability=AgeSuitability.SENIORS),
    "paa-tvaers": Q(kind=Kind.GENERATIONS),
}
NOTHING = Q(pk__in=[])
#: Posts that are not (yet) out: waiting for approval or rejected by a moderator.
NOT_OUT = (PostStatus.PENDING, PostStatus.REJECTED)


def post_q(filters: Filters, prefix: str = "") -> Q:
    """The filters as a condition on the post at ``prefix`` ("" for Post itself)."""
    condition = Q()
    if filters.association:
        if parse_id(filters.association) is None:
            return NOTHING
        condition &= Q(association_id=parse_id(filters.association))
    if filters.age_group:
        condition &= AGE_GROUPS.get(filters.age_group, NOTHING)
    return _prefixed(condition, prefix) if prefix else condition


def _prefixed(q: Q, prefix: str) -> Q:
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in q.children
    ]
    clone = Q(*children, _connector=q.connector, _negated=q.negated)
    return clone


def month_window(period: Period) -> tuple[dt.date, dt.date]:
    """The months whose first day lies in the period: [first month, first month after)."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    return first, _next_month(period.end)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=CPH)


@functools.cache
def _first_reply_at() -> QuerySet:
    """When a post got its first reply, for a ``SharedSubquery``: one queryset for the
    process, so the statements that read it compare equal from call to call and are
    compiled once (``figures._statement_key``; issue #22)."""
    return (
        Conversation.objects.filter(post=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )


class ExchangeFigures(FigureSource):
    key = "boers"
    title = _("The volunteer exchange")
    order = 30
    filters = frozenset({"association", "age_group"})

    def figures_for(self, periods: tuple[Period, ...], filters: Filters) -> list[list[Figure]]:
        # Each statement covers all the periods (the report's and the year before); only
        # the medians read each period on its own.
        notes = [self._retention_note(period) for period in periods]
        return [
            [*posts, *replies, first_reply, *outcomes]
            for posts, replies, first_reply, outcomes in zip(
                self._posts(periods, filters, notes),
                self._replies(periods, filters, notes),
                self._first_reply(periods, filters, notes),
                self._outcomes(periods, filters),
                strict=True,
            )
        ]

    def _retention_note(self, period: Period) -> str:
        cutoff = timezone.now() - dt.timedelta(days=conf.retention_days())
        if period.since >= cutoff:
            return ""
        return gettext(
            "Posts are deleted %(days)s days after they end: posts that ended before "
            "%(date)s are no longer counted."
        ) % {"days": conf.retention_days(), "date": date_format(timezone.localdate(cutoff))}

    def _posts(self, periods, filters: Filters, notes: list[str]) -> list[list[Figure]]:
        posts = Post.objects.filter(covering(periods, "created_at"), post_q(filters)).exclude(
            status__in=NOT_OUT
        )
        counted = {"n": Count("pk"), "people": Count("author", distinct=True)}
        totals = aggregate_per_period(posts, counted, periods, "created_at")
        figures = [[] for _period in periods]
        for key, field, label, labels in (
            ("posts", "side", _("Posts created (needs and offers)"), dict(Side.choices)),
            ("posts_by_kind", "kind", _("Posts by kind"), dict(Kind.choices)),
            ("posts_by_theme", "theme__name", _("Posts by theme"), {}),
        ):
            groups = annotate_per_period(posts.values(field), counted, periods, "created_at")
            for i, note in enumerate(notes):
                total = of_period(totals, i)
                counts, people = {}, {}
                for row in groups[i]:
                    counts[row[field]] = row["n"]
                    people[row[field]] = row["people"]
                figures[i].append(
                    Figure(
                        key=f"boers.{key}",
                        label=str(label),
                        value=total["n"],
                        people=total["people"],
                        rows=rows_from_counts(counts, labels, people),
                        help_text=note,
                    )
                )
        return figures

    def _replies(self, periods, filters: Filters, notes: list[str]) -> list[list[Figure]]:
        conversations = Conversation.objects.filter(
            covering(periods, "created_at"), post_q(filters, "post__")
        )
        counted = {"n": Count("pk"), "people": Count("starter", distinct=True)}
        totals = aggregate_per_period(conversations, counted, periods, "created_at")
        by_side = annotate_per_period(
            conversations.values("post__side"), counted, periods, "created_at"
        )
        messages = aggregate_per_period(
            Message.objects.filter(
                covering(periods, "created_at"), post_q(filters, "conversation__post__")
            ),
            {"n": Count("pk"), "people": Count("sender", distinct=True)},
            periods,
            "created_at",
        )
        return [
            self._reply_figures(of_period(totals, i), by_side[i], of_period(messages, i), note)
            for i, note in enumerate(notes)
        ]

    def _reply_figures(self, total, by_side, messages, note: str) -> list[Figure]:
        counts, people = {}, {}
        for row in by_side:
            counts[row["post__side"]] = row["n"]
            people[row["post__side"]] = row["people"]
        return [
            Figure(
                key="boers.replies",
                label=str(_("Replies to posts (conversations started)")),
                value=total["n"],
                people=total["people"],
                rows=rows_from_counts(counts, dict(Side.choices), people),
                help_text=note,
            ),
            Figure(
                key="boers.messages",
                label=str(_("Messages sent in conversations")),
                value=messages["n"],
                people=messages["people"],
                help_text=note,
            ),
        ]

    def _first_reply(self, periods, filters: Filters, notes: list[str]) -> list[Figure]:
        first = _first_reply_at()

        def published(when: Q):
            return Post.objects.filter(when, post_q(filters)).annotate(
                first_reply=SharedSubquery(first)
            )

        # The posts that got a reply and their authors in one query for all the periods;
        # the median reads the same rows (published in the period, so ``published_at`` is
        # set) without counting them again.
        replied = aggregate_per_period(
            published(covering(periods, "published_at")).filter(
                first_reply__isnull=False, published_at__isnull=False
            ),
            {"n": Count("author", distinct=True), "cases": Count("pk")},
            periods,
            "published_at",
        )
        return [
            self._first_reply_figure(
                published(period.q("published_at")), of_period(replied, i), notes[i]
            )
            for i, period in enumerate(periods)
        ]

    def _first_reply_figure(self, posts, replied, note: str) -> Figure:
        authors = replied["n"]
        span, _cases = median_duration(posts, "published_at", "first_reply", count=replied["cases"])
        return Figure(
            key="boers.days_to_first_reply",
            label=str(_("Median days from publication to the first reply")),
            value=days(span),
            unit=str(_("days")),
            people=authors,
            decimals=1,
            additive=False,
            help_text=" ".join(
                filter(None, [str(_("Posts published in the period that got a reply.")), note])
            ),
        )

    def _outcomes(self, periods, filters: Filters) -> list[list[Figure]]:
        """Closed with "found someone", and its share of the posts that ended. Counted by
        the month of closing; people are the owners of the posts still stored (a lower
        bound once posts have been deleted: the public page errs on the side of hiding).
        Each statement covers the months of all the periods."""
        windows = [month_window(period) for period in periods]
        spans: list[list[dt.date]] = []  # the windows, those that touch put together
        for first, after in sorted(w for w in windows if w[0] < w[1]):
            if spans and first <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], after)
            else:
                spans.append([first, after])
        closed = Q(pk__in=[])
        months = Q(pk__in=[])
        for first, after in spans:
            closed |= Q(closed_at__gte=_aware(first), closed_at__lt=_aware(after))
            months |= Q(month__gte=first, month__lt=after)
        stored = Post.objects.filter(closed, post_q(filters)).exclude(outcome="")
        in_window = [
            Q(closed_at__gte=_aware(first), closed_at__lt=_aware(after)) for first, after in windows
        ]
        yes = Q(outcome=Outcome.YES)
        by_kind = rows(
            stored.values("kind").annotate(
                **per_condition(
                    {
                        "yes": Count("pk", filter=yes),
                        "ended": Count("pk"),
                        "yes_people": Count("author", distinct=True, filter=yes),
                    },
                    in_window,
                )
            )
        )
        people = aggregate(
            stored,
            per_condition(
                {
                    "yes": Count("author", distinct=True, filter=yes),
                    "ended": Count("author", distinct=True),
                },
                in_window,
            ),
        )
        tallies = []
        if not filters.active().keys() & self.filters:
            tallies = rows(
                OutcomeTally.objects.filter(months)
                .values("kind", "outcome")
                .annotate(
                    **per_condition(
                        {"n": Sum("count")},
                        [Q(month__gte=first, month__lt=after) for first, after in windows],
                    )
                )
            )
        return [
            self._outcome_figures(
                filters,
                {row["kind"]: row for row in rows_of_period(by_kind, i, "ended")},
                of_period(people, i),
                rows_of_period(tallies, i),
            )
            for i in range(len(periods))
        ]

    def _outcome_figures(self, filters: Filters, by_kind, people, tallies) -> list[Figure]:
        if filters.active().keys() & self.filters:
            # The tally knows no association or age group: only the stored posts can tell.
            found = {kind: row["yes"] for kind, row in by_kind.items()}
            ended = sum(row["ended"] for row in by_kind.values())
            help_text = str(
                _(
                    "Counted from the posts still stored (the kept tallies cannot be filtered), "
                    "by the month the post was closed."
                )
            )
        else:
            found, ended = {}, 0
            for row in tallies:
                ended += row["n"]
                if row["outcome"] == Outcome.YES:
                    found[row["kind"]] = found.get(row["kind"], 0) + row["n"]
            help_text = str(
                _(
                    "Counted by the month the post was closed (a month counts in the period "
                    "that holds its first day); kept after the posts are deleted."
                )
            )
        found_total = sum(found.values())
        return [
            Figure(
                key="boers.found_someone",
                label=str(_("Posts closed with “found someone”")),
                value=found_total,
                people=people["yes"],
                rows=rows_from_counts(
                    found,
                    dict(Kind.choices),
                    {kind: by_kind.get(kind, {}).get("yes_people", 0) for kind in found},
                ),
                help_text=help_text,
            ),
            Figure(
                key="boers.found_share",
                label=str(_("Share of ended posts that found someone")),
                value=share(found_total, ended),
                unit="%",
                people=people["ended"],
                decimals=1,
                additive=False,
                help_text=help_text,
            ),
        ]
