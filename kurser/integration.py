"""What the courses give the one door through its hooks (frivillig_blocks.hooks)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frivillig_blocks import hooks

from . import links, services
from .models import CompetenceNeed, Meeting, Registration, own_registrations_q


def mine_sider_section(request):
    if not request.user.is_authenticated:
        return None
    page = links.course_page()
    registrations = list(
        Registration.objects.filter(own_registrations_q(request.user))
        .select_related("session__course", "association", "evaluation")
        .order_by("-session__starts_at", "-pk")[:100]
    )
    now = timezone.now()
    waiting = [r for r in registrations if r.status == Registration.Status.WAITING]
    if waiting:
        # The place in line: how many of the same session came before (one query).
        ahead = (
            Registration.objects.filter(
                session_id__in=[r.session_id for r in waiting],
                status=Registration.Status.WAITING,
            )
            .order_by("queued_at", "pk")
            .values_list("session_id", "pk")
        )
        places: dict[int, int] = {}
        counters: dict[int, int] = {}
        for session_id, pk in ahead:
            counters[session_id] = counters.get(session_id, 0) + 1
            places[pk] = counters[session_id]
        for registration in waiting:
            registration.place_in_line = places.get(registration.pk)
    for registration in registrations:
        registration.certificate_url = ""
        registration.cancel_url = ""
        registration.evaluation_url = ""
        if page is None:
            continue
        started = registration.session.starts_at and registration.session.starts_at <= now
        if (
            started
            and registration.status == Registration.Status.CONFIRMED
            and registration.attended is not False
            and not hasattr(registration, "evaluation")
        ):
            registration.evaluation_url = links.token_link(registration, "evaluate", page=page)
        if registration.status == Registration.Status.CONFIRMED and registration.attended:
            registration.certificate_url = page.get_url(request) + page.reverse_subpage(
                "certificate", args=[registration.pk]
            )
        if registration.is_active and (
            registration.session.starts_at is None or registration.session.starts_at > now
        ):
            registration.cancel_url = links.token_link(registration, "cancel", page=page)
    return hooks.MineSiderSection(
        title=_("My courses"),
        template_name="kurser/section_mine_sider.html",
        context={
            "registrations": registrations,
            "courses_url": page.get_url(request) if page else "",
        },
        order=40,
    )


def personal_data(user):
    registrations = Registration.objects.filter(own_registrations_q(user)).select_related(
        "session__course", "association"
    )
    email = (user.email or "").lower()
    return {
        "course_registrations": [
            {
                "course": r.session.course.title,
                "session_starts": r.session.starts_at,
                "name": r.name,
                "email": r.email,
                "association": r.association.name if r.association else "",
                "status": r.status,
                "registered": r.queued_at,
                "attended": r.attended,
                "evaluation": _evaluation(r),
            }
            for r in registrations
        ],
        "course_needs": [
            {
                "description": n.description,
                "competence_area": n.competence_area.name if n.competence_area else "",
                "received": n.created_at,
            }
            for n in CompetenceNeed.objects.filter(email__iexact=email).select_related(
                "competence_area"
            )
        ]
        if email
        else [],
    }


def _evaluation(registration):
    evaluation = getattr(registration, "evaluation", None)
    if evaluation is None:
        return None
    return {
        "rating": evaluation.rating,
        "usefulness": evaluation.usefulness,
        "best": evaluation.best,
        "improve": evaluation.improve,
    }


def before_account_delete(user):
    """Future seats are given up (the next in line gets an offer); every registration the
    person made loses its name and address, the counts stay."""
    now = timezone.now()
    active = Registration.objects.filter(
        user=user, status__in=Registration.ACTIVE, session__starts_at__gt=now
    ).values_list("pk", flat=True)
    for registration_id in list(active):
        with transaction.atomic():
            services.cancel_own(registration_id=registration_id, user=user, now=now)
    services.anonymise(Registration.objects.filter(user=user), now)
    if user.email:
        CompetenceNeed.objects.filter(email__iexact=user.email).update(email="")


def calendar_entries(start, end):
    page = links.course_page()
    meetings = (
        Meeting.objects.filter(
            starts_at__lt=end, ends_at__gt=start, session__course__published=True
        )
        .select_related("session__course", "session__place")
        .order_by("starts_at")
    )
    for meeting in meetings:
        session = meeting.session
        course = session.course
        location = ", ".join(
            p for p in (session.place.name if session.place else "", session.location) if p
        )
        yield hooks.CalendarEntry(
            uid=f"kurser-meeting-{meeting.pk}",
            title=course.title,
            start=meeting.starts_at,
            end=meeting.ends_at,
            kind="course",
            url=links.course_link(course, page=page) if page else "",
            place_id=session.place_id,
            location=location,
            description=course.summary,
        )


def seed_demo(stdout):
    from . import demo

    demo.seed(stdout)
