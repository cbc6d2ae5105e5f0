"""The public feedback form's target: one anonymous answer, then back to the page."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from frivillig_blocks import submissions
from frivillig_blocks.exceptions import FrivilligError

from . import services
from .forms import FeedbackForm

#: allauth's rate limiter; the default limit is set in frivillig_blocks/conf.py and a site
#: may change it with ACCOUNT_RATE_LIMITS["frivillig_feedback"].
RATE_LIMIT_ACTION = "frivillig_feedback"


def _hub_url(request) -> str:
    from ..models import VolunteerHubPage

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
        "frivillig_blocks/feedback/error.html",
        {
            "feedback_form": form,
            "message": message,
            "back_url": _safe_next(request, request.POST.get("next", "")) or _hub_url(request),
        },
        status=status,
    )


class RateLimited(FrivilligError):
    pass


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
        if not ratelimit.consume(request, action=RATE_LIMIT_ACTION):
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
        submissions.once(key=key, purpose="frivillig_blocks.feedback", create=record)
    except RateLimited:
        return _error(
            request,
            form,
            _("You have sent many answers in a short time. Please wait a little and try again."),
            status=429,
        )
    except FrivilligError:
        return _error(
            request,
            form,
            _("Your answer could not be saved. Please go back to the page and try again."),
            status=400,
        )
    messages.success(request, _("Thank you for your answer! It helps us improve the site."))
    return HttpResponseRedirect(next_url or _hub_url(request))
