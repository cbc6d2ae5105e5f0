"""Use cases of the courses, one transaction each; they raise ``kurser.exceptions``.

Seats are never oversold: every change to who holds a seat locks the session row first
(``select_for_update``) and counts confirmed seats plus open offers inside the same
transaction; a person (e-mail) has one registration per session (a unique constraint)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.log_actions import log

from frivillig_blocks import identity
from frivillig_blocks.accounts import person_name
from frivillig_blocks.models import AssociationMembership

from . import exceptions, ics, links, mail, rules
from .models import Evaluation, Registration, Session

logger = logging.getLogger(__name__)
Status = Registration.Status


# --- Counting -----------------------------------------------------------------------------


def seat_counts(session_id: int, now: datetime.datetime) -> dict[str, int]:
    return Registration.objects.filter(session_id=session_id).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        open_offers=Count("pk", filter=Q(status=Status.OFFERED, offer_expires_at__gt=now)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )


def _locked_session(session_id) -> Session:
    try:
        return (
            Session.objects.select_for_update()
            .select_related("course")
            .get(pk=int(session_id), course__published=True)
        )
    except (Session.DoesNotExist, TypeError, ValueError) as exc:
        raise exceptions.InvalidLink(exceptions.CourseError.message) from exc


# --- Mails --------------------------------------------------------------------------------


def _context(registration: Registration) -> dict:
    session = registration.session
    return {
        "registration": registration,
        "session": session,
        "course": session.course,
        "meetings": list(session.meetings.all()),
        "location": ics.session_location(session),
        "course_url": links.course_link(session.course),
        "cancel_url": links.token_link(registration, "cancel"),
    }


def send_confirmation(registration: Registration) -> None:
    context = _context(registration)
    mail.send(
        to=registration.email,
        template="confirmation",
        context=context,
        purpose="kurser_confirmation",
        related=registration,
        files=[
            (
                "kursus.ics",
                ics.session_calendar(registration.session, url=context["course_url"]),
                "text/calendar",
            )
        ],
    )


def send_waiting(registration: Registration) -> None:
    mail.send(
        to=registration.email,
        template="waiting",
        context=_context(registration),
        purpose="kurser_waiting",
        related=registration,
    )


def send_offer(registration: Registration) -> None:
    context = _context(registration)
    context["accept_url"] = links.token_link(registration, "accept")
    context["offer_hours"] = rules.offer_hours()
    mail.send(
        to=registration.email,
        template="offer",
        context=context,
        purpose="kurser_offer",
        related=registration,
    )


def send_cancelled(registration: Registration) -> None:
    context = _context(registration)
    del context["cancel_url"]  # a cancelled seat has no cancel link
    mail.send(
        to=registration.email,
        template="cancelled",
        context=context,
        purpose="kurser_cancelled",
        related=registration,
    )


# --- Registering --------------------------------------------------------------------------


def _clean_email(value) -> str:
    return str(value or "").strip().lower()


def _identity(email: str, *, typed: bool) -> str:
    """The canonical identity of the participant's address (frivillig_blocks.identity). An
    address typed for someone else must have one (a Danish reason otherwise); an account's
    own address, already verified, falls back to the old normalisation."""
    if not typed:
        return identity.canonical_or_legacy(email)
    try:
        return identity.canonical_email(email)
    except identity.InvalidAddress as exc:
        raise exceptions.CourseError(exc.message) from exc


@transaction.atomic
def register(
    *,
    session_id,
    user,
    association_id: int | None = None,
    name: str = "",
    email: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Register ``user`` (or, for their association, the person ``name``/``email``) on the
    session: a seat if one is free and nobody waits, else the waiting list. Locks the
    session row for the count."""
    session = _locked_session(session_id)
    now = now or timezone.now()
    if session.capacity == 0:
        raise exceptions.NoSeats
    if now >= session.registration_deadline:
        raise exceptions.RegistrationClosed
    association = None
    if association_id is not None:
        membership = (
            AssociationMembership.objects.select_related("association")
            .filter(user=user, association_id=association_id)
            .first()
        )
        if membership is None:
            raise exceptions.NotAssociationMember
        association = membership.association
        name, email = str(name).strip(), _clean_email(email)
        key = _identity(email, typed=True) if email else ""
    else:
        name = person_name(user)
        email = _clean_email(user.email)
        key = _identity(email, typed=False) if email else ""
    if not name or not email or not key:
        raise exceptions.CourseError
    existing = Registration.objects.filter(session=session, identity=key).first()
    if existing is not None and existing.is_active:
        raise exceptions.AlreadyRegistered
    if association is not None and session.association_cap is not None:
        taken = Registration.objects.filter(
            session=session, association=association, status__in=Registration.ACTIVE
        ).count()
        if taken >= session.association_cap:
            raise exceptions.AssociationCapReached
    counts = seat_counts(session.pk, now)
    status = rules.new_status(capacity=session.capacity, **counts)
    registration = existing or Registration(session=session, email=email, identity=key)
    registration.user = user
    registration.association = association
    registration.name = name[:200]
    registration.status = status
    registration.queued_at = now
    registration.confirmed_at = now if status == Status.CONFIRMED else None
    registration.offered_at = registration.offer_expires_at = registration.cancelled_at = None
    registration.attended = None
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise exceptions.AlreadyRegistered from exc
    registration.session = session
    if status == Status.CONFIRMED:
        send_confirmation(registration)
    else:
        send_waiting(registration)
    return registration


