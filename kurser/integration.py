"""What the courses give the one door through its hooks (frivillig_blocks.hooks)."""

from __future__ import annotations

from urllib.parse import quote

from django.db.models import Min, Q
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks import hooks
from frivillig_blocks.personal_data import Person, PersonalDataSource
from frivillig_blocks.search.sources import Entry, Hit, SearchSource
from frivillig_blocks.search.text import summary

from . import links, services
from .models import (
    CompetenceNeed,
    Course,
    Evaluation,
    Meeting,
    Registration,
    Session,
    own_registrations_q,
)


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


# --- Personal data (the registry in frivillig_blocks.personal_data) -------------------------


def _own_q(person: Person) -> Q:
    """The person's own seats: those in their name (one of their addresses), and those they
    registered themselves for with an address they no longer have (no association)."""
    return person.email_q("email") | Q(user=person.user, association__isnull=True)


def _booked_for_others(person: Person):
    return Registration.objects.filter(user=person.user).exclude(_own_q(person))


def _session_fields(registration) -> dict:
    session = registration.session
    return {
        "course": session.course.title,
        "session": session.label,
        "session_starts": session.starts_at,
        "session_ends": session.ends_at,
    }


def _places_in_line(registrations) -> dict[int, int]:
    waiting = [r for r in registrations if r.status == Registration.Status.WAITING]
    if not waiting:
        return {}
    places: dict[int, int] = {}
    counters: dict[int, int] = {}
    line = (
        Registration.objects.filter(
            session_id__in={r.session_id for r in waiting}, status=Registration.Status.WAITING
        )
        .order_by("queued_at", "pk")
        .values_list("session_id", "pk")
    )
    for session_id, pk in line:
        counters[session_id] = counters.get(session_id, 0) + 1
        places[pk] = counters[session_id]
    return places


def export_registrations(person: Person) -> list[dict]:
    registrations = list(
        Registration.objects.filter(_own_q(person))
        .select_related("session__course", "association")
        .order_by("queued_at", "pk")
    )
    places = _places_in_line(registrations)
    page = links.course_page() if registrations else None
    rows = []
    for r in registrations:
        certificate = r.status == Registration.Status.CONFIRMED and bool(r.attended)
        rows.append(
            {
                **_session_fields(r),
                "name": r.name,
                "email": r.email,
                "association": r.association.name if r.association else "",
                "status": r.status,
                "place_in_line": places.get(r.pk),
                "registered": r.queued_at,
                "confirmed": r.confirmed_at,
                "offered": r.offered_at,
                "offer_expires": r.offer_expires_at,
                "cancelled": r.cancelled_at,
                "attended": r.attended,
                "certificate": (
                    links.page_link("certificate", r.pk, page=page)
                    if certificate and page is not None
                    else certificate
                ),
            }
        )
    return rows


def export_evaluations(person: Person) -> list[dict]:
    evaluations = Evaluation.objects.filter(
        registration__in=Registration.objects.filter(_own_q(person))
    ).select_related("session__course")
    return [
        {
            **_session_fields(e),
            "rating": e.rating,
            "usefulness": e.usefulness,
            "best": e.best,
            "improve": e.improve,
            "answered": e.created_at,
        }
        for e in evaluations
    ]


def export_bookings(person: Person) -> list[dict]:
    return [
        {
            **_session_fields(r),
            "participant": r.name,
            "participant_email": r.email,
            "association": r.association.name if r.association else "",
            "status": r.status,
            "registered": r.queued_at,
        }
        for r in _booked_for_others(person)
        .select_related("session__course", "association")
        .order_by("queued_at", "pk")
    ]


def export_needs(person: Person) -> list[dict]:
    return [
        {
            "description": n.description,
            "competence_area": n.competence_area.name if n.competence_area else "",
            "audience": n.audience,
            "age_group": str(n.age_group) if n.age_group else "",
            "association": n.association.name if n.association else n.association_name,
            "email": n.email,
            "received": n.created_at,
        }
        for n in CompetenceNeed.objects.filter(person.email_q("email")).select_related(
            "competence_area", "age_group", "association"
        )
    ]


