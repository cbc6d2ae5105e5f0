"""Public views of the directory: parse the query string, ask ``queries``, render.

The list's result (its count, its page and the page's cards, rendered) is kept per content
version, language, address and filter (``pagecache.kept``; issue #22): a visitor's request
renders the page around it (the form with their choices, the pagination) and reads no rows
of the directory until an editor changes what it shows. A preview is never kept."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import pagecache
from . import queries
from .forms import DirectoryFilterForm

LIST_TEMPLATE = "frivillig_blocks/directory/directory.html"
CARDS_TEMPLATE = "frivillig_blocks/directory/cards.html"
DETAIL_TEMPLATE = "frivillig_blocks/directory/entry.html"
# How long a kept result lives at most. A directory page keeps as many results (filters ×
# pages) per window as the page cache keeps copies of a path (FRIVILLIG_PAGE_CACHE_VARIANTS):
# beyond that a result is rendered for the request only.
RESULT_SECONDS = 60 * 60


@dataclass(frozen=True)
class ListResult:
    """What the list shows of one page of the directory: plain values, kept as they are."""

    count: int
    number: int
    num_pages: int
    cards: str  # the page's cards, rendered (cards.html)


def _url_for(request, page):
    base = page.get_url(request)

    def url_for(slug: str) -> str:
        return base + page.reverse_subpage("association", kwargs={"slug": slug})

    return url_for


def _pagination(result: ListResult, query_items, base_url: str) -> dict | None:
    """The links of the pagination (numbers around the current page, ellipses between)."""
    if result.num_pages <= 1:
        return None
    paginator = Paginator(range(result.count), queries.PER_PAGE)
    page = paginator.page(result.number)

    def link(number: int) -> str:
        items = [*query_items, ("side", number)] if number > 1 else list(query_items)
        return f"{base_url}?{urlencode(items)}" if items else base_url

    links = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            links.append({"number": number, "url": link(number), "current": number == page.number})
    return {
        "links": links,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


def _list_result(request, page, directory_filter, number: int, base_url: str) -> ListResult:
    def build() -> ListResult:
        result = queries.directory_page(
            directory_filter, number=number, url_for=_url_for(request, page)
        )
        cards = render_to_string(CARDS_TEMPLATE, {"entries": result.page.object_list}).strip()
        return ListResult(
            count=result.count,
            number=result.page.number,
            num_pages=result.page.paginator.num_pages,
            cards=cards,
        )

    if getattr(request, "is_preview", False):
        return build()
    return pagecache.kept(
        (
            "directory",
            page.pk,
            base_url,
            get_language(),
            sorted(directory_filter.age_groups),
            sorted(directory_filter.themes),
            directory_filter.text,
            number,
        ),
        build,
        RESULT_SECONDS,
        group=f"directory:{page.pk}",
    )


def directory_view(request, page):
    form = DirectoryFilterForm(request.GET)
    directory_filter = form.directory_filter()
    base_url = page.get_url(request)
    number = queries.page_number(request.GET.get("side"))
    result = _list_result(request, page, directory_filter, number, base_url)
    context = {
        "page": page,
        "form": form,
        "filter": directory_filter,
        "result": result,
        "cards": mark_safe(result.cards),  # noqa: S308 - rendered by the template engine
        "pagination": _pagination(result, form.query_items(), base_url),
        "directory_url": base_url,
    }
    return TemplateResponse(request, LIST_TEMPLATE, context)


def association_view(request, page, slug):
    entry = queries.find_entry(slug, url_for=_url_for(request, page))
    if entry is None:
        raise Http404("No such association or initiative.")
    return TemplateResponse(
        request,
        DETAIL_TEMPLATE,
        {"page": page, "entry": entry, "directory_url": page.get_url(request)},
    )