def offer_free_seats(session: Session, now: datetime.datetime) -> list[Registration]:
    """Offer the free seats to the first in line. The caller holds the session's lock."""
    if session.starts_at is not None and session.starts_at <= now:
        return []
    counts = seat_counts(session.pk, now)
    free = rules.free_seats(
        capacity=session.capacity, confirmed=counts["confirmed"], open_offers=counts["open_offers"]
    )
    offered = []
    if free <= 0:
        return offered
    for registration in Registration.objects.filter(session=session, status=Status.WAITING)[:free]:
        registration.status = Status.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = rules.offer_expiry(now)
        registration.save(update_fields=["status", "offered_at", "offer_expires_at"])
        registration.session = session
        send_offer(registration)
        offered.append(registration)
    return offered


def _registration_by_token(token: str, purpose: str) -> tuple[Registration, Session]:
    from .tokens import matches, read_token

    found = read_token(token, purpose)
    if found is None:
        raise exceptions.InvalidLink
    registration_id, stamp = found
    session_id = (
        Registration.objects.filter(pk=registration_id).values_list("session_id", flat=True).first()
    )
    if session_id is None:
        raise exceptions.InvalidLink
    session = _locked_session(session_id)
    registration = Registration.objects.get(pk=registration_id)
    registration.session = session
    if not matches(registration, purpose, stamp):
        raise exceptions.InvalidLink
    return registration, session


def registration_for_token(token: str, purpose: str) -> Registration:
    """The registration a link points at, without changing anything (for the confirm page)."""
    with transaction.atomic():
        registration, _session = _registration_by_token(token, purpose)
    return registration


@transaction.atomic
def cancel(*, token: str, now: datetime.datetime | None = None) -> Registration:
    """Cancel through the signed link in the mails; a freed seat is offered to the next."""
    now = now or timezone.now()
    registration, session = _registration_by_token(token, "cancel")
    return _cancel(registration, session, now)


def _cancel(registration: Registration, session: Session, now, notify=True) -> Registration:
    """``notify=False``: no "cancelled" mail to the registration's address (an account being
    erased); the freed seat is offered to the next in line all the same."""
    if not registration.is_active:
        raise exceptions.AlreadyCancelled
    if session.starts_at is not None and session.starts_at <= now:
        raise exceptions.TooLateToCancel
    registration.status = Status.CANCELLED
    registration.cancelled_at = now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
    if notify:
        send_cancelled(registration)
    offer_free_seats(session, now)
    return registration


