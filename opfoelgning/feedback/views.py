"""The public feedback form's target (one anonymous answer, then its optional comment on a
page of its own, then back to the page) and the consent to invitations on Mine sider."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from frivillig_blocks import submissions
from frivillig_blocks.accounts.limits import consume_with_default
from frivillig_blocks.errors import status_of
from frivillig_blocks.exceptions import FrivilligError

from ..conf import app_settings
from ..exceptions import RateLimited
from . import services
from .forms import CommentForm, ContactPreferenceForm, FeedbackForm

#: allauth's rate limiter; the default limit is in the app's conf.py and a site
#: may change it with ACCOUNT_RATE_LIMITS["frivillig_feedback"].
RATE_LIMIT_ACTION = "frivillig_feedback"


def _hub_url(request) -> str:
    from frivillig_blocks.models import VolunteerHubPage

    hub = VolunteerHubPage.objects.live().first()
    return (hub.get_url(request) if hub else None) or "/"


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _error(request, form, message: str, *, status: int):
    return render(
        request,
        "opfoelgning/feedback/error.html",
        {
            "feedback_form": form,
            "message": message,
            "back_url": _safe_next(request, request.POST.get("next", "")) or _hub_url(request),
        },
        status=status,
    )


# Exempt from CSRF on purpose: the form is on every public page of the volunteer section,
# and those pages are served from the anonymous page cache (pagecache.py), which never
# stores a response that sets the CSRF cookie. A token would make every such page
# uncacheable. The view needs no protection a token would give: it needs no session, acts
# for nobody (no user, no cookie), writes one anonymous answer, is rate-limited per IP
# address (allauth's limiter) and validates everything it stores.
@csrf_exempt
@require_POST
def submit(request):
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if form.has_error("answer") or form.has_error("comment"):
            message = _("Your answer was not saved. Please correct the form below.")
        else:
            message = _("Your answer could not be saved. Please go back to the page and try again.")
        return _error(request, form, message, status=400)
    data = form.cleaned_data
    page = services.feedback_page(data["page"], task=data["task"])
    if page is None:
        return _error(
            request,
            form,
            _("Your answer could not be saved. Please go back to the page and try again."),
            status=400,
        )
    page_url = page.get_url(request) or "/"
    next_url = _safe_next(request, data["next"])

    def record():
        # Inside ``once``: a double submit is neither stored nor counted twice.
        if not consume_with_default(
            request, action=RATE_LIMIT_ACTION, default=app_settings.FEEDBACK_RATE_LIMIT
        ):
            raise RateLimited
        return services.record_feedback(
            page=page,
            found=form.found,
            comment=data["comment"],
            next_url=next_url,
            page_url=page_url,
            task=data["task"],
        )

    # The box is on pages from the shared page cache: every visitor gets the same hidden
    # key, so the key of this answer also holds the client's address and the answer.
    key = submissions.derived_key(
        data["submission_key"],
        submissions.client_address(request),
        request.META.get("HTTP_USER_AGENT", "")[:300],
        page.pk,
        data["task"],
        data["answer"],
        data["comment"],
        next_url,
    )
    try:
        feedback, _first = submissions.once(
            key=key, purpose="frivillig_blocks.feedback", create=record
        )
    except RateLimited as exc:
        return _error(request, form, exc.message, status=status_of(exc))
    except FrivilligError:
        return _error(
            request,
            form,
            _("Your answer could not be saved. Please go back to the page and try again."),
            status=400,
        )
    if feedback is not None and not data["comment"]:
        # The answer is stored: now the comment field, on a page of its own (the page the
        # box was on comes from the shared cache and cannot show it).
        url = reverse("opfoelgning:feedback_comment", args=[services.comment_token(feedback)])
        if next_url:
            url += "?" + urlencode({"next": next_url})
        return HttpResponseRedirect(url)
    messages.success(request, _("Thank you for your answer! It helps us improve the site."))
    return HttpResponseRedirect(next_url or _hub_url(request))


@require_http_methods(["GET", "HEAD", "POST"])
def comment(request, token):
    """The second step after "Ja" or "Nej": the optional comment, added to the answer."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    back_url = next_url or _hub_url(request)
    try:
        feedback = services.feedback_for_comment(token)
    except FrivilligError as exc:
        feedback, error = None, exc.message
    else:
        error = "" if feedback is not None else _("Your answer could not be found.")
    if feedback is None:
        return render(
            request,
            "opfoelgning/feedback/comment.html",
            {"error": error, "back_url": back_url},
            status=400,
        )
    if feedback.comment:  # this answer has its comment already
        messages.success(request, _("Thank you for your answer! It helps us improve the site."))
        return HttpResponseRedirect(back_url)
    form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_comment(feedback, form.cleaned_data["comment"])
        messages.success(request, _("Thank you for your answer! It helps us improve the site."))
        return HttpResponseRedirect(back_url)
    return render(
        request,
        "opfoelgning/feedback/comment.html",
        {"form": form, "feedback": feedback, "back_url": back_url, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def contact_preference(request):
    """Turn invitations from the municipality on or off (the checkbox on Mine sider)."""
    form = ContactPreferenceForm(request.POST)
    form.is_valid()  # a missing or unreadable box means "no"
    allowed = bool(form.cleaned_data.get("invitations"))
    services.set_invitations(request.user, allowed)
    if allowed:
        messages.success(request, _("Thank you. The municipality may now invite you to meetings."))
    else:
        messages.success(request, _("The municipality will not invite you to meetings."))
    return redirect("frivillig_blocks:mine_sider")
