"""Public views of the directory: parse the query string, ask ``queries``, render."""

from urllib.parse import urlencode

from django.http import Http404
from django.template.response import TemplateResponse

from . import queries
from .forms import DirectoryFilterForm

LIST_TEMPLATE = "frivillig_blocks/directory/directory.html"
DETAIL_TEMPLATE = "frivillig_blocks/directory/entry.html"


def _url_for(request, page):
    base = page.get_url(request)

    def url_for(slug: str) -> str:
        return base + page.reverse_subpage("association", kwargs={"slug": slug})

    return url_for


def _pagination(result: queries.DirectoryResult, query_items, base_url: str) -> dict | None:
    """The links of the pagination (numbers around the current page, ellipses between)."""
    page = result.page
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

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


def directory_view(request, page):
    form = DirectoryFilterForm(request.GET)
    directory_filter = form.directory_filter()
    base_url = page.get_url(request)
    result = queries.directory_page(
        directory_filter,
        number=queries.page_number(request.GET.get("side")),
        url_for=_url_for(request, page),
    )
    context = {
        "page": page,
        "form": form,
        "filter": directory_filter,
        "result": result,
        "entries": result.page.object_list,
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
