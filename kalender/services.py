"""Use cases of the calendar, one transaction each; they raise the app's exceptions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from schedule.models import Event, Occurrence
from wagtail.log_actions import log

from frivillig_blocks import submissions
from frivillig_blocks.exceptions import FrivilligError
from frivillig_blocks.models import AssociationMembership

from . import clashes, conf, notices
from .exceptions import (
    EditAtSource,
    EditRateLimited,
    HardClash,
    InvalidRecurrence,
    NotADate,
    NotAllowed,
    RateLimited,
)
from .models import EventDetails, EventStatus, TrustedOrganiser, VenueContact
from .occurrences import Date, calendar, expand, reindex, rule_for, sync_status, validate_series
from .text import clean_description

REVIEWER_PERMISSION = "kalender.review_eventdetails"


def is_reviewer(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and user.has_perm(REVIEWER_PERMISSION)
    )


def member_association_ids(user) -> set[int]:
    if not (user and user.is_authenticated):
        return set()
    return set(
        AssociationMembership.objects.filter(user=user).values_list("association_id", flat=True)
    )


def own_events(user):
    """The events a person organises: their associations' events and their own events
    without an association, newest first (Mine sider and "My events")."""
    from django.db.models import Q

    if not (user and user.is_authenticated):
        return EventDetails.objects.none()
    return (
        EventDetails.objects.filter(
            Q(association_id__in=member_association_ids(user))
            | Q(association__isnull=True, organiser_user=user)
        )
        .select_related("event", "association", "place")
        .order_by("-event__start")
    )


def can_edit(user, details: EventDetails) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_reviewer(user):
        return True
    if details.association_id:
        return details.association_id in member_association_ids(user)
    return details.organiser_user_id == user.pk


def is_trusted(user, association_id: int | None) -> bool:
    if is_reviewer(user):
        return True
    if association_id:
        return TrustedOrganiser.objects.filter(association_id=association_id).exists()
    return TrustedOrganiser.objects.filter(user=user).exists()


def refuse_imported(details: EventDetails) -> None:
    """An event still fed by a linked calendar is changed at the source (issue #23): the
    next fetch would overwrite a change made here. Cancelling or postponing the whole event
    (``set_status``) stays possible; reviewers publish and send back as usual."""
    if details.is_linked:
        raise EditAtSource()


@dataclass
class EventData:
    """What the organiser's form gives (validated)."""

    title: str
    start: datetime.datetime
    end: datetime.datetime
    description: str = ""
    recurrence: str = ""
    repeat_until: datetime.date | None = None
    association_id: int | None = None
    organiser_name: str = ""
    place_id: int | None = None
    room: str = ""
    address: str = ""
    age_group_ids: list[int] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    price: str = ""
    registration_url: str = ""
    accessibility: str = ""
    image_id: int | None = None
    cancelled_dates: list[datetime.datetime] = field(default_factory=list)
    venue_agreed: bool = False
    venue_agreed_note: str = ""
    is_municipal: bool = False
    draft: bool = False
    # The create form's plan key: the clashes it showed are recorded under it (notices.py).
    notice_key: str = ""


def build_event(data: EventData, event: Event | None = None) -> Event:
    """The django-scheduler event the data describes (not saved)."""
    from .occurrences import end_of_day

    event = event or Event(calendar=calendar())
    event.title = data.title
    event.description = clean_description(data.description)
    # In UTC: an aware local time in the ambiguous hour compares unequal to every instant of
    # another zone (PEP 495), so nothing downstream compares local times.
    event.start = data.start.astimezone(datetime.UTC)
    event.end = data.end.astimezone(datetime.UTC)
    event.rule = rule_for(data.recurrence)
    event.end_recurring_period = (
        end_of_day(data.repeat_until) if data.recurrence and data.repeat_until else None
    )
    return event


def planned_dates(data: EventData, details: EventDetails | None = None):
    """The dates the data gives, with the chosen cancelled dates flagged; validates size."""
    event = build_event(data, Event(calendar_id=details.event.calendar_id) if details else None)
    validate_series(event)
    cancelled = set(data.cancelled_dates)
    dates = expand(event, persisted=[])
    if details is not None:
        # Existing exceptions of a saved series still apply when they match a date.
        existing = {o.original_start: o for o in details.event.occurrence_set.all()}
        result = []
        for d in dates:
            o = existing.get(d.original_start)
            if o is not None and d.end == o.original_end:
                d = Date(
                    o.start,
                    o.end,
                    d.original_start,
                    d.original_end,
                    o.cancelled,
                    o.start != d.original_start,
                )
            result.append(d)
        dates = result
    return [
        Date(d.start, d.end, d.original_start, d.original_end, True, d.moved)
        if d.original_start in cancelled
        else d
        for d in dates
    ]


def check_clashes(data: EventData, details: EventDetails | None = None) -> clashes.ClashReport:
    return clashes.check(
        dates=planned_dates(data, details),
        title=data.title,
        place_id=data.place_id,
        room=data.room,
        age_group_ids=data.age_group_ids,
        theme_ids=data.theme_ids,
        exclude_details_id=details.pk if details else None,
    )


def _store_image(upload, *, title: str, user) -> int:
    from wagtail.images import get_image_model

    # The uploader is recorded: erasing their event deletes their image (integration.py).
    image = get_image_model()(title=title[:255], file=upload, uploaded_by_user=user)
    image.save()
    return image.pk


def _delete_replaced_image(image_id: int, details: EventDetails, user) -> None:
    """Delete an event's former image (its renditions go with it; Wagtail removes the files
    when the transaction commits) when someone who may change this event uploaded it and no
    other event or page uses it. An image from the library that another person put there,
    or one without an uploader, stays."""
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return
    uploaders = {details.created_by_id, details.organiser_user_id, user.pk} - {None}
    if image.uploaded_by_user_id not in uploaders:
        return
    if EventDetails.objects.filter(image_id=image_id).exists():
        return
    if ReferenceIndex.get_references_to(image).exists():
        return
    image.delete()


@transaction.atomic
def save_event(
    *, user, data: EventData, details: EventDetails | None = None, image=None
) -> EventDetails:
    """Create or change an event. Members act for their own associations only; a hard
    clash blocks unless the organiser states that the venue agreed.

    ``image`` is an uploaded file (the form's): it is stored in Wagtail's image library only
    once every check has passed, and the image it replaces is deleted with its renditions
    when it was uploaded for this event and nothing else uses it (issue #18: 32 edits with a
    new image used to leave 31 orphans)."""
    creating = details is None
    if details is not None:
        details = (
            EventDetails.objects.select_for_update().select_related("event").get(pk=details.pk)
        )
        if not can_edit(user, details):
            raise NotAllowed()
        refuse_imported(details)
    if (
        data.association_id
        and not is_reviewer(user)
        and data.association_id not in member_association_ids(user)
    ):
        raise NotAllowed(_("You can only create events for your own associations."))
    report = check_clashes(data, details)
    if report.hard and not data.venue_agreed:
        raise HardClash()

    event = build_event(data, details.event if details else None)
    if creating:
        event.creator = user
    event.save()
    if creating:
        details = EventDetails(event=event, created_by=user)
        if not data.association_id:
            details.organiser_user = user
    was_public = details.is_public
    details.association_id = data.association_id
    details.organiser_name = data.organiser_name or (
        "" if data.association_id else (user.get_full_name() or "").strip()
    )
    details.place_id = data.place_id
    details.room = data.room if data.place_id else ""
    details.address = "" if data.place_id else data.address
    details.price = data.price
    details.registration_url = data.registration_url
    details.accessibility = data.accessibility
    replaced_image_id = details.image_id
    if image:
        details.image_id = _store_image(image, title=data.title, user=user)
    elif data.image_id:
        details.image_id = data.image_id
    if is_reviewer(user):
        details.is_municipal = data.is_municipal
    details.venue_agreed = bool(report.hard and data.venue_agreed)
    details.venue_agreed_note = data.venue_agreed_note if details.venue_agreed else ""
    if not creating:
        details.sequence += 1

    if data.draft and not was_public:
        details.status = EventStatus.DRAFT
    elif is_trusted(user, data.association_id):
        details.status = (
            EventStatus.PUBLISHED
            if details.status
            in (
                EventStatus.DRAFT,
                EventStatus.REVIEW,
                EventStatus.PUBLISHED,
            )
            else details.status
        )
        details.published_at = details.published_at or timezone.now()
    else:
        # An untrusted organiser's new event, or edit of a published one, waits for review.
        details.status = EventStatus.REVIEW
        details.published_at = None
    details.save()
    if replaced_image_id and replaced_image_id != details.image_id:
        _delete_replaced_image(replaced_image_id, details, user)
    details.age_groups.set(data.age_group_ids)
    details.themes.set(data.theme_ids)

    _apply_cancelled_dates(event, data.cancelled_dates)
    _drop_stale_exceptions(event)
    reindex(details)
    notices.settle(
        user=user, details=details, report=report, form_key=data.notice_key, draft=data.draft
    )

    log(instance=details, action="kalender.create" if creating else "kalender.edit", user=user)
    if details.venue_agreed:
        log(
            instance=details,
            action="kalender.venue_agreed",
            user=user,
            data={
                "note": details.venue_agreed_note,
                "clashes": [f"{c.title} {c.start.isoformat()}" for c in report.hard][:50],
            },
        )
        _tell_venue(details, report)
    return details


#: allauth's rate-limit actions (``ACCOUNT_RATE_LIMITS``): new events, and changes to an
#: event (#18), each per user.
CREATE_RATE_LIMIT = "kalender_event"
EDIT_RATE_LIMIT = "kalender_event_edit"


@dataclass
class Submitted:
    """What the organiser's form led to: the clash report it showed, and the saved event, or
    none when the form is shown again for the organiser to resolve the clashes."""

    report: clashes.ClashReport
    details: EventDetails | None = None
    #: A repeated submit (the same form key) whose first event has been deleted since.
    gone: bool = False

    @property
    def saved(self) -> bool:
        return self.details is not None


def submit_event(
    *,
    user,
    data: EventData,
    details: EventDetails | None = None,
    image=None,
    accept_warnings: bool = False,
    within_rate_limit: Callable[[str], bool],
) -> Submitted:
    """The organiser's form, sent: check the clashes; if the organiser has resolved them
    (a hard clash only with the venue's agreement, warnings only when accepted; a draft
    needs no acceptance of warnings), take one from the rate limit (``within_rate_limit``
    is asked with ``CREATE_RATE_LIMIT`` or ``EDIT_RATE_LIMIT`` and says whether the person
    may go on) and save through :func:`save_event`, which stores the uploaded ``image`` only
    once every check has passed. Otherwise the clashes the form shows are recorded
    (``notices.py``) and nothing else is stored.

    A new event's form key (``data.notice_key``) makes a double submit one event. Raises
    the calendar's errors (``RateLimited`` and ``EditRateLimited`` answer 429)."""
    report = check_clashes(data, details)
    try:
        return _submit_checked(
            user=user,
            data=data,
            details=details,
            image=image,
            report=report,
            accept_warnings=accept_warnings,
            within_rate_limit=within_rate_limit,
        )
    except FrivilligError as error:
        error.report = report  # the form shows the clashes beside the error
        raise


def _submit_checked(
    *, user, data, details, image, report, accept_warnings, within_rate_limit
) -> Submitted:
    resolved = not (report.hard and not data.venue_agreed) and not (
        report.has_warnings and not accept_warnings
    )
    if not (resolved or (data.draft and not report.hard)):
        if report.hard or report.soft:
            record_clash_notices(
                user=user, report=report, details=details, form_key=data.notice_key
            )
        return Submitted(report=report)

    def save():
        if details is None and not within_rate_limit(CREATE_RATE_LIMIT):
            raise RateLimited()
        if details is not None and not within_rate_limit(EDIT_RATE_LIMIT):
            raise EditRateLimited()
        return save_event(user=user, data=data, details=details, image=image)

    if details is not None:
        return Submitted(report=report, details=save())
    saved, _created = submissions.once(
        key=data.notice_key, purpose=f"kalender.event:{user.pk}", create=save
    )
    return Submitted(report=report, details=saved, gone=saved is None)


@transaction.atomic
def record_clash_notices(*, user, report, details: EventDetails | None = None, form_key=None):
    """The organiser's form shows ``report``: record its clashes once per plan."""
    return notices.record(user=user, report=report, details=details, form_key=form_key)


def _apply_cancelled_dates(event: Event, original_starts) -> None:
    if not original_starts:
        return
    duration = event.end - event.start
    existing = {o.original_start: o for o in event.occurrence_set.all()}
    for original_start in original_starts:
        occurrence = existing.get(original_start)
        if occurrence is None:
            Occurrence.objects.create(
                event=event,
                title=event.title,
                start=original_start,
                end=original_start + duration,
                original_start=original_start,
                original_end=original_start + duration,
                cancelled=True,
            )
        elif not occurrence.cancelled:
            occurrence.cancelled = True
            occurrence.save(update_fields=["cancelled", "updated_on"])


def _drop_stale_exceptions(event: Event) -> None:
    """Exceptions for dates the (changed) rule no longer gives are dropped."""
    valid = {d.original_start for d in expand(event, persisted=[])}
    stale = [o.pk for o in event.occurrence_set.all() if o.original_start not in valid]
    if stale:
        Occurrence.objects.filter(pk__in=stale).delete()


def _tell_venue(details: EventDetails, report) -> None:
    contact = VenueContact.objects.filter(place_id=details.place_id).first()
    if contact is None:
        return
    from .tasks import tell_venue_contact

    dates = [c.start.isoformat() for c in report.hard][:50]
    transaction.on_commit(lambda: tell_venue_contact.enqueue(details.pk, contact.pk, dates))


def _find_date(details: EventDetails, original_start: datetime.datetime):
    for d in expand(details.event):
        if d.original_start == original_start:
            return d
    raise NotADate()


@transaction.atomic
def cancel_date(*, user, details: EventDetails, original_start: datetime.datetime) -> None:
    details = EventDetails.objects.select_for_update().select_related("event").get(pk=details.pk)
    if not can_edit(user, details):
        raise NotAllowed()
    refuse_imported(details)
    date = _find_date(details, original_start)
    occurrence = details.event.occurrence_set.filter(original_start=date.original_start).first()
    if occurrence is None:
        Occurrence.objects.create(
            event=details.event,
            title=details.event.title,
            start=date.start,
            end=date.end,
            original_start=date.original_start,
            original_end=date.original_end,
            cancelled=True,
        )
    else:
        occurrence.cancelled = True
        occurrence.save(update_fields=["cancelled", "updated_on"])
    details.sequence += 1
    details.save(update_fields=["sequence", "updated_at"])
    reindex(details)
    notices.recheck(details)
    log(
        instance=details,
        action="kalender.cancel_date",
        user=user,
        data={"date": original_start.isoformat()},
    )


@transaction.atomic
def restore_date(*, user, details: EventDetails, original_start: datetime.datetime) -> None:
    details = EventDetails.objects.select_for_update().select_related("event").get(pk=details.pk)
    if not can_edit(user, details):
        raise NotAllowed()
    refuse_imported(details)
    deleted, _rows = details.event.occurrence_set.filter(original_start=original_start).delete()
    if not deleted:
        raise NotADate()
    details.sequence += 1
    details.save(update_fields=["sequence", "updated_at"])
    reindex(details)
    log(instance=details, action="kalender.edit", user=user)


@transaction.atomic
def move_date(
    *,
    user,
    details: EventDetails,
    original_start: datetime.datetime,
    start: datetime.datetime,
    end: datetime.datetime,
) -> None:
    details = EventDetails.objects.select_for_update().select_related("event").get(pk=details.pk)
    if not can_edit(user, details):
        raise NotAllowed()
    refuse_imported(details)
    if end <= start:
        raise InvalidRecurrence(_("The event must end after it starts."))
    if end - start > datetime.timedelta(hours=conf.app_settings.MAX_DURATION_HOURS):
        raise InvalidRecurrence(_("A single date of the event lasts too long."))
    date = _find_date(details, original_start)
    occurrence = details.event.occurrence_set.filter(original_start=date.original_start).first()
    if occurrence is None:
        occurrence = Occurrence(
            event=details.event,
            title=details.event.title,
            original_start=date.original_start,
            original_end=date.original_end,
        )
    occurrence.start, occurrence.end, occurrence.cancelled = start, end, False
    occurrence.save()
    details.sequence += 1
    if details.status == EventStatus.PUBLISHED and not is_trusted(user, details.association_id):
        details.status = EventStatus.REVIEW
        details.published_at = None
    details.save()
    reindex(details)
    notices.recheck(details)
    log(
        instance=details,
        action="kalender.move_date",
        user=user,
        data={"date": original_start.isoformat()},
    )


@transaction.atomic
def publish(*, user, details: EventDetails) -> bool:
    """Approve an event awaiting review (reviewers only). False if it was not waiting."""
    if not is_reviewer(user):
        raise NotAllowed()
    details = EventDetails.objects.select_for_update().get(pk=details.pk)
    if details.status != EventStatus.REVIEW:
        return False
    details.status = EventStatus.PUBLISHED
    details.published_at = timezone.now()
    details.save(update_fields=["status", "published_at", "updated_at"])
    sync_status(details)
    log(instance=details, action="kalender.publish", user=user)
    return True


@transaction.atomic
def reject(*, user, details: EventDetails, reason: str = "") -> bool:
    if not is_reviewer(user):
        raise NotAllowed()
    details = EventDetails.objects.select_for_update().get(pk=details.pk)
    if details.status != EventStatus.REVIEW:
        return False
    details.status = EventStatus.DRAFT
    details.save(update_fields=["status", "updated_at"])
    sync_status(details)
    log(instance=details, action="kalender.reject", user=user, data={"reason": reason[:500]})
    return True


@transaction.atomic
def set_status(*, user, details: EventDetails, status: str) -> None:
    """Cancel or postpone the whole event (the organiser), or publish it again."""
    details = EventDetails.objects.select_for_update().get(pk=details.pk)
    if not can_edit(user, details):
        raise NotAllowed()
    if status not in (EventStatus.CANCELLED, EventStatus.POSTPONED, EventStatus.PUBLISHED):
        raise NotAllowed()
    if status == EventStatus.PUBLISHED and not details.is_public:
        raise NotAllowed()
    details.status = status
    details.sequence += 1
    details.save(update_fields=["status", "sequence", "updated_at"])
    sync_status(details)
    if status == EventStatus.CANCELLED:
        notices.withdraw(details)
    log(instance=details, action=f"kalender.{status}", user=user)
