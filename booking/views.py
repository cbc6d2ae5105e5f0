"""Public views of the loans page (/frivillig/laan/), routed by ``BookingIndexPage``."""

from __future__ import annotations

import datetime as dt

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frivillig_blocks import confirmation, submissions
from frivillig_blocks.errors import status_of
from frivillig_blocks.exceptions import FrivilligError
from frivillig_blocks.parsers import parse_id

from . import availability, exceptions, services
from . import rules as R
from .forms import LoanRequestForm
from .models import HOLDING, Institution, Loan, LoanSlot

T = "booking/"


def _sub(page, request, name, *args) -> str:
    return page.get_url(request) + page.reverse_subpage(name, args=list(args))


def _entries(resource_list, general=None):
    """Each resource with its effective rules and, given the institution's general rules,
    the rows where they differ (the exceptions shown beside the resource)."""
    entries = []
    for resource in resource_list:
        own = services.rules_for(resource)
        exceptions_ = R.exception_rows(general, own) if general is not None else frozenset()
        entries.append({"resource": resource, "rules": own, "exceptions": exceptions_})
    return entries


def _institutions():
    return Institution.objects.select_related("place").prefetch_related(
        *services.RULE_PREFETCH,
        "closures",
        Prefetch(
            "resources",
            queryset=services.resources().order_by("kind", "name"),
            to_attr="active_resources",
        ),
    )


@require_http_methods(["GET", "HEAD"])
def manual_view(request, page):
    """The loans page: the institutions with "Ask to borrow" first, then each institution's
    general rules once, with each resource's exceptions beside it."""
    institutions = []
    for inst in _institutions():
        general = services.institution_rules(inst)
        resources = _entries(inst.active_resources, general)
        institutions.append(
            {
                "institution": inst,
                "rules": general,
                "resources": resources,
                "closures": [c for c in inst.closures.all() if c.end_date >= timezone.localdate()],
                "request_url": _sub(page, request, "request_form", inst.slug),
                "url": _sub(page, request, "institution", inst.slug),
            }
        )
    # Each declaration's text once, however many institutions and resources ask for it.
    declarations = {}
    for entry in institutions:
        for rules in [entry["rules"], *(item["rules"] for item in entry["resources"])]:
            for declaration in rules.declarations:
                declarations.setdefault(declaration.pk, declaration)
    return TemplateResponse(
        request,
        T + "manual.html",
        {"page": page, "institutions": institutions, "declarations": list(declarations.values())},
    )


def _institution_or_404(slug) -> Institution:
    institution = _institutions().filter(slug=slug).first()
    if institution is None:
        raise Http404("No such institution")
    return institution


@require_http_methods(["GET", "HEAD"])
def institution_view(request, page, institution):
    inst = _institution_or_404(institution)
    general = services.institution_rules(inst)
    return TemplateResponse(
        request,
        T + "institution.html",
        {
            "page": page,
            "institution": inst,
            "rules": general,
            "resources": _entries(inst.active_resources, general),
            "request_url": _sub(page, request, "request_form", inst.slug),
        },
    )


