"""Counting the searches that found nothing, and reading them for the report.

A search is first a pending row (query, month, visitor digest). When ``rules.VISITORS``
different digests exist for a query in a month, the query is kept (``SearchMiss``, counting
one per pending row) and its pending rows are deleted; from then on each search adds one to
the count and no digest is written (so a visitor's repeated searches count before the query
is kept only once, after it every time). The unique constraints hold the invariants under concurrent requests:
one pending row per visitor, one kept row per query and month."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DatabaseError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from frivillig_blocks.figures import Period
from frivillig_blocks.submissions import client_address

from ..models import PendingSearchMiss, SearchMiss
from . import rules

logger = logging.getLogger(__name__)


def visitor_of(request) -> str:
    """Who a search came from, as far as telling visitors apart needs: the session key when
    the visitor has a session, the client's address otherwise. Only its digest is stored."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        # Load it first: a cookie naming no stored session (three made-up cookies from one
        # address would be three visitors) loses its key, and the address counts instead.
        session.get("_")
        if session.session_key:
            return f"session:{session.session_key}"
    return f"address:{client_address(request)}"


def record_miss(*, query: str, visitor: str, day: dt.date | None = None) -> bool:
    """Count one search that found nothing. Returns True when the query is kept (it is in
    the report), False when it is pending or was dropped (see ``rules.keepable``)."""
    query = rules.normalise(query)
    if not rules.keepable(query):
        return False
    period = rules.month_of(day or timezone.localdate())
    kept = SearchMiss.objects.filter(query=query, period=period)
    pending = PendingSearchMiss.objects.filter(query=query, period=period)
    # 1. Kept already: one more. Otherwise the visitor's row, committed on its own so that
    #    concurrent requests see it (one row per visitor: the unique constraint, and
    #    get_or_create when it is there).
    with transaction.atomic():
        if kept.update(count=F("count") + 1):
            return True
        digest = rules.visitor_digest(visitor, period)
        pending.get_or_create(query=query, period=period, visitor=digest)
    # 2. When enough visitors sent it, or another request kept it meanwhile, every pending
    #    row of the query moves into the count. A row is counted by the transaction that
    #    deletes it, so concurrent requests count each visitor once, and the last of them
    #    always sees every row the others committed.
    with transaction.atomic():
        if not kept.exists() and pending.count() < rules.VISITORS:
            return False
        SearchMiss.objects.get_or_create(query=query, period=period, defaults={"count": 0})
        moved, _by_model = pending.delete()
        if moved:
            kept.update(count=F("count") + moved)
    return True


def record_request(request, query: str) -> None:
    """``SEARCH_MISSES``: a search from this request found nothing. Counting must never
    break the search page, so a database error is logged and the search goes on (each step
    of ``record_miss`` is atomic, so a transaction around the request stays usable)."""
    try:
        record_miss(query=query, visitor=visitor_of(request))
    except DatabaseError:
        logger.exception("a search without results could not be counted")


def expire_pending(now: dt.datetime) -> int:
    """Delete the pending rows of past months: a query that did not reach enough visitors
    in its month is forgotten (with its digests). Returns how many rows went."""
    current = rules.month_of(timezone.localdate(now))
    removed, _by_model = PendingSearchMiss.objects.filter(period__lt=current).delete()
    return removed


def top_misses(period: Period, limit: int = rules.TOP) -> list[dict]:
    """The kept queries of every month that overlaps the report's period, the most frequent
    first (then alphabetically), as ``{"query": …, "count": …}``. One query."""
    rows = (
        SearchMiss.objects.filter(period__gte=rules.month_of(period.start), period__lte=period.end)
        .values("query")
        .annotate(total=Sum("count"))
        .order_by("-total", "query")[:limit]
    )
    return [{"query": row["query"], "count": row["total"]} for row in rows]
