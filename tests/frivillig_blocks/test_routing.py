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


def test_a_route_without_arguments_is_reversed_once_per_class_and_the_same_as_wagtails(
    monkeypatch,
):
    from django.urls import NoReverseMatch
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    from frivillig_blocks import routing

    monkeypatch.setattr(routing, "_reversed", {})
    reversed_by_wagtail = []
    wagtails = RoutablePageMixin.reverse_subpage

    def counted(self, name, args=None, kwargs=None):
        reversed_by_wagtail.append(name)
        return wagtails(self, name, args, kwargs)

    monkeypatch.setattr(RoutablePageMixin, "reverse_subpage", counted)
    page, other = IdeaCatalogPage(title="Idéer"), IdeaCatalogPage(title="Andre idéer")
    assert page.reverse_subpage("propose") == "foreslaa/"
    assert other.reverse_subpage("propose") == "foreslaa/"
    assert page.reverse_subpage("ideas") == ""
    assert other.reverse_subpage("ideas") == ""
    assert reversed_by_wagtail == ["propose", "ideas"]
    # With arguments, every call is Wagtail's.
    assert page.reverse_subpage("idea", args=["bytte-cykler"]) == "bytte-cykler/"
    assert page.reverse_subpage("idea", kwargs={"slug": "gaa-tur"}) == "gaa-tur/"
    assert reversed_by_wagtail[2:] == ["idea", "idea"]
    # An unknown name is Django's NoReverseMatch, and nothing is kept of it.
    with pytest.raises(NoReverseMatch):
        page.reverse_subpage("no-such-route")
    assert (IdeaCatalogPage, "no-such-route") not in routing._reversed


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


# --- The volunteer hub routes to its children with one query (issue #22) -------------------


@pytest.mark.django_db
def test_the_hub_routes_to_a_child_as_wagtail_does_with_a_query_less(rf, site_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from frivillig_blocks import layout

    hub = site_tree.hub.specific
    request = rf.get("/frivillig/om/")
    layout.children(hub)  # the hint, as a running site has it
    with CaptureQueriesContext(connection) as ours:
        found = hub.route(request, ["om"])
    with CaptureQueriesContext(connection) as wagtails:
        expected = Page.route(hub, request, ["om"])
    assert found.page == expected.page == site_tree.topic
    assert type(found.page) is type(expected.page)
    assert len(ours) == len(wagtails) - 1


@pytest.mark.django_db
def test_a_stale_hint_never_routes_wrongly(client, site_tree):
    """Changes that send no signal leave the kept hint stale: the hub checks the row it reads
    and otherwise routes as Wagtail does."""
    from wagtail.models import Page

    from tests import factories

    assert client.get("/frivillig/om/").status_code == 200  # the hint is kept
    Page.objects.filter(pk=site_tree.topic.pk).update(slug="om-at-vaere-frivillig")
    assert client.get("/frivillig/om/").status_code == 404
    assert client.get("/frivillig/om-at-vaere-frivillig/").status_code == 200
    # A new child is found.
    new = factories.TopicPageFactory.build(title="Nyt emne", slug="nyt-emne")
    site_tree.hub.add_child(instance=new)
    Page.objects.filter(pk=new.pk).update(live=True)
    assert client.get("/frivillig/nyt-emne/").status_code == 200
    # An unknown slug is a 404, as before.
    assert client.get("/frivillig/findes-ikke/").status_code == 404