def _parse_month(value: str | None, today: dt.date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _parse_monday(value: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value or "")
        if not 2000 <= day.year <= 2100:
            raise ValueError
    except ValueError:
        day = today
    return day - dt.timedelta(days=day.weekday())


@require_http_methods(["GET", "HEAD"])
def resource_view(request, page, institution, resource):
    resource_obj = services.resources().filter(institution__slug=institution, slug=resource).first()
    if resource_obj is None:
        raise Http404("No such resource")
    today = timezone.localdate()
    view = "month" if request.GET.get("visning") == "maaned" else "week"
    context = {
        "page": page,
        "resource": resource_obj,
        "institution": resource_obj.institution,
        "rules": services.rules_for(resource_obj),
        "view": view,
        "request_url": _sub(page, request, "request_form", institution)
        + f"?ressource={resource_obj.pk}",
        "institution_url": _sub(page, request, "institution", institution),
        "base_url": _sub(page, request, "resource", institution, resource),
    }
    if view == "month":
        year, month = _parse_month(request.GET.get("maaned"), today)
        first = dt.date(year, month, 1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        context.update(
            weeks=availability.month(resource_obj, year, month, today=today),
            month=first,
            previous=f"{previous:%Y-%m}",
            next=f"{following:%Y-%m}",
        )
    else:
        monday = _parse_monday(request.GET.get("uge"), today)
        context.update(
            grid=availability.week(resource_obj, monday, today=today),
            monday=monday,
            sunday=monday + dt.timedelta(days=6),
            previous=(monday - dt.timedelta(days=7)).isoformat(),
            next=(monday + dt.timedelta(days=7)).isoformat(),
        )
    return TemplateResponse(request, T + "resource.html", context)


def _render_form(request, page, inst, form, *, error=None, problems=(), status=200):
    return TemplateResponse(
        request,
        T + "request.html",
        {"page": page, "institution": inst, "form": form, "error": error, "problems": problems},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def request_view(request, page, institution):
    inst = _institution_or_404(institution)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    resources = list(inst.active_resources)
    if not resources:
        raise Http404("Nothing to borrow")
    declarations = {}
    for resource in resources:
        for declaration in services.rules_for(resource).declarations:
            declarations[declaration.pk] = declaration
    form_kwargs = {
        "institution": inst,
        "resources": resources,
        "user": request.user,
        "declarations": declarations.values(),
    }
    if request.method != "POST":
        initial = {"responsible_name": request.user.get_full_name()}
        chosen = parse_id(request.GET.get("ressource"))
        if chosen is not None and any(r.pk == chosen and r.is_room for r in resources):
            initial["room"] = chosen
        return _render_form(request, page, inst, LoanRequestForm(initial=initial, **form_kwargs))
    form = LoanRequestForm(request.POST, **form_kwargs)
    if not form.is_valid():
        return _render_form(request, page, inst, form, status=400)

    def submit():
        # Inside ``once``: a double submit is neither stored nor counted twice.
        if not ratelimit.consume(request, action="booking_request", user=request.user):
            raise exceptions.RateLimited
        return services.request_loan(user=request.user, req=form.loan_request())

    try:
        loan, _created = submissions.once(
            key=form.cleaned_data["submission_key"],
            purpose=f"booking.request:{request.user.pk}",
            create=submit,
        )
    except exceptions.BookingError as exc:
        return _render_form(
            request,
            page,
            inst,
            form,
            error=exc.message,
            problems=exc.problems,
            status=status_of(exc),
        )
    except FrivilligError as exc:
        return _render_form(request, page, inst, form, error=exc.message, status=status_of(exc))
    if loan is None:  # the first submit's loan is gone since
        return HttpResponseRedirect(page.get_url(request))
    return HttpResponseRedirect(_sub(page, request, "receipt", loan.reference))


def _own_loan_or_404(request, reference) -> Loan:
    if not request.user.is_authenticated:
        raise Http404("No such loan")
    loan = (
        Loan.objects.select_related("institution", "institution__place", "association")
        .filter(reference=reference, user=request.user)
        .first()
    )
    if loan is None:
        raise Http404("No such loan")
    return loan


def _receipt(request, page, loan, *, error=None, status=200):
    deadline = services.cancellation_deadline(loan) if loan.is_holding else None
    return TemplateResponse(
        request,
        T + "receipt.html",
        {
            "page": page,
            "loan": loan,
            "slots": list(loan.slots.all()),
            "items": list(loan.items.select_related("resource")),
            "declarations": list(loan.declarations.all()),
            "deadline": deadline,
            "can_cancel": bool(deadline and timezone.now() <= deadline),
            "cancel_url": _sub(page, request, "cancel", loan.reference),
            "error": error,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def receipt_view(request, page, reference):
    return _receipt(request, page, _own_loan_or_404(request, reference))


@require_http_methods(["GET", "HEAD", "POST"])
def cancel_view(request, page, reference):
    """Cancelling asks first (frivillig_blocks.confirmation): a GET, or a POST without the
    question page's answer, shows the question; only its answer cancels."""
    loan = _own_loan_or_404(request, reference)
    receipt_url = _sub(page, request, "receipt", loan.reference)
    if not confirmation.confirmed(request):
        when = [
            f"{date_format(localtime(slot.start), 'l j. F Y H:i')}–"
            f"{date_format(localtime(slot.end), 'H:i')}"
            for slot in loan.slots.all()
            if slot.held
        ]
        return confirmation.ask(
            request,
            page=page,
            title=_("Cancel the loan %(reference)s?") % {"reference": loan.reference},
            question=_(
                "The times are freed for others, and the institution's leader is told. "
                "You cannot undo it."
            ),
            details=[f"{loan.title} – {loan.institution.name}", *when],
            confirm_label=_("Yes, cancel the loan"),
            back_url=receipt_url,
            back_label=_("No, keep the loan"),
        )
    try:
        services.cancel_by_borrower(loan_id=loan.pk, user=request.user)
    except exceptions.BookingError as exc:
        return _receipt(request, page, loan, error=exc.message, status=400)
    messages.success(request, _("The loan is cancelled."))
    return HttpResponseRedirect(receipt_url)


@require_http_methods(["GET", "HEAD"])
def feed_view(request, page, feed_id, token, resource_id=None):
    """A leader's feed of their institution's loans (or of one of its resources). A 404
    unless the key is right and its leader still leads the institution."""
    from . import feeds, ics

    feed = feeds.authorised(feed_id, token)
    if feed is None:
        raise Http404("No such feed")
    institution = feed.institution
    resource = None
    if resource_id is not None:
        resource = institution.resources.filter(pk=resource_id).first()
        if resource is None:
            raise Http404("No such feed")
    now = timezone.now()
    slots = LoanSlot.objects.filter(
        held=True,
        loan__status__in=HOLDING,
        loan__institution=institution,
        end__gte=now - dt.timedelta(days=30),
        start__lt=now + dt.timedelta(days=400),
    )
    if resource is not None:
        slots = slots.filter(loan__items__resource=resource)
    slots = (
        slots.select_related("loan", "loan__association")
        .prefetch_related("loan__items__resource")
        .distinct()
        .order_by("start")
    )
    name = f"{institution.name}: {resource.name}" if resource else institution.name
    response = HttpResponse(
        ics.leader_feed(name, institution, slots), content_type="text/calendar; charset=utf-8"
    )
    filename = resource.slug if resource else institution.slug
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def mine_sider_context(request) -> dict:
    from .models import BookingIndexPage

    page = BookingIndexPage.objects.live().first()
    loans = list(
        Loan.objects.filter(user=request.user)
        .select_related("institution")
        .prefetch_related("items__resource")
        .order_by("-first_start")[:50]
    )
    now = timezone.now()
    rows = []
    for loan in loans:
        deadline = services.cancellation_deadline(loan) if loan.is_holding else None
        rows.append(
            {
                "loan": loan,
                "url": _sub(page, request, "receipt", loan.reference) if page else "",
                "cancel_url": _sub(page, request, "cancel", loan.reference) if page else "",
                "can_cancel": bool(page and deadline and now <= deadline),
                "upcoming": loan.last_end >= now,
            }
        )
    return {"rows": rows, "manual_url": page.get_url(request) if page else "", "settings": settings}