@transaction.atomic
def cancel_own(*, registration_id, user, now=None) -> Registration:
    """Cancel from Mine sider (signed in, own registration only)."""
    now = now or timezone.now()
    session_id = (
        Registration.objects.filter(pk=registration_id, user=user)
        .values_list("session_id", flat=True)
        .first()
    )
    if session_id is None:
        raise exceptions.InvalidLink
    session = _locked_session(session_id)
    registration = Registration.objects.get(pk=registration_id)
    registration.session = session
    return _cancel(registration, session, now)


def accept_offer(*, token: str, now: datetime.datetime | None = None) -> Registration:
    """Take an offered seat through the link in the offer mail. A lapsed offer passes to
    the next in line (committed) before the error is raised."""
    registration = _accept(token, now or timezone.now())
    if registration is None:
        raise exceptions.OfferExpired
    return registration


@transaction.atomic
def _accept(token: str, now: datetime.datetime) -> Registration | None:
    registration, session = _registration_by_token(token, "accept")
    if registration.status == Status.CONFIRMED:
        return registration  # a second click changes nothing
    if registration.status != Status.OFFERED:
        raise exceptions.NoOffer
    if registration.offer_expires_at is None or registration.offer_expires_at <= now:
        _expire(registration, session, now)
        return None
    registration.status = Status.CONFIRMED
    registration.confirmed_at = now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
    send_confirmation(registration)
    return registration


def _expire(registration: Registration, session: Session, now) -> None:
    registration.status = Status.EXPIRED
    registration.save(update_fields=["status"])
    offer_free_seats(session, now)


