"""The site search (/soeg/?q=…): one GET form, results grouped by kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from ..models import (
    Association,
    AssociationIndexPage,
    ContactPage,
    ContactPerson,
    Grant,
    GrantIndexPage,
    Idea,
    IdeaCatalogPage,
)
from .forms import SearchForm

#: The most results shown per group (the count shows how many there are in all).
PER_GROUP = 20


@dataclass
class Result:
    title: str
    url: str | None = None
    text: str = ""


@dataclass
class Group:
    key: str
    heading: str
    count: int
    results: list[Result] = field(default_factory=list)


@dataclass(frozen=True)
class SnippetGroup:
    """A published snippet type and the section page that shows it: ``route`` is the
    name of the page's sub-route for one object, or None to link to the page itself."""

    key: str
    heading: str
    model: type
    page_type: type
    route: str | None
    title: str
    text: str


SNIPPET_GROUPS = (
    SnippetGroup(
        "associations",
        _("Associations"),
        Association,
        AssociationIndexPage,
        "association",
        "name",
        "purpose",
    ),
    SnippetGroup("grants", _("Grants"), Grant, GrantIndexPage, "grant", "name", "summary"),
    SnippetGroup("ideas", _("Ideas"), Idea, IdeaCatalogPage, "idea", "title", "description"),
    SnippetGroup(
        "contact_persons", _("Contact persons"), ContactPerson, ContactPage, None, "name", "role"
    ),
)


def _search(query: str, queryset, limit: int = PER_GROUP) -> tuple[int, list]:
    results = get_search_backend().search(query, queryset)
    count = results.count()
    return count, list(results[:limit]) if count else []


def _in_site(queryset, site):
    return queryset.in_site(site) if site is not None else queryset


def _snippet_group(request, site, spec: SnippetGroup, query: str) -> Group:
    count, found = _search(query, spec.model.objects.filter(live=True))
    results = []
    if found:
        section = _in_site(spec.page_type.objects.live(), site).first()
        base = section.get_url(request) if section is not None else None
        for obj in found:
            url = None
            if base and spec.route:
                url = base + section.reverse_subpage(spec.route, args=[obj.slug])
            elif base:
                url = base
            results.append(Result(getattr(obj, spec.title), url, getattr(obj, spec.text)))
    return Group(spec.key, spec.heading, count, results)


def search_groups(request, query: str) -> list[Group]:
    """Published pages of this site, then each kind of published snippet."""
    site = Site.find_for_request(request)
    count, found = _search(query, _in_site(Page.objects.live().public(), site))
    pages = Group(
        "pages",
        _("Pages"),
        count,
        [Result(page.title, page.get_url(request), page.search_description) for page in found],
    )
    return [pages, *(_snippet_group(request, site, spec, query) for spec in SNIPPET_GROUPS)]


@require_GET
def search(request):
    form = SearchForm(request.GET) if "q" in request.GET else SearchForm()
    groups = []
    query = ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        groups = search_groups(request, query)
    return TemplateResponse(
        request,
        "frivillig_blocks/search/search.html",
        {
            "form": form,
            "query": query,
            "groups": groups,
            "total": sum(group.count for group in groups),
        },
    )
