"""The site search (/soeg/?q=…): the best results of all kinds, then the hits of one kind
or of all, with filters per kind; and the suggestions the search box shows while typing
(/soeg/forslag/?q=…, JSON)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import engine
from .forms import SearchForm

PER_PAGE = 10
SUGGESTIONS = 6


@require_GET
def search(request):
    form = SearchForm(request.GET) if "q" in request.GET else SearchForm()
    result = None
    page_obj = None
    query = ""
    show_best = False
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        kind = form.cleaned_data.get("type") or None
        result = engine.search(request, query, kind=kind)
        # The hits are made as they are read: the page's ten, and the best five above the
        # first page of all kinds.
        paginator = Paginator(result.hits, PER_PAGE)
        page_obj = paginator.get_page(form.cleaned_data.get("page") or 1)
        show_best = not result.kind and page_obj.number == 1 and len(result.hits) > engine.BEST
        result.highlight([*(result.best if show_best else ()), *page_obj.object_list])
    filter_query = urlencode(
        {"q": query, **({"type": result.kind} if result and result.kind else {})}
    )
    response = TemplateResponse(
        request,
        "frivillig_blocks/search/search.html",
        {
            "form": form,
            "query": query,
            "result": result,
            "page_obj": page_obj,
            "paginator": page_obj.paginator if page_obj else None,
            "filter_query": filter_query,
            "show_best": show_best,
            "kind_query": urlencode({"q": query}),
            "suggestion_query": urlencode({"q": result.suggestion})
            if result and result.suggestion
            else "",
        },
    )
    if result is not None and not result.kinds:
        # A search that found nothing is counted for the follow-up (hooks.SEARCH_MISSES)
        # once per visitor: the anonymous page cache must not answer it for the next one.
        patch_cache_control(response, private=True)
    return response


@require_GET
@never_cache
def suggest(request):
    """Up to six hits for what is typed so far (the last word may be unfinished)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"results": []})
    result = engine.search(request, form.cleaned_data["q"], while_typing=True)
    return JsonResponse(
        {
            "results": [
                {"title": hit.title, "url": hit.url, "kind": hit.kind_label}
                for hit in result.hits[:SUGGESTIONS]
            ]
        }
    )