def expire_offers(now: datetime.datetime | None = None) -> int:
    """Unanswered offers lapse; each freed seat goes to the next in line. Returns how many
    offers lapsed."""
    now = now or timezone.now()
    session_ids = set(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    expired = 0
    for session_id in sorted(session_ids):
        with transaction.atomic():
            session = Session.objects.select_for_update().get(pk=session_id)
            lapsed = list(
                Registration.objects.filter(
                    session=session, status=Status.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in lapsed:
                registration.status = Status.EXPIRED
                registration.save(update_fields=["status"])
            expired += len(lapsed)
            offer_free_seats(session, now)
    return expired


@transaction.atomic
def promote(*, registration_id, by_user, now: datetime.datetime | None = None) -> Registration:
    """Staff move a waiting (or offered) person straight onto a free seat."""
    now = now or timezone.now()
    session_id = (
        Registration.objects.filter(pk=registration_id).values_list("session_id", flat=True).first()
    )
    if session_id is None:
        raise exceptions.InvalidLink
    session = Session.objects.select_for_update().select_related("course").get(pk=session_id)
    registration = Registration.objects.get(pk=registration_id)
    registration.session = session
    if registration.status not in (Status.WAITING, Status.OFFERED):
        raise exceptions.NoOffer
    counts = seat_counts(session.pk, now)
    holds_offer = registration.status == Status.OFFERED and (
        registration.offer_expires_at and registration.offer_expires_at > now
    )
    free = rules.free_seats(
        capacity=session.capacity, confirmed=counts["confirmed"], open_offers=counts["open_offers"]
    )
    if not holds_offer and free <= 0:
        raise exceptions.SessionFull
    registration.status = Status.CONFIRMED
    registration.confirmed_at = now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
    log(instance=registration, action="kurser.promote", user=by_user)
    send_confirmation(registration)
    return registration


# --- Staff ---------------------------------------------------------------------------------


@transaction.atomic
def record_attendance(*, session: Session, attended_ids: Iterable[int], by_user) -> int:
    """Mark who came (confirmed participants only); returns how many were marked present."""
    attended = {int(pk) for pk in attended_ids}
    participants = Registration.objects.filter(session=session, status=Status.CONFIRMED)
    present = participants.filter(pk__in=attended).update(attended=True)
    participants.exclude(pk__in=attended).update(attended=False)
    log(instance=session, action="kurser.attendance", user=by_user, data={"present": present})
    return present


@transaction.atomic
def message_participants(*, session: Session, subject: str, body: str, by_user) -> int:
    """A message from staff to everyone confirmed on the session."""
    recipients = list(
        Registration.objects.filter(session=session, status=Status.CONFIRMED).exclude(email="")
    )
    for registration in recipients:
        mail.send(
            to=registration.email,
            template="message",
            context={
                "subject": subject,
                "body": body,
                "session": session,
                "course": session.course,
                "course_url": links.course_link(session.course),
            },
            purpose="kurser_message",
            related=registration,
        )
    log(instance=session, action="kurser.message", user=by_user, data={"sent": len(recipients)})
    return len(recipients)


# --- Evaluation and needs -------------------------------------------------------------------


@transaction.atomic
def submit_evaluation(*, token: str, data: Mapping) -> Evaluation:
    from .tokens import matches, read_token

    found = read_token(token, "evaluate")
    if found is None:
        raise exceptions.InvalidLink
    registration = Registration.objects.select_related("session").filter(pk=found[0]).first()
    if registration is None or not matches(registration, "evaluate", found[1]):
        raise exceptions.InvalidLink
    if registration.status != Status.CONFIRMED:
        raise exceptions.InvalidLink
    starts_at = registration.session.starts_at
    if starts_at is not None and starts_at > timezone.now():
        raise exceptions.EvaluationNotOpen
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                registration=registration,
                session=registration.session,
                rating=data["rating"],
                usefulness=data["usefulness"],
                best=data.get("best", ""),
                improve=data.get("improve", ""),
            )
    except IntegrityError as exc:
        raise exceptions.AlreadyEvaluated from exc


def submit_need(*, data: Mapping):
    from .models import CompetenceNeed

    return CompetenceNeed.objects.create(
        competence_area=data.get("competence_area"),
        description=data["description"],
        audience=data["audience"],
        age_group=data.get("age_group"),
        association=data.get("association"),
        association_name=data.get("association_name", ""),
        email=_clean_email(data.get("email")),
    )


# --- Personal data ---------------------------------------------------------------------------


def anonymise(queryset, now=None) -> int:
    """Registrations lose name, address and account; status, dates and attendance stay
    (the counts). Their stored mails are scrubbed and the admin history's labels of them
    (``str(registration)`` holds the name) no longer name anyone."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    from frivillig_blocks.personal_data import scrub_mail

    now = now or timezone.now()
    ids = list(queryset.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    changed = Registration.objects.filter(pk__in=ids).update(
        name="", email="", identity="", user=None, anonymised_at=now
    )
    scrub_mail(f"kurser.registration:{pk}" for pk in ids)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id__in=[str(pk) for pk in ids],
    ).update(label="–")
    return changed


def cancel_for_erasure(*, registration_id: int, now: datetime.datetime) -> bool:
    """A person being erased gives up a future seat or place in line as a normal cancel
    would (the next in line is offered the seat), without a "cancelled" mail to the address
    that is going. Returns False when the session has begun (nothing to give up)."""
    with transaction.atomic():
        session_id = (
            Registration.objects.filter(pk=registration_id)
            .values_list("session_id", flat=True)
            .first()
        )
        if session_id is None:
            return False
        session = Session.objects.select_for_update().select_related("course").get(pk=session_id)
        registration = Registration.objects.get(pk=registration_id)
        registration.session = session
        try:
            _cancel(registration, session, now, notify=False)
        except (exceptions.AlreadyCancelled, exceptions.TooLateToCancel):
            return False
    return True


def anonymise_ended_sessions(now: datetime.datetime | None = None) -> int:
    """KURSER_RETENTION_DAYS after a session ended: its participants are anonymised and
    its evaluations lose their comments (ratings stay). Returns the registrations changed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=rules.retention_days())
    count = 0
    for session in Session.objects.filter(ends_at__lt=cutoff, anonymised_at__isnull=True):
        with transaction.atomic():
            count += anonymise(Registration.objects.filter(session=session), now)
            session.evaluations.update(best="", improve="")
            Session.objects.filter(pk=session.pk).update(anonymised_at=now)
    return count


def anonymise_old_needs(now: datetime.datetime | None = None) -> int:
    """Competence needs lose the sender's address KURSER_RETENTION_DAYS after they came."""
    from .models import CompetenceNeed

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=rules.retention_days())
    return CompetenceNeed.objects.filter(created_at__lt=cutoff).exclude(email="").update(email="")
