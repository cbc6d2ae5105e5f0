"""Public views of the courses page (/frivillig/kurser/), routed by ``CourseIndexPage``."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from modelcluster.queryset import FakeQuerySet

from frivillig_blocks import confirmation, submissions
from frivillig_blocks.errors import show_on_form, status_of
from frivillig_blocks.exceptions import FrivilligError
from frivillig_blocks.identity import canonical_or_legacy
from frivillig_blocks.links import absolute
from frivillig_blocks.models import AssociationMembership
from frivillig_blocks.pdf import html_to_pdf
from frivillig_blocks.prepared import PreparedQuery

from . import exceptions, services
from .conf import app_settings
from .forms import CourseFilterForm, EvaluationForm, NeedsForm, RegistrationForm
from .models import CompetenceArea, Course, Meeting, Registration, Session, own_registrations_q

REGISTER_RATE_LIMIT = "kurser_register"
NEEDS_RATE_LIMIT = "kurser_needs"
_SLUG = re.compile(r"[-\w]{1,200}")
TEMPLATES = "kurser/"


def per_page() -> int:
    return int(app_settings.PER_PAGE)


def _sessions_prefetch(now):
    return Prefetch(
        "sessions",
        queryset=Session.objects.with_counts(now)
        .filter(ends_at__gte=now)
        .select_related("place")
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at"))),
        to_attr="upcoming_sessions",
    )


def _decorate(session, now):
    session.taken = session.confirmed_count + session.offered_count
    session.seats_left = max(0, session.capacity - session.taken)
    session.is_open = session.registration_open(now)
    session.is_full = session.seats_left == 0 or session.waiting_count > 0
    return session


def course_list_view(request, page):
    now = timezone.now()
    areas = list(CompetenceArea.objects.all())
    form = CourseFilterForm(request.GET, areas=areas)
    filters = form.filters()
    courses = Course.objects.published().select_related("competence_area")
    if filters["area"]:
        courses = courses.filter(competence_area__slug=filters["area"])
    if filters["audience"]:
        courses = courses.filter(audience__in=[filters["audience"], "both"])
    courses = courses.prefetch_related(_sessions_prefetch(now)).order_by(
        "competence_area__sort_order", "title"
    )
    paginator = Paginator(courses, per_page())
    page_obj = paginator.get_page(request.GET.get("page"))
    course_list = list(page_obj.object_list)
    for course in course_list:
        for session in course.upcoming_sessions:
            _decorate(session, now)
    query = [(k, v) for k, v in filters.items() if v]
    return TemplateResponse(
        request,
        TEMPLATES + "course_list.html",
        {
            "page": page,
            "form": form,
            "courses": course_list,
            "page_obj": page_obj,
            "paginator": paginator,
            "filter_query": urlencode(query),
            "filtered": bool(query),
            "needs_url": page.get_url(request) + page.reverse_subpage("needs"),
        },
    )


#: The course page's statements, compiled once per process (issue #22: building and
#: compiling them took most of the page's time; the database ran them in a tenth of it).
_COURSE = PreparedQuery(
    lambda slug: (
        Course.objects.published()
        .select_related("competence_area")
        .filter(slug=slug)
        .order_by()[:1]
    ),
    slug=str,
)
_UPCOMING = PreparedQuery(
    lambda course, now: (
        Session.objects.with_counts(now)
        .filter(course_id=course, ends_at__gte=now)
        .select_related("place")
    ),
    course=int,
    now=datetime.datetime,
)
_UPCOMING_MEETINGS = PreparedQuery(
    lambda course, now: Meeting.objects.filter(
        session__course_id=course, session__ends_at__gte=now
    ).order_by("session_id", "starts_at", "pk"),
    course=int,
    now=datetime.datetime,
)


def _published_course_or_404(slug: str) -> Course:
    found = _COURSE(slug=slug) if _SLUG.fullmatch(slug) else []
    if not found:
        raise Http404(_("The course does not exist or is not published."))
    return found[0]


def _upcoming_sessions(course: Course, now) -> list[Session]:
    """The course's sessions not yet over, with their counts (``_decorate``d), place and
    meetings (``session.meetings.all``), in two statements."""
    sessions = [_decorate(s, now) for s in _UPCOMING(course=course.pk, now=now)]
    meetings = {session.pk: [] for session in sessions}
    if sessions:
        for meeting in _UPCOMING_MEETINGS(course=course.pk, now=now):
            meetings.setdefault(meeting.session_id, []).append(meeting)
    for session in sessions:
        # Where a prefetch puts them: ``session.meetings.all()`` (and ``count()``,
        # ``exists()``) answer them without a query.
        session._prefetched_objects_cache = {
            "meetings": FakeQuerySet(Meeting, meetings[session.pk])
        }
    return sessions


def course_view(request, page, slug):
    now = timezone.now()
    course = _published_course_or_404(slug)
    sessions = _upcoming_sessions(course, now)
    own = {}
    if request.user.is_authenticated and request.user.email:
        own = {
            r.session_id: r
            for r in Registration.objects.filter(
                session__in=[s.pk for s in sessions],
                identity=canonical_or_legacy(request.user.email),
                status__in=Registration.ACTIVE,
            )
        }
    for session in sessions:
        session.own_registration = own.get(session.pk)
    return TemplateResponse(
        request,
        TEMPLATES + "course_detail.html",
        {"page": page, "course": course, "sessions": sessions, "list_url": page.get_url(request)},
    )


def _render_register(request, page, course, session, form, *, status=200, error=None):
    return TemplateResponse(
        request,
        TEMPLATES + "register.html",
        {
            "page": page,
            "course": course,
            "session": session,
            "form": form,
            "error": error,
            "course_url": page.get_url(request)
            + page.reverse_subpage("course", args=[course.slug]),
        },
        status=status,
    )


def register_view(request, page, slug, session_id):
    course = _published_course_or_404(slug)
    now = timezone.now()
    session = (
        Session.objects.with_counts(now)
        .filter(pk=session_id, course=course)
        .select_related("place")
        .prefetch_related("meetings")
        .first()
    )
    if session is None:
        raise Http404(_("The session does not exist."))
    _decorate(session, now)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    memberships = list(
        AssociationMembership.objects.filter(user=request.user).select_related("association")
    )
    if request.method != "POST":
        error = None
        if session.capacity == 0:
            error = exceptions.NoSeats.message
        elif not session.is_open:
            error = exceptions.RegistrationClosed.message
        form = None if error else RegistrationForm(memberships=memberships)
        return _render_register(request, page, course, session, form, error=error)
    form = RegistrationForm(request.POST, memberships=memberships)
    if not form.is_valid():
        return _render_register(request, page, course, session, form, status=400)
    data = form.cleaned_data

    def submit():
        if not ratelimit.consume(request, action=REGISTER_RATE_LIMIT):
            raise exceptions.TooManyRequests
        if data["who"] == RegistrationForm.FOR_ASSOCIATION:
            return services.register(
                session_id=session.pk,
                user=request.user,
                association_id=data["association"],
                name=data["name"],
                email=data["email"],
            )
        return services.register(session_id=session.pk, user=request.user)

    try:
        if data.get("submission_key"):
            # The page's one-time key: a double submit gets the first one's result page. A
            # second registration later (a new page, a new key) is refused as before; the
            # unique registration per person and session holds either way.
            registration, _created = submissions.once(
                key=data["submission_key"],
                purpose=f"kurser.register:{request.user.pk}",
                create=submit,
            )
        else:
            registration = submit()
    except FrivilligError as exc:
        return _render_register(
            request, page, course, session, form, status=status_of(exc), error=exc.message
        )
    if registration is None:  # the first submit's registration is gone since
        return HttpResponseRedirect(
            page.get_url(request) + page.reverse_subpage("course", args=[course.slug])
        )
    if registration.association_id is None:  # oneself: "du", never one's own name or username
        messages.success(
            request,
            _("You are registered. We have sent you a confirmation by e-mail.")
            if registration.status == Registration.Status.CONFIRMED
            else _(
                "The session is full, so you are on the waiting list. We write when a seat "
                "becomes free."
            ),
        )
    elif registration.status == Registration.Status.CONFIRMED:
        messages.success(
            request,
            _("%(name)s is registered. We have sent a confirmation by e-mail.")
            % {"name": registration.name},
        )
    else:
        messages.success(
            request,
            _(
                "The session is full, so %(name)s is on the waiting list. We write when a seat "
                "becomes free."
            )
            % {"name": registration.name},
        )
    return HttpResponseRedirect(
        page.get_url(request) + page.reverse_subpage("course", args=[course.slug])
    )


def _link_page(request, page, template, token, purpose, action, success_message, *, ask=False):
    """The page behind a link in a mail: GET shows what the button will do, POST does it.
    With ``ask`` (a cancellation) only the page's own POST does it; any other POST shows
    the question again (frivillig_blocks.confirmation)."""
    error = None
    registration = None
    try:
        registration = services.registration_for_token(token, purpose)
    except exceptions.CourseError as exc:
        error = exc.message
    acts = confirmation.confirmed(request) if ask else request.method == "POST"
    if acts and registration is not None:
        try:
            registration = action(token=token)
        except exceptions.CourseError as exc:
            error = exc.message
        else:
            messages.success(request, success_message)
            return HttpResponseRedirect(
                page.get_url(request)
                + page.reverse_subpage("course", args=[registration.session.course.slug])
            )
    return TemplateResponse(
        request,
        TEMPLATES + template,
        {
            "page": page,
            "registration": registration,
            "session": registration.session if registration else None,
            "error": error,
        },
        status=400 if error else 200,
    )


def cancel_view(request, page, token):
    return _link_page(
        request,
        page,
        "cancel.html",
        token,
        "cancel",
        services.cancel,
        _("The registration is cancelled. Thank you for letting us know."),
        ask=True,
    )


def accept_view(request, page, token):
    return _link_page(
        request,
        page,
        "accept.html",
        token,
        "accept",
        services.accept_offer,
        _("You have a seat on the course. We have sent a confirmation by e-mail."),
    )


def needs_view(request, page):
    status = 200
    if request.method == "POST":
        form = NeedsForm(request.POST)
        if form.is_valid():

            def submit():
                # Inside ``once``: a double submit is neither stored nor counted twice.
                if not ratelimit.consume(request, action=NEEDS_RATE_LIMIT):
                    raise exceptions.TooManyRequests
                return services.submit_need(data=form.cleaned_data)

            try:
                submissions.once(
                    key=form.cleaned_data["submission_key"], purpose="kurser.need", create=submit
                )
            except FrivilligError as exc:
                status = show_on_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you! Your answer helps us plan courses that meet real needs."),
                )
                return HttpResponseRedirect(page.get_url(request))
        else:
            status = 400
    else:
        form = NeedsForm()
    return TemplateResponse(
        request,
        TEMPLATES + "needs.html",
        {"page": page, "form": form, "list_url": page.get_url(request)},
        status=status,
    )


def evaluation_view(request, page, token):
    from .tokens import matches, read_token

    error = None
    registration = None
    found = read_token(token, "evaluate")
    if found is not None:
        registration = (
            Registration.objects.select_related("session__course").filter(pk=found[0]).first()
        )
        if registration is not None and not matches(registration, "evaluate", found[1]):
            registration = None
    if registration is None:
        error = exceptions.InvalidLink.message
    form = EvaluationForm(request.POST or None) if registration else None
    status = 400 if error else 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            try:
                services.submit_evaluation(token=token, data=form.cleaned_data)
            except exceptions.CourseError as exc:
                error = exc.message
                status = 400
            else:
                messages.success(request, _("Thank you for your evaluation!"))
                return HttpResponseRedirect(page.get_url(request))
        else:
            status = 400
    return TemplateResponse(
        request,
        TEMPLATES + "evaluation.html",
        {"page": page, "registration": registration, "form": form, "error": error},
        status=status,
    )


def certificate_view(request, page, registration_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    registration = (
        Registration.objects.select_related("session__course__competence_area", "session__place")
        .filter(
            own_registrations_q(request.user),
            pk=registration_id,
            status=Registration.Status.CONFIRMED,
            attended=True,
        )
        .first()
    )
    if registration is None:
        raise Http404(_("There is no course certificate here."))

    from frivillig_blocks.models import MunicipalitySettings

    session = registration.session
    html = render_to_string(
        TEMPLATES + "certificate.html",
        {
            "registration": registration,
            "session": session,
            "course": session.course,
            "meetings": list(session.meetings.all()),
            "municipality": MunicipalitySettings.for_request(request),
        },
        request=request,
    )
    pdf = html_to_pdf(html, base_url=absolute("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kursusbevis-{registration.pk}.pdf"'
    return response
