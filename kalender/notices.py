"""What the clash check showed the organiser, and what became of it (the council's
follow-up measures "fewer double bookings" with it).

A :class:`~kalender.models.ClashNotice` is recorded once per planned event and distinct
clash – the other event, or a loan of the place – when the organiser's form is shown again
with hard or soft clashes (not per page view: the form re-renders until it is saved, and
the plan's key makes a second showing of the same clash a no-op). Its outcome is settled
when the event is saved (the clash went away: ``moved``; a hard clash the venue agreed to:
``venue_agreed``; a soft clash saved anyway: ``kept``), when a date is moved or cancelled
later so the clash goes away (``moved``), and when the organiser cancels the event
(``withdrawn``). A notice whose event was never saved stays ``pending`` without an event;
the figures count it as withdrawn. The live check while the form is filled in
(``check_view``) records nothing: it answers every keystroke.
"""

from __future__ import annotations

import hashlib
import uuid

from django.db.models import Q
from django.utils import timezone

from .clashes import Clash, ClashReport
from .models import OPEN_OUTCOMES, ClashKind, ClashNotice, ClashOutcome, EventDetails


def parse_key(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def clash_key(clash: Clash) -> str:
    if clash.details_id:
        return f"event:{clash.details_id}"
    digest = hashlib.sha256(f"{clash.title}|{clash.room}".encode()).hexdigest()[:24]
    return f"{clash.kind}:{digest}"


def distinct_clashes(report: ClashReport) -> dict[tuple[str, str], Clash]:
    """The report's clashes by (kind, clash key), each with its first date."""
    found: dict[tuple[str, str], Clash] = {}
    for kind, items in ((ClashKind.HARD, report.hard), (ClashKind.SOFT, report.soft)):
        for clash in items:  # sorted by start
            found.setdefault((str(kind), clash_key(clash)), clash)
    return found


def _rows(items, *, form_key, user, details, shown_at, outcome=ClashOutcome.PENDING):
    return [
        ClashNotice(
            details=details,
            form_key=form_key,
            user=user if user is not None and user.is_authenticated else None,
            kind=kind,
            clash_key=key,
            other_id=clash.details_id,
            clash_start=clash.start,
            shown_at=shown_at,
            outcome=outcome,
        )
        for (kind, key), clash in items
    ]


def record(
    *, user, report: ClashReport, details: EventDetails | None = None, form_key=None
) -> uuid.UUID | None:
    """Record the hard and soft clashes the form shows (one insert; a clash already recorded
    for the plan is left as it is). The plan is the saved event, or ``form_key`` of a new
    one. Returns the plan's key."""
    key = details.uid if details is not None else parse_key(form_key)
    if key is None:
        return None
    items = distinct_clashes(report)
    if items:
        ClashNotice.objects.bulk_create(
            _rows(items.items(), form_key=key, user=user, details=details, shown_at=timezone.now()),
            ignore_conflicts=True,
        )
    return key


def settle(
    *,
    user,
    details: EventDetails,
    report: ClashReport,
    form_key=None,
    draft: bool = False,
) -> None:
    """The event is saved with the clashes of ``report``: attach the new event's notices to
    it, and settle them."""
    now = timezone.now()
    key = parse_key(form_key)
    if key is not None and key != details.uid and user is not None and user.is_authenticated:
        ClashNotice.objects.filter(form_key=key, details__isnull=True, user=user).update(
            details=details, form_key=details.uid
        )
    present = distinct_clashes(report)
    hard = [item for item in present.items() if item[0][0] == ClashKind.HARD]
    soft = [item for item in present.items() if item[0][0] == ClashKind.SOFT]
    if details.venue_agreed and hard:
        ClashNotice.objects.bulk_create(
            _rows(hard, form_key=details.uid, user=user, details=details, shown_at=now),
            ignore_conflicts=True,
        )
        _update(details, hard, ClashOutcome.VENUE_AGREED, now)
    if soft and not draft:
        ClashNotice.objects.bulk_create(
            _rows(soft, form_key=details.uid, user=user, details=details, shown_at=now),
            ignore_conflicts=True,
        )
        _update(
            details, soft, ClashOutcome.KEPT, now, only=(ClashOutcome.PENDING, ClashOutcome.MOVED)
        )
    _moved_unless(details, present, now)


def _match(items) -> Q:
    q = Q(pk__in=[])
    for (kind, key), _clash in items:
        q |= Q(kind=kind, clash_key=key)
    return q


def _update(details, items, outcome, now, only=None) -> None:
    qs = ClashNotice.objects.filter(form_key=details.uid).filter(_match(items))
    if only is not None:
        qs = qs.filter(outcome__in=only)
    qs.exclude(outcome=outcome).update(outcome=outcome, resolved_at=now)


def _moved_unless(details, present, now) -> int:
    """Open notices of the event whose clash is gone: the organiser moved the event."""
    qs = ClashNotice.objects.filter(form_key=details.uid, outcome__in=OPEN_OUTCOMES)
    if present:
        qs = qs.exclude(_match(present.items()))
    return qs.update(outcome=ClashOutcome.MOVED, resolved_at=now)


def recheck(details: EventDetails) -> int:
    """After a date was moved or cancelled: open notices whose clash is gone are ``moved``.
    One query when the event has no open notice."""
    if not ClashNotice.objects.filter(form_key=details.uid, outcome__in=OPEN_OUTCOMES).exists():
        return 0
    from . import clashes
    from .occurrences import expand

    report = clashes.check(
        dates=expand(details.event),
        title=details.event.title,
        place_id=details.place_id,
        room=details.room,
        age_group_ids=list(details.age_groups.values_list("pk", flat=True)),
        theme_ids=list(details.themes.values_list("pk", flat=True)),
        exclude_details_id=details.pk,
    )
    return _moved_unless(details, distinct_clashes(report), timezone.now())


def withdraw(details: EventDetails) -> int:
    """The organiser cancelled the event: its open clashes are withdrawn."""
    return ClashNotice.objects.filter(form_key=details.uid, outcome__in=OPEN_OUTCOMES).update(
        outcome=ClashOutcome.WITHDRAWN, resolved_at=timezone.now()
    )
