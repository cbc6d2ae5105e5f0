"""Public views of the idea catalogue, routed by IdeaCatalogPage (models/pages.py):
the list with filters, one idea, and the "propose an idea" form."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from allauth.core import ratelimit
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..errors import show_on_form
from ..exceptions import FrivilligError
from ..models import AgeGroup, Theme
from . import services
from .exceptions import TooManyProposals
from .forms import IdeaFilterForm, ProposeIdeaForm, age_group_label

PER_PAGE = 20
#: allauth's rate limiter; configure it with ACCOUNT_RATE_LIMITS["frivillig_propose_idea"]
#: (e.g. "10/h/ip"). Without that setting proposals are not limited.
RATE_LIMIT_ACTION = "frivillig_propose_idea"
_SLUG = re.compile(r"[-\w]{1,200}")


def _with_labels(ideas):
    for idea in ideas:
        idea.target_groups = [age_group_label(group) for group in idea.age_groups.all()]
    return ideas


def idea_list_view(request, page):
    form = IdeaFilterForm(
        request.GET, age_groups=list(AgeGroup.objects.all()), themes=list(Theme.objects.all())
    )
    filters = form.filters()
    paginator = Paginator(services.published_ideas(**filters), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = [("q", filters["text"])] if filters["text"] else []
    query += [("age_group", code) for code in filters["age_groups"]]
    query += [("theme", slug) for slug in filters["themes"]]
    return TemplateResponse(
        request,
        "frivillig_blocks/ideas/idea_list.html",
        {
            "page": page,
            "form": form,
            "ideas": _with_labels(list(page_obj.object_list)),
            "page_obj": page_obj,
            "paginator": paginator,
            "filtered": any(filters.values()),
            "filter_query": urlencode(query),
            "list_url": page.get_url(request),
            "propose_url": page.get_url(request) + page.reverse_subpage("propose"),
        },
    )


def idea_view(request, page, slug):
    idea = services.published_idea(slug=slug) if _SLUG.fullmatch(slug) else None
    if idea is None:
        raise Http404(_("The idea does not exist or is not published."))
    _with_labels([idea])
    return TemplateResponse(
        request,
        "frivillig_blocks/ideas/idea_detail.html",
        {
            "page": page,
            "idea": idea,
            "list_url": page.get_url(request),
            "propose_url": page.get_url(request) + page.reverse_subpage("propose"),
        },
    )


def propose_view(request, page):
    status = 200
    if request.method == "POST":
        form = ProposeIdeaForm(request.POST)
        if form.is_valid():
            try:
                if not ratelimit.consume(request, action=RATE_LIMIT_ACTION):
                    raise TooManyProposals
                services.propose_idea(
                    data=form.cleaned_data, submission_key=form.cleaned_data["submission_key"]
                )
            except FrivilligError as exc:
                status = show_on_form(form, exc)
            else:
                messages.success(
                    request, _("Thank you! Your idea will be shown once an editor has approved it.")
                )
                return HttpResponseRedirect(page.get_url(request))
        else:
            status = 400
        form.prepare_for_redisplay()
    else:
        form = ProposeIdeaForm()
    return TemplateResponse(
        request,
        "frivillig_blocks/ideas/propose.html",
        {"page": page, "form": form, "list_url": page.get_url(request)},
        status=status,
    )
