"""The dates of one fetch applied to the association's events (issue #23).

One feed date is one calendar event. A feed's RRULE may give dates no rule of ours can
express (RDATE, EXDATE, overrides with another title or place), and the feed's exporter
decides what a "series" is; a date of its own carries its own status, clash check and
review, and its identity (``FeedDate.key``: a single event's UID, a series' UID and the
date the rule gives it) is stable across fetches, so a later fetch updates, moves or cancels that one event instead
of duplicating it. The unique constraint ``kalender_one_event_per_feed_date`` holds it in
the database.

What a fetch does to an event:

- a new date: created with the subscription's defaults (themes, age groups, the place when
  the feed names none), clash-checked like the organiser's form: ``clashes.check_each``
  finds for each date what ``clashes.check`` would, and the new dates are created in bulk
  after the fetch's changes and cancellations (``_create_all``), so a first import of
  thousands of dates takes a few dozen statements; two new dates of one feed that clash
  clash both ways;
- the same date, nothing changed (``feed_hash``, a fingerprint of what the feed said and of
  the defaults): no write at all;
- a changed time: moved; changed text or place: updated; ``STATUS:CANCELLED``: cancelled;
- a date gone from the feed that has not started yet: cancelled, kept as cancelled (the
  calendar's subscribers see the cancellation rather than a vanished event).

Status, as the form decides it (``services.save_event``): a trusted organiser
(``services.is_trusted`` for the person who linked the calendar and the association)
publishes directly, others wait for review, and a changed date of an untrusted organiser
goes back to review. A hard clash holds the date for review whoever the organiser is:
nobody is there to state that the venue agreed, so an imported date never carries that
statement and the venue is not told (as in the form, the venue hears only of agreed
clashes). Soft clashes do not hold the date. Each clash is recorded once per event as a
:class:`~kalender.models.ClashNotice` (``imported``) and the organiser is mailed about the
clashes new in this fetch, one mail per fetch: a repeated fetch finds them recorded and
mails nothing.

``refresh`` is the periodic task's work: fetch (conditional request), parse, apply, and
book-keeping of failures (the organiser is mailed once after
``KALENDER_SUBSCRIPTION_FAILURE_MAIL_AFTER`` failures in a row; a good fetch resets it).
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from .. import clashes, conf, notices, rules, services
from ..exceptions import FeedError
from ..models import ClashKind, ClashNotice, ClashOutcome, EventDetails, EventStatus, Subscription
from ..occurrences import Date, calendar, reindex, sync_status
from ..text import clean_description
from .feed import FeedDate

logger = logging.getLogger(__name__)

KEY_LENGTH = EventDetails._meta.get_field("feed_key").max_length
TITLE_LENGTH = 255
ADDRESS_LENGTH = EventDetails._meta.get_field("address").max_length


@dataclass
class ImportResult:
    """What one fetch did (counted by event)."""

    created: int = 0
    moved: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0
    #: Dates the feed gives that we cannot hold (longer than ``KALENDER_MAX_DURATION_HOURS``).
    skipped: int = 0
    #: Events held for review because of a hard clash (in this fetch).
    held: int = 0
    #: Clashes recorded (and mailed) for the first time in this fetch.
    new_clashes: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.moved or self.updated or self.cancelled)


def stored_key(key: str) -> str:
    """The identity as the column holds it: as it is, or its digest when too long."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class PlaceMatcher:
    """A feed's LOCATION to a known place: the place's name or address (case-insensitive),
    the whole text or one of its comma-separated parts ("Medborgerhuset, Kirkevej 7, 2791
    By"). The places are read once per fetch."""

    def __init__(self):
        from frivillig_blocks.models import Place

        self.by_name: dict[str, int] = {}
        self.by_address: dict[str, int] = {}
        for pk, name, address in Place.objects.order_by("pk").values_list("pk", "name", "address"):
            self.by_name.setdefault(name.strip().casefold(), pk)
            self.by_address.setdefault(address.strip().casefold(), pk)

    def match(self, location: str) -> int | None:
        text = location.strip().casefold()
        if not text:
            return None
        parts = [text, *(p.strip() for p in text.split(","))]
        for table in (self.by_name, self.by_address):
            for part in parts:
                if part and part in table:
                    return table[part]
        return None