def erase_registrations(person: Person) -> None:
    """Own future seats and places in line are given up as a normal cancel would (the next
    in line gets the offer; no mail to the person); then every own registration, past or
    future, loses name, address and account, and its mails are scrubbed."""
    now = timezone.now()
    own = Registration.objects.filter(_own_q(person))
    future = own.filter(status__in=Registration.ACTIVE).filter(
        Q(session__starts_at__gt=now) | Q(session__starts_at__isnull=True)
    )
    for registration_id in list(future.values_list("pk", flat=True)):
        services.cancel_for_erasure(registration_id=registration_id, now=now)
    services.anonymise(own, now)


def erase_evaluations(person: Person) -> None:
    """The comments go (they may name the person); the ratings stay, tied to an anonymous
    registration."""
    Evaluation.objects.filter(registration__in=Registration.objects.filter(_own_q(person))).update(
        best="", improve=""
    )


def erase_bookings(person: Person) -> None:
    """Seats the person booked for other people stand, confirmed, with nobody mailed: they
    are the participants' own (their name and address, their cancel link, their Mine sider)
    and keep the association they were booked for; only the link to the booker's account
    (the one datum of the booker on the row) goes."""
    _booked_for_others(person).update(user=None)


def erase_needs(person: Person) -> None:
    CompetenceNeed.objects.filter(person.email_q("email")).update(email="")


def expire_registrations(now) -> int:
    return services.anonymise_ended_sessions(now)


def expire_needs(now) -> int:
    return services.anonymise_old_needs(now)


RETENTION = _(
    "Name, e-mail and account are removed KURSER_RETENTION_DAYS (default 730) days after "
    "the session ended; status, dates and attendance stay as anonymous counts."
)


def personal_data_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="kurser.registrations",
            label=_("Course registrations, waiting list and attendance"),
            data=_(
                "Participant's name, e-mail and account, the session, status (confirmed, "
                "waiting list, offered, cancelled), dates, attendance and course certificate"
            ),
            purpose=_(
                "Giving the seats in order, telling participants about their course, "
                "recording attendance and issuing the course certificate"
            ),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's courses for "
                "volunteers under the Social Services Act § 18)"
            ),
            retention=RETENTION,
            export=export_registrations,
            erase=erase_registrations,
            expire=expire_registrations,
        ),
        PersonalDataSource(
            key="kurser.evaluations",
            label=_("Course evaluations"),
            data=_("Ratings and the comments the participant wrote"),
            purpose=_("Improving the courses"),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's courses for "
                "volunteers)"
            ),
            retention=_(
                "The comments are removed with the participants' names, "
                "KURSER_RETENTION_DAYS after the session; the ratings stay, anonymous."
            ),
            export=export_evaluations,
            erase=erase_evaluations,
        ),
        PersonalDataSource(
            key="kurser.bookings_for_others",
            label=_("Course seats booked for other people"),
            data=_(
                "Who booked a seat for another person of their association (the account), "
                "and for whom"
            ),
            purpose=_("Letting an association register its members and see its seats"),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's courses for "
                "volunteers)"
            ),
            retention=_(
                "The link to the booker goes with the booker's account or with the "
                "participants' data, KURSER_RETENTION_DAYS after the session. Deleting the "
                "booker's account leaves the seats standing with the participants."
            ),
            export=export_bookings,
            erase=erase_bookings,
        ),
        PersonalDataSource(
            key="kurser.competence_needs",
            label=_("Competence needs"),
            data=_("The e-mail address given with a course wish, and the wish"),
            purpose=_("Planning courses and answering the sender"),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: planning the municipality's courses)"
            ),
            retention=_(
                "The e-mail address is removed KURSER_RETENTION_DAYS (default 730) days "
                "after the need was sent; the wish stays, anonymous."
            ),
            export=export_needs,
            erase=erase_needs,
            expire=expire_needs,
        ),
    ]


def _course_url(page):
    """``links.course_link`` of a slug as a function: the page's URL reversed once, the slug
    put in its place quoted as Django's ``reverse`` quotes it (issue #22: the page's full
    URL and a reverse per course were most of a city's month of meetings)."""
    if page is None:
        return lambda slug: ""
    marker = "__course_slug__"
    head, _, tail = links.page_link("course", marker, page=page).partition(marker)
    safe = RFC3986_SUBDELIMS + "/~:@"
    return lambda slug: head + quote(slug, safe=safe) + tail


