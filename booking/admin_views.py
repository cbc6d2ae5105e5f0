"""Leaders decide loans in the Wagtail admin: thin views over ``services``. Every query
goes through ``services.visible_loans(user)``: a leader sees and decides only the loans of
their own institutions (another's loan is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import ModelLogEntry

from frivillig_blocks.links import section_url

from . import availability, exceptions, feeds, rules, services
from .forms import DecisionForm
from .models import BookingIndexPage, LeaderFeedToken, LoanStatus

PAGE_SIZE = 50


def _require_leader(request):
    if not services.is_leader(request.user):
        raise PermissionDenied


def _loan(request, pk):
    loan = (
        services.visible_loans(request.user)
        .select_related("institution", "association", "user", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if loan is None:
        raise Http404
    return loan


@require_GET
def index(request):
    _require_leader(request)
    status = request.GET.get("status") or LoanStatus.PENDING
    if status not in LoanStatus.values and status != "all":
        status = LoanStatus.PENDING
    loans = services.visible_loans(request.user).select_related("institution", "association")
    if status != "all":
        loans = loans.filter(status=status)
    if status == LoanStatus.PENDING:
        # By priority (rules.PRIORITY), then by start, in SQL: the page reads its 20 loans and
        # one count, not every pending loan to sort them in Python (#22).
        priority = Case(
            *(When(target_group=group, then=Value(rank)) for group, rank in rules.PRIORITY.items()),
            default=Value(9),
            output_field=IntegerField(),
        )
        loans = loans.order_by(priority, "first_start", "pk")
    else:
        loans = loans.order_by("-first_start")
    page = Paginator(loans, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "booking/admin/index.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": [*LoanStatus.choices, ("all", _("All"))],
            "feeds": _feeds(request.user),
            "title": _("Loans"),
        },
    )


def _feeds(user) -> list[dict]:
    """The leader's institutions and whether they have made a feed of each (its address is
    shown only when made: just its date here)."""
    if not section_url(BookingIndexPage):
        return []
    made = dict(
        LeaderFeedToken.objects.filter(user=user).values_list("institution_id", "created_at")
    )
    return [
        {"institution": institution, "made": made.get(institution.pk)}
        for institution in feeds.institutions_for(user)
    ]


@require_POST
def feed_renew(request, institution_id):
    """ "Lav ny adresse": make the leader's feed of an institution they lead; the old address
    stops working. The new address is shown on this page once and never again."""
    _require_leader(request)
    institution = feeds.institutions_for(request.user).filter(pk=institution_id).first()
    base = section_url(BookingIndexPage)
    if institution is None or not base:
        raise Http404
    try:
        new = feeds.renew(user=request.user, institution=institution)
    except exceptions.BookingError:
        raise Http404 from None
    base = base.rstrip("/") + "/"
    resources = institution.resources.order_by("kind", "name")
    response = TemplateResponse(
        request,
        "booking/admin/feed_made.html",
        {
            "institution": institution,
            "url": base + new.path(),
            "resource_urls": [(r.name, base + new.path(r.pk)) for r in resources],
            "title": _("New calendar address"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _detail(request, loan, form=None, *, error=None, problems=()):
    slots = list(loan.slots.all())
    return TemplateResponse(
        request,
        "booking/admin/detail.html",
        {
            "loan": loan,
            "slots": slots,
            "items": list(loan.items.select_related("resource")),
            "declarations": list(loan.declarations.all()),
            "history": ModelLogEntry.objects.for_instance(loan)
            .select_related("user")
            .order_by("-timestamp"),
            "form": form or DecisionForm(slots=slots),
            # Free or taken, and by which loan, at each requested time: what the decision needs.
            "availability": availability.for_decision(loan)
            if loan.status == LoanStatus.PENDING
            else [],
            "error": error,
            "problems": problems,
            "title": loan.reference,
        },
        status=400 if error else 200,
    )


@require_GET
def detail(request, pk):
    _require_leader(request)
    return _detail(request, _loan(request, pk))


ACTIONS = {
    "approve": lambda loan, user, data: services.approve_loan(
        loan_id=loan.pk, user=user, exclude_slot_ids=data["exclude"], note=data["reason"]
    ),
    "decline": lambda loan, user, data: services.decline_loan(
        loan_id=loan.pk,
        user=user,
        reason_id=data["decline_reason"].pk if data["decline_reason"] else None,
        note=data["internal_note"],
    ),
    "cancel": lambda loan, user, data: services.cancel_by_leader(
        loan_id=loan.pk, user=user, reason=data["reason"]
    ),
    "hand-out": lambda loan, user, data: services.hand_out(
        loan_id=loan.pk, user=user, condition=data["condition"]
    ),
    "return": lambda loan, user, data: services.take_back(
        loan_id=loan.pk, user=user, condition=data["condition"]
    ),
}
DONE = {
    "approve": _("The loan is approved and the borrower has been told."),
    "decline": _("The request is declined and the borrower has been told."),
    "cancel": _("The loan is cancelled and the borrower has been told."),
    "hand-out": _("Handed out."),
    "return": _("Returned."),
}


@require_POST
def action(request, pk, name):
    _require_leader(request)
    loan = _loan(request, pk)
    if name not in ACTIONS:
        raise Http404
    form = DecisionForm(request.POST, slots=list(loan.slots.all()))
    if not form.is_valid():
        return _detail(request, loan, form, error=_("Correct the form."))
    try:
        ACTIONS[name](loan, request.user, form.cleaned_data)
    except exceptions.BookingError as exc:
        return _detail(request, loan, form, error=str(exc.message), problems=exc.problems)
    messages.success(request, str(DONE[name]))
    return redirect("booking_admin:detail", pk=loan.pk)