@dataclass(frozen=True)
class Defaults:
    theme_ids: tuple[int, ...]
    age_group_ids: tuple[int, ...]
    place_id: int | None

    @classmethod
    def of(cls, subscription: Subscription) -> Defaults:
        return cls(
            tuple(sorted(subscription.themes.values_list("pk", flat=True))),
            tuple(sorted(subscription.age_groups.values_list("pk", flat=True))),
            subscription.default_place_id,
        )


@dataclass(frozen=True)
class Wanted:
    """What an event should be after this fetch."""

    date: FeedDate
    key: str
    title: str
    description: str
    place_id: int | None
    address: str
    fingerprint: str


def _wanted(date: FeedDate, defaults: Defaults, places: PlaceMatcher) -> Wanted:
    place_id = places.match(date.location) if date.location else defaults.place_id
    address = "" if place_id else date.location.strip()[:ADDRESS_LENGTH]
    title = (date.title or "").strip()[:TITLE_LENGTH] or "–"
    description = clean_description(date.description)
    parts = [
        date.start.astimezone(datetime.UTC).isoformat(),
        date.end.astimezone(datetime.UTC).isoformat(),
        title,
        description,
        str(place_id or ""),
        address,
        date.url,
        str(date.cancelled),
        ",".join(map(str, defaults.theme_ids)),
        ",".join(map(str, defaults.age_group_ids)),
    ]
    fingerprint = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return Wanted(date, stored_key(date.key), title, description, place_id, address, fingerprint)


def _status(details: EventDetails, *, cancelled: bool, held: bool, trusted: bool, now) -> None:
    if cancelled:
        details.status = EventStatus.CANCELLED
    elif held or not trusted:
        details.status = EventStatus.REVIEW
        details.published_at = None
    else:
        details.status = EventStatus.PUBLISHED
        details.published_at = details.published_at or now


def _check(wanted: Wanted, defaults: Defaults, details_id: int | None) -> clashes.ClashReport:
    d = wanted.date
    return clashes.check(
        dates=[Date(d.start, d.end, d.start, d.end, d.cancelled)],
        title=wanted.title,
        place_id=wanted.place_id,
        room="",
        age_group_ids=defaults.age_group_ids,
        theme_ids=defaults.theme_ids,
        exclude_details_id=details_id,
    )


def _clash_rows(details: EventDetails, report, *, now, known=frozenset()) -> list[ClashNotice]:
    """The notices of the report's clashes not in ``known`` (kind, key): an imported date's
    hard clash waits for the review, a soft one is published as the feed says."""
    fresh = [item for item in notices.distinct_clashes(report).items() if item[0] not in known]
    rows = notices._rows(fresh, form_key=details.uid, user=None, details=details, shown_at=now)
    for row in rows:
        row.imported = True
        row.outcome = ClashOutcome.PENDING if row.kind == ClashKind.HARD else ClashOutcome.KEPT
        if row.outcome == ClashOutcome.KEPT:
            row.resolved_at = now
    return rows


def _record_clashes(details: EventDetails, report, *, now) -> list[int]:
    """Record the report's clashes of a changed date once per event (the rows are the
    record of the mail) and settle the ones that went away. Returns the ids of the notices
    new now."""
    present = notices.distinct_clashes(report)
    notices._moved_unless(details, present, now)
    if not present:
        return []
    known = set(ClashNotice.objects.filter(form_key=details.uid).values_list("kind", "clash_key"))
    rows = _clash_rows(details, report, now=now, known=known)
    if not rows:
        return []
    ClashNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        ClashNotice.objects.filter(
            form_key=details.uid, clash_key__in=[row.clash_key for row in rows]
        ).values_list("pk", flat=True)
    )


