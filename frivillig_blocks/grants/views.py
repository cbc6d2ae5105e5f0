"""Public views of the grants page (/frivillig/puljer/), routed by ``GrantIndexPage``:
the open grants, one grant with its application form, and the receipt."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from ..conf import app_settings
from ..models import Grant, GrantApplication
from . import exceptions, services
from .forms import GrantApplicationForm

SESSION_KEY = "frivillig_grant_receipts"
SESSION_LIMIT = 20  # the references a browser session keeps for its receipts
PER_PAGE = 20  # grants per page of the list (a city may run hundreds, issue #22)

TEMPLATES = "frivillig_blocks/grants/"


def grant_list_view(request, page):
    """The open grants, twenty a page (deadline first, rolling ones last)."""
    paginator = Paginator(Grant.objects.open(), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        TEMPLATES + "grant_list.html",
        {
            "page": page,
            "grants": list(page_obj.object_list),
            "page_obj": page_obj,
            "paginator": paginator,
        },
    )


def _published_grant_or_404(slug: str) -> Grant:
    grant = Grant.objects.filter(slug=slug, live=True).first()
    if grant is None:
        raise Http404("No such grant")
    return grant


def _render_grant(request, page, grant, form=None, *, status=200, error=None):
    return TemplateResponse(
        request,
        TEMPLATES + "grant_detail.html",
        {
            "page": page,
            "grant": grant,
            "is_open": grant.is_open(),
            "form": form,
            "error": error,
        },
        status=status,
    )


def _remember_receipt(request, reference: str) -> None:
    references = [r for r in request.session.get(SESSION_KEY, []) if r != reference]
    request.session[SESSION_KEY] = [*references, reference][-SESSION_LIMIT:]


@require_http_methods(["GET", "HEAD", "POST"])
def grant_view(request, page, slug):
    grant = _published_grant_or_404(slug)
    if not grant.is_open():
        # A closed grant shows why it takes no applications, also to a direct POST.
        return _render_grant(request, page, grant, status=404)
    if request.method != "POST":
        initial = {}
        if request.user.is_authenticated:
            initial = {"applicant_name": request.user.get_full_name(), "email": request.user.email}
        form = GrantApplicationForm(grant=grant, initial=initial)
        return _render_grant(request, page, grant, form)
    form = GrantApplicationForm(request.POST, grant=grant)
    if not form.is_valid():
        return _render_grant(request, page, grant, form, status=400)
    try:
        application = services.submit_application(
            grant=grant,
            data=form.cleaned_data,
            submission_key=form.cleaned_data["submission_key"],
            user=request.user,
        )
    except exceptions.GrantNotOpen as exc:
        return _render_grant(request, page, grant, status=404, error=exc.message)
    except exceptions.GrantError as exc:
        return _render_grant(request, page, grant, form, status=400, error=exc.message)
    _remember_receipt(request, application.reference)
    url = page.get_url(request) + page.reverse_subpage(
        "receipt", args=[grant.slug, application.reference]
    )
    return HttpResponseRedirect(url)


def receipt_view(request, page, slug, reference):
    # Only the browser session that sent the application sees its receipt: references
    # cannot be guessed into someone else's application.
    if reference not in request.session.get(SESSION_KEY, []):
        raise Http404("No such receipt")
    application = (
        GrantApplication.objects.select_related("grant")
        .filter(reference=reference, grant__slug=slug)
        .first()
    )
    if application is None:
        raise Http404("No such receipt")
    return TemplateResponse(
        request,
        TEMPLATES + "receipt.html",
        {
            "page": page,
            "application": application,
            "grant": application.grant,
            "volunteer_email": app_settings.EMAIL,
        },
    )
