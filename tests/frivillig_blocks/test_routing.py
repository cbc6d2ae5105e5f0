"""A routable page's routes as one table (frivillig_blocks.routing): the same URLs and names
as Wagtail's decorated methods, each view called with the page, and a route whose view
cannot take its URL's parts refused by a system check."""

import pytest
from django.urls import Resolver404

from frivillig_blocks.models import IdeaCatalogPage
from frivillig_blocks.routing import Route, RouteTableMixin


class _Checked:
    """What Wagtail's Page gives the mixin: a ``check`` to extend."""

    @classmethod
    def check(cls, **kwargs):
        return []


def test_a_table_keeps_the_names_and_urls():
    resolver = IdeaCatalogPage.get_resolver()
    assert resolver.reverse("ideas") == ""
    assert resolver.reverse("propose") == "foreslaa/"
    assert resolver.reverse("idea", slug="bytte-cykler") == "bytte-cykler/"
    # The table comes first, in its order (foreslaa/ is not taken for an idea's slug);
    # Wagtail's own index route stays last.
    assert IdeaCatalogPage.get_resolver().resolve("/foreslaa/").url_name == "propose"
    assert [p.name for p in IdeaCatalogPage.get_subpage_urls()] == [
        "ideas",
        "propose",
        "idea",
        "index_route",
    ]


calls = []


def seen_view(request, page, slug):
    calls.append((request, page, slug))
    return "response"


def test_a_route_calls_its_view_with_the_page_and_the_urls_parts():
    view = f"{__name__}.seen_view"

    class Page(RouteTableMixin, _Checked):
        routes = (
            Route("<str:slug>/", view, "idea"),
            Route("", view, "first", {"slug": "den-foerste"}),
        )

    page = Page()
    match = Page.get_resolver().resolve("/cykler/")
    assert (match.url_name, match.kwargs) == ("idea", {"slug": "cykler"})
    # Wagtail binds the route to the page and calls it with the URL's parts.
    assert match.func.__get__(page, Page)("request", **match.kwargs) == "response"
    first = Page.get_resolver().resolve("/")
    assert first.func.__get__(page, Page)("request", **first.kwargs) == "response"
    assert calls == [("request", page, "cykler"), ("request", page, "den-foerste")]
    with pytest.raises(Resolver404):
        Page.get_resolver().resolve("/cykler/mere/")


def test_a_view_that_cannot_take_the_urls_parts_is_refused_at_start_up():
    class Broken(RouteTableMixin, _Checked):
        routes = (
            Route("ok/<str:slug>/", "frivillig_blocks.ideas.idea_view", "ok"),
            Route("x/<int:nope>/", "frivillig_blocks.ideas.idea_list_view", "wrong_part"),
            Route("y/", "frivillig_blocks.ideas.no_such_view", "missing"),
        )

    errors = {e.msg.split("'")[1] for e in Broken.check() if e.id == "frivillig_blocks.E050"}
    assert errors == {"wrong_part", "missing"}