def _log(details: EventDetails, action: str, subscription: Subscription, user=None, **data) -> None:
    log(
        instance=details,
        action=action,
        user=user,
        data={"subscription": subscription.pk, **data},
    )


def _create_all(subscription, new: list[Wanted], defaults: Defaults, *, trusted, now, result):
    """Create the events of the feed's new dates in a number of statements that does not grow
    with the dates (issue #23): their clash checks at once (``clashes.check_each``, each date
    as the form's check would find it), then the events, their details, themes and age
    groups, dates, clash records and history rows in bulk; the search index in one task
    after the commit. Two new dates of one feed at the same place and time clash with each
    other (both are held), and a new published date is a soft clash of another new one for
    the same audience, as they would be for dates saved one after the other, but both ways:
    neither was in the calendar first."""
    if not new:
        return
    from django.contrib.contenttypes.models import ContentType
    from schedule.models import Event
    from wagtail.log_actions import registry

    from frivillig_blocks import pagecache

    from ..models import Slot
    from ..occurrences import audience_key, slots_for

    checked = [Date(w.date.start, w.date.end, w.date.start, w.date.end, False) for w in new]
    reports = clashes.check_each(
        [clashes.Planned(d, w.title, w.place_id) for d, w in zip(checked, new, strict=True)],
        room="",
        age_group_ids=defaults.age_group_ids,
        theme_ids=defaults.theme_ids,
    )
    among = _clashes_among(new)
    creator = subscription.created_by
    cal = calendar()
    events = Event.objects.bulk_create(
        Event(
            calendar=cal,
            title=w.title,
            description=w.description,
            start=w.date.start.astimezone(datetime.UTC),
            end=w.date.end.astimezone(datetime.UTC),
            creator=creator,
        )
        for w in new
    )
    all_details = []
    held_flags = []
    for w, event, report, others in zip(new, events, reports, among, strict=True):
        details = EventDetails(
            event=event,
            association_id=subscription.association_id,
            created_by=creator,
            place_id=w.place_id,
            address=w.address,
            subscription=subscription,
            feed_key=w.key,
            feed_hash=w.fingerprint,
            source_url=w.date.url[:2000],
        )
        held = bool(report.hard or others)
        _status(details, cancelled=False, held=held, trusted=trusted, now=now)
        all_details.append(details)
        held_flags.append(held)
    all_details = EventDetails.objects.bulk_create(all_details)
    for details, event in zip(all_details, events, strict=True):
        details.event = event  # the instance, for the slots and the history's label
    _add_clashes_among(all_details, reports, among, defaults)
    if defaults.theme_ids:
        through = EventDetails.themes.through
        through.objects.bulk_create(
            through(eventdetails_id=d.pk, theme_id=t)
            for d in all_details
            for t in defaults.theme_ids
        )
    if defaults.age_group_ids:
        through = EventDetails.age_groups.through
        through.objects.bulk_create(
            through(eventdetails_id=d.pk, agegroup_id=a)
            for d in all_details
            for a in defaults.age_group_ids
        )
    audience = audience_key(defaults.age_group_ids, defaults.theme_ids)
    Slot.objects.bulk_create(
        [
            slot
            for details, event in zip(all_details, events, strict=True)
            for slot in slots_for(
                details, [Date(event.start, event.end, event.start, event.end, False)], audience
            )
        ],
        batch_size=1000,
    )
    notices_rows = []
    for details, report in zip(all_details, reports, strict=True):
        notices_rows += _clash_rows(details, report, now=now)
    if notices_rows:
        ClashNotice.objects.bulk_create(notices_rows, ignore_conflicts=True, batch_size=1000)
        uids = [d.uid for d in all_details]
        for first in range(0, len(uids), 500):
            result.new_clashes += list(
                ClashNotice.objects.filter(form_key__in=uids[first : first + 500])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
    log_model = registry.get_log_model_for_model(EventDetails)
    if log_model is not None:
        from wagtail.log_actions import get_active_log_context

        context = get_active_log_context()
        content_type = ContentType.objects.get_for_model(EventDetails, for_concrete_model=False)
        log_model.objects.bulk_create(
            [
                log_model(
                    content_type=content_type,
                    object_id=str(d.pk),
                    label=str(d),
                    action="kalender.create",
                    timestamp=now,
                    data={"subscription": subscription.pk},
                    user=context.user,
                    uuid=context.uuid,
                )
                for d in all_details
            ],
            batch_size=1000,
        )
    result.created += len(all_details)
    result.held += sum(held_flags)
    ids = [d.pk for d in all_details]
    transaction.on_commit(lambda: _index_later(ids))
    # No save() signal ran: the public pages' content version moves here (on the commit).
    pagecache.content_changed(sender=EventDetails)


def _index_later(ids: list[int]) -> None:
    from ..tasks import index_events

    index_events.enqueue(ids)


def _clashes_among(new: list[Wanted]) -> list[list[int]]:
    """For each new date, the other new dates at its place overlapping it (all rooms: an
    imported date names none): the hard clashes within the feed."""
    found: list[list[int]] = [[] for _ in new]
    by_place: dict[int, list[int]] = {}
    for i, w in enumerate(new):
        if w.place_id:
            by_place.setdefault(w.place_id, []).append(i)
    for indexes in by_place.values():
        indexes.sort(key=lambda i: new[i].date.start)
        spans = [(new[i].date.start, new[i].date.end) for i in indexes]
        for k, item in rules.overlapping_pairs(
            spans, [(*span, j) for span, j in zip(spans, indexes, strict=True)]
        ):
            i, j = indexes[k], item[2]
            if i != j:
                found[i].append(j)
    return found


def _add_clashes_among(all_details, reports, among, defaults: Defaults) -> None:
    """The clashes within the feed into each date's report, once the dates have their ids:
    hard for the same place and time; soft for a published date of the same audience
    starting near (as ``clashes.check`` finds them in the calendar)."""
    for i, others in enumerate(among):
        for j in others:
            d = all_details[j]
            reports[i].hard.append(
                clashes.Clash(0, d.event.start, d.event.end, d.event.title, "event", "", d.pk)
            )
    published = sorted(
        (i for i, d in enumerate(all_details) if d.status == EventStatus.PUBLISHED),
        key=lambda i: all_details[i].event.start,
    )
    if not published or not (defaults.age_group_ids or defaults.theme_ids):
        for report in reports:
            report.hard.sort(key=lambda c: (c.start, c.title))
        return
    window = datetime.timedelta(hours=conf.app_settings.SOFT_CLASH_WINDOW)
    starts = [all_details[j].event.start for j in published]
    for i, report in enumerate(reports):
        start, end = all_details[i].event.start, all_details[i].event.end
        hard_keys = {(c.details_id, c.start) for c in report.hard}
        first = bisect.bisect_left(starts, start - window)
        last = bisect.bisect_left(starts, end + window)
        for j in published[first:last]:
            other = all_details[j]
            if j == i or (other.pk, other.event.start) in hard_keys:
                continue
            if other.event.end > start - window:
                report.soft.append(
                    clashes.Clash(
                        0,
                        other.event.start,
                        other.event.end,
                        other.event.title,
                        "event",
                        "",
                        other.pk,
                    )
                )
        report.hard.sort(key=lambda c: (c.start, c.title))
        report.soft.sort(key=lambda c: (c.start, c.title))


def _update(subscription, details: EventDetails, wanted: Wanted, defaults, *, trusted, now, result):
    d = wanted.date
    event = details.event
    start, end = d.start.astimezone(datetime.UTC), d.end.astimezone(datetime.UTC)
    moved = event.start != start or event.end != end
    event.title, event.description = wanted.title, wanted.description
    event.start, event.end = start, end
    event.save()
    details.place_id, details.address = wanted.place_id, wanted.address
    details.source_url = d.url[:2000]
    details.feed_hash = wanted.fingerprint
    details.sequence += 1
    report = _check(wanted, defaults, details.pk)
    held = bool(report.hard) and not d.cancelled
    was_cancelled = details.status == EventStatus.CANCELLED
    _status(details, cancelled=d.cancelled, held=held, trusted=trusted, now=now)
    details.save()
    details.themes.set(defaults.theme_ids)
    details.age_groups.set(defaults.age_group_ids)
    reindex(details)
    if d.cancelled:
        notices.withdraw(details)
        if not was_cancelled:
            result.cancelled += 1
            _log(details, "kalender.cancelled", subscription)
            return
        result.updated += 1  # the text of a cancelled date
    elif moved:
        result.moved += 1
    else:
        result.updated += 1
    result.held += held
    if not d.cancelled:
        result.new_clashes += _record_clashes(details, report, now=now)
    _log(
        details,
        "kalender.move_date" if moved else "kalender.edit",
        subscription,
        date=start.isoformat(),
    )


def _cancel(subscription, details: EventDetails, *, result, log_data=None, user=None) -> None:
    details.status = EventStatus.CANCELLED
    details.sequence += 1
    # Gone from the feed: should it come back, it counts as changed and is restored.
    details.feed_hash = ""
    details.save(update_fields=["status", "sequence", "feed_hash", "updated_at"])
    sync_status(details)
    notices.withdraw(details)
    result.cancelled += 1
    _log(details, "kalender.cancelled", subscription, user=user, **(log_data or {}))


def apply(subscription: Subscription, dates: list[FeedDate], *, now=None) -> ImportResult:
    """Make the association's events what the feed says (see the module docstring), in one
    transaction, the subscription's row locked so two fetches of one feed do not race.
    A second call with the same dates writes nothing."""
    now = now or timezone.now()
    result = ImportResult()
    with transaction.atomic():
        subscription = (
            # Only the subscription's row: PostgreSQL locks no nullable side of a join.
            Subscription.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .get(pk=subscription.pk)
        )
        defaults = Defaults.of(subscription)
        places = PlaceMatcher()
        existing = {
            d.feed_key: d
            for d in EventDetails.objects.filter(subscription=subscription).select_related("event")
        }
        trusted: bool | None = None
        longest = datetime.timedelta(hours=conf.app_settings.MAX_DURATION_HOURS)
        seen: set[str] = set()
        new: list[Wanted] = []
        for date in dates:
            wanted = _wanted(date, defaults, places)
            if wanted.key in seen:
                continue  # a feed that gives one date twice: the first wins
            seen.add(wanted.key)
            details = existing.get(wanted.key)
            if details is not None and details.feed_hash == wanted.fingerprint:
                result.unchanged += 1
                continue
            if date.end <= date.start or date.end - date.start > longest:
                result.skipped += 1
                seen.discard(wanted.key)  # an event we hold for it is gone from the calendar
                continue
            if details is None and date.cancelled:
                continue  # nothing to cancel
            if trusted is None:
                trusted = services.is_trusted(subscription.created_by, subscription.association_id)
            if details is None:
                new.append(wanted)
            else:
                _update(
                    subscription, details, wanted, defaults, trusted=trusted, now=now, result=result
                )
        for key, details in existing.items():
            if (
                key not in seen
                and details.status != EventStatus.CANCELLED
                and details.event.start >= now
            ):
                _cancel(subscription, details, result=result, log_data={"gone": True})
        # The new dates last, all at once, against the calendar as the changes above left it.
        _create_all(subscription, new, defaults, trusted=bool(trusted), now=now, result=result)
        if result.new_clashes:
            ids = list(result.new_clashes)
            transaction.on_commit(lambda: _tell_clashes(subscription.pk, ids))
    return result


def _tell_clashes(subscription_id: int, notice_ids: list[int]) -> None:
    from ..tasks import tell_import_clashes

    tell_import_clashes.enqueue(subscription_id, notice_ids)


def unlink(subscription: Subscription, *, user=None, now=None) -> int:
    """The association unlinks its calendar: the imported dates that have not started are
    cancelled (kept as cancelled), the past ones stay as they were, and the subscription is
    removed. The events keep their ``feed_key`` (they say they were imported) and may be
    edited here from now on. Returns the number of dates cancelled."""
    now = now or timezone.now()
    result = ImportResult()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        future = (
            EventDetails.objects.filter(subscription=subscription, event__start__gte=now)
            .exclude(status=EventStatus.CANCELLED)
            .select_related("event")
        )
        for details in future:
            _cancel(subscription, details, result=result, log_data={"unlinked": True}, user=user)
        subscription.delete()
    return result.cancelled


# -- fetching: the periodic task's work ----------------------------------------------------

Fetcher = Callable[..., object]
Parser = Callable[..., list[FeedDate]]


def refresh(
    subscription: Subscription,
    *,
    fetcher: Fetcher | None = None,
    parser: Parser | None = None,
    now=None,
) -> ImportResult | None:
    """Fetch the subscription's calendar (a conditional request with the validators of the
    last good fetch), read it and apply its dates. A failure (``FeedError``: its Danish
    message is kept for the organiser's page) changes no event; after
    ``KALENDER_SUBSCRIPTION_FAILURE_MAIL_AFTER`` failures in a row the organiser is mailed,
    once until a good fetch. Returns what the fetch did (no change for "304 Not Modified"),
    or None when it failed."""
    if fetcher is None:
        from .fetch import fetch as fetcher
    if parser is None:
        from .parse import parse as parser
    now = now or timezone.now()
    try:
        fetched = fetcher(
            subscription.url, etag=subscription.etag, last_modified=subscription.last_modified
        )
        if fetched.status == "not_modified":
            result = ImportResult()
        else:
            dates = parser(
                fetched.body,
                start=now,
                end=now + datetime.timedelta(days=conf.app_settings.MAX_RECURRENCE_DAYS),
                max_occurrences=conf.app_settings.MAX_OCCURRENCES,
            )
            result = apply(subscription, dates, now=now)
    except FeedError as error:
        _failed(subscription, str(error.message), now)
        return None
    except Exception:
        # A fault of ours, not of the feed: logged, and the organiser sees the plain message.
        logger.exception("Calendar subscription %s could not be imported", subscription.pk)
        _failed(subscription, str(FeedError.message), now)
        return None
    Subscription.objects.filter(pk=subscription.pk).update(
        etag=(fetched.etag or "")[:500],
        last_modified=(fetched.last_modified or "")[:100],
        last_fetched_at=now,
        last_success_at=now,
        last_error="",
        failures_in_row=0,
        failure_mail_sent_at=None,
    )
    return result


def _failed(subscription: Subscription, message: str, now) -> None:
    limit = conf.app_settings.SUBSCRIPTION_FAILURE_MAIL_AFTER
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(
            last_fetched_at=now,
            last_error=message[:500],
            failures_in_row=F("failures_in_row") + 1,
        )
        # One statement decides who mails: the row passes the limit without a mail yet.
        mail = Subscription.objects.filter(
            pk=subscription.pk, failures_in_row__gte=limit, failure_mail_sent_at__isnull=True
        ).update(failure_mail_sent_at=now)
        if mail:
            from ..tasks import tell_subscription_failing

            transaction.on_commit(lambda: tell_subscription_failing.enqueue(subscription.pk))
