"""Background work of the courses (django-tasks); the times are in schedule.py."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import links, mail, rules, services
from .models import Registration, Session

logger = logging.getLogger(__name__)


@task()
def expire_offers() -> int:
    """Offers unanswered after KURSER_OFFER_HOURS lapse; the seat goes to the next in line."""
    return services.expire_offers()


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def send_reminders(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    day = timezone.localtime(now).date() + datetime.timedelta(days=rules.reminder_days())
    start, end = local_day_bounds(day)
    sent = 0
    sessions = Session.objects.filter(
        starts_at__gte=start, starts_at__lt=end, reminder_sent_at__isnull=True
    ).select_related("course", "place")
    for session in sessions:
        with transaction.atomic():
            locked = Session.objects.select_for_update().get(pk=session.pk)
            if locked.reminder_sent_at is not None:
                continue
            for registration in session.registrations.filter(
                status=Registration.Status.CONFIRMED
            ).exclude(email=""):
                registration.session = session
                mail.send(
                    to=registration.email,
                    template="reminder",
                    context=services._context(registration),
                    purpose="kurser_reminder",
                    related=registration,
                )
                sent += 1
            Session.objects.filter(pk=session.pk).update(reminder_sent_at=now)
    return sent


@task()
def send_session_reminders() -> int:
    """A reminder to the participants of the sessions starting in two days."""
    return send_reminders()


def send_evaluations(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    sessions = Session.objects.filter(
        ends_at__lte=now,
        ends_at__gt=now - datetime.timedelta(days=14),
        evaluation_sent_at__isnull=True,
    ).select_related("course", "place")
    for session in sessions:
        with transaction.atomic():
            locked = Session.objects.select_for_update().get(pk=session.pk)
            if locked.evaluation_sent_at is not None:
                continue
            participants = (
                session.registrations.filter(status=Registration.Status.CONFIRMED)
                .exclude(attended=False)
                .exclude(email="")
            )
            for registration in participants:
                registration.session = session
                context = services._context(registration)
                context["evaluation_url"] = links.token_link(registration, "evaluate")
                mail.send(
                    to=registration.email,
                    template="evaluation",
                    context=context,
                    purpose="kurser_evaluation",
                    related=registration,
                )
                sent += 1
            Session.objects.filter(pk=session.pk).update(evaluation_sent_at=now)
    return sent


@task()
def send_evaluation_requests() -> int:
    """The evaluation form to the participants of the sessions that ended."""
    return send_evaluations()


# Retention (KURSER_RETENTION_DAYS) is in the personal data registry: integration.py's
# sources, run by frivillig_blocks.tasks.expire_personal_data.