def calendar_entries(start, end):
    """The published courses' meetings in [start, end), read as the columns an entry shows
    (no model instances) with each course's link built once, not per meeting (issue #22:
    at a city's scale the month's 500 meetings took 0.4 ms each)."""
    page = links.course_page()
    meetings = (
        Meeting.objects.filter(
            starts_at__lt=end, ends_at__gt=start, session__course__published=True
        )
        .order_by("starts_at")
        .values_list(
            "pk",
            "starts_at",
            "ends_at",
            "session__place_id",
            "session__place__name",
            "session__location",
            "session__course_id",
            "session__course__title",
            "session__course__slug",
            "session__course__summary",
        )
    )
    course_url = _course_url(page)
    course_urls: dict[int, str] = {}
    for (
        pk,
        starts_at,
        ends_at,
        place_id,
        place_name,
        location,
        course_id,
        title,
        slug,
        course_summary,
    ) in meetings:
        url = course_urls.get(course_id)
        if url is None:
            url = course_urls[course_id] = course_url(slug)
        yield hooks.CalendarEntry(
            uid=f"kurser-meeting-{pk}",
            title=title,
            start=starts_at,
            end=ends_at,
            kind="course",
            url=url,
            place_id=place_id,
            location=", ".join(p for p in (place_name or "", location) if p),
            description=course_summary,
        )


# --- The admin: URLs, the courses' viewsets, the needs summary, log actions ------------------


def admin_urls():
    from . import admin_urls

    return [path("kurser/", include(admin_urls, namespace="kurser_admin"))]


def admin_viewset():
    from .viewsets import CoursesGroup

    return CoursesGroup()


class NeedsSummaryMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm("kurser.view_competenceneed")


def admin_menu_item():
    return NeedsSummaryMenuItem(
        _("Competence needs (summary)"),
        reverse("kurser_admin:needs_summary"),
        icon_name="help",
        order=321,
    )


def log_actions(actions):
    from .staff import ACTIONS

    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


class CoursesSummaryItem(SummaryItem):
    order = 330
    template_name = "kurser/admin/summary.html"

    def get_context_data(self, parent_context):
        from django.db.models import Count

        from .models import Session

        counts = Session.objects.filter(starts_at__gt=timezone.now()).aggregate(
            sessions=Count("pk", distinct=True),
            waiting=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.WAITING),
            ),
        )
        return {"counts": counts, "url": reverse("kurser_session:index")}

    def is_shown(self):
        from .staff import can_view

        return can_view(self.request.user)


def add_summary_item(request, items):
    items.append(CoursesSummaryItem(request))


def figure_source():
    from .figures import CourseFigures

    return CourseFigures()


def page_cache_models():
    """The page cache is retired by writes to every model of the courses (courses, sessions, seats left)."""
    return ["kurser"]


# --- Site search (frivillig_blocks.search) ----------------------------------------------------
#
# A course is found while it is published and has an open session still to come: one that
# starts in the future, has seats and takes registrations (its deadline has not passed; a
# full session still takes them, on its waiting list). The hit's date is the first such
# session's start.


def _open_sessions(now):
    return Session.objects.filter(starts_at__gt=now, registration_deadline__gt=now, capacity__gt=0)


def searchable_courses():
    open_sessions = _open_sessions(timezone.now()).values("course_id")
    return Course.objects.published().filter(pk__in=open_sessions)


def course_entry(course) -> Entry:
    return Entry(course.title, summary(course.summary))


def course_hits(request, objects) -> list[Hit | None]:
    objects = list(objects)
    if not objects:
        return []
    page = links.course_page()
    if page is None:
        return [None] * len(objects)
    first_start = dict(
        _open_sessions(timezone.now())
        .filter(course__in=[course.pk for course in objects])
        .values("course_id")
        .annotate(first=Min("starts_at"))
        .values_list("course_id", "first")
    )
    base = page.get_url(request) or ""
    return [
        Hit(
            title=course.title,
            url=base + page.reverse_subpage("course", args=[course.slug]),
            summary=summary(course.summary),
            date=first_start.get(course.pk),
        )
        for course in objects
    ]


def search_sources():
    return [
        SearchSource(
            key="courses",
            label=_("Courses"),
            queryset=searchable_courses,
            hits=course_hits,
            order=30,
            entry=course_entry,
        )
    ]
