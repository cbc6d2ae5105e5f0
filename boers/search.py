"""Browse and search: one function turns the list's filters into a query, so the public
list, the saved searches' digests and the benchmark all search the same way."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from . import conf, rules
from .models import Area, Post, PostTerm, terms_of

MAX_WORDS = 5
ORDER_NEWEST = "newest"
ORDER_EXPIRING = "expiring"


def _term_posts(word: str):
    terms = PostTerm.objects.all()
    if connection.vendor == "sqlite":
        # A range on the (term, post) index: SQLite's LIKE cannot use it.
        terms = terms.filter(term__gte=word, term__lt=word + "\U0010ffff")
    else:
        terms = terms.filter(term__startswith=word)
    return terms.values("post_id")


def filter_posts(filters: dict, queryset=None):
    """Visible posts matching the filters (the cleaned data of ``forms.SearchForm``, or a
    saved search's stored version of it)."""
    queryset = Post.objects.visible() if queryset is None else queryset
    if filters.get("side"):
        queryset = queryset.filter(side=filters["side"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("theme"):
        queryset = queryset.filter(theme=filters["theme"])
    area = filters.get("area")
    if area:
        queryset = queryset.filter(Q(area_id=getattr(area, "pk", area)) | Q(area__isnull=True))
    day = filters.get("date")
    if day:
        queryset = queryset.filter(
            Q(date_from__isnull=True)
            | Q(date_from__lte=day, date_to__gte=day)
            | Q(date_from=day, date_to__isnull=True)
        )
    for word in terms_of(filters.get("q") or "")[:MAX_WORDS]:
        queryset = queryset.filter(pk__in=_term_posts(word))
    if filters.get("order") == ORDER_EXPIRING:
        return queryset.order_by("expires_at", "pk")
    return queryset.order_by("-published_at", "-pk")


def with_display_relations(queryset):
    return queryset.select_related("area", "association", "theme")


def matching_posts(post, limit: int | None = None) -> list[Post]:
    """The best posts of the opposite side for ``post``: same kind and theme, the same
    or a neighbouring area (or the whole municipality), overlapping time; best first, in
    one query."""
    limit = limit or conf.match_count()
    queryset = Post.objects.visible().filter(
        side=rules.opposite(post.side), kind=post.kind, theme=post.theme_id
    )
    queryset = queryset.exclude(author_id=post.author_id)
    if post.area_id:
        neighbours = Area.neighbours.through.objects.filter(from_area_id=post.area_id).values(
            "to_area_id"
        )
        queryset = queryset.filter(
            Q(area_id=post.area_id) | Q(area_id__in=neighbours) | Q(area__isnull=True)
        )
        # The filter lets in only the same area, a neighbour or the whole municipality.
        area_score = Case(
            When(area_id=post.area_id, then=Value(rules.MatchScore.AREA_SAME)),
            When(area__isnull=True, then=Value(rules.MatchScore.AREA_WIDE)),
            default=Value(rules.MatchScore.AREA_NEARBY),
            output_field=IntegerField(),
        )
    else:
        area_score = Value(rules.MatchScore.AREA_WIDE, output_field=IntegerField())
    if rules.has_dates(post.when_kind) and post.date_from:
        start, end = post.date_from, post.date_to or post.date_from
        queryset = queryset.filter(
            Q(date_from__isnull=True)
            | Q(date_from__lte=end, date_to__gte=start)
            | Q(date_from__lte=end, date_from__gte=start, date_to__isnull=True)
        )
        time_score = Case(
            When(date_from__isnull=True, then=Value(rules.MatchScore.TIME_FLEXIBLE)),
            default=Value(rules.MatchScore.TIME_OVERLAP),
            output_field=IntegerField(),
        )
    else:
        time_score = Value(rules.MatchScore.TIME_FLEXIBLE, output_field=IntegerField())
    queryset = (
        with_display_relations(queryset)
        .annotate(match_score=area_score + time_score)
        .order_by("-match_score", "-published_at", "-pk")
    )
    return list(queryset[:limit])
