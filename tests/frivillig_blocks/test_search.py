"""The site search at /soeg/: pages and the shared snippets (associations, grants, ideas,
contact persons) through Wagtail's database search backend, grouped, only what is
published, with Danish messages for empty and over-long queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from frivillig_blocks.models import (
    AssociationIndexPage,
    ContactPage,
    ContactPerson,
    Grant,
    GrantIndexPage,
    Idea,
    IdeaCatalogPage,
)
from tests.helpers import html_of

from .. import factories

SEARCH = "/soeg/"


def add_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def section_pages(site_tree):
    hub = site_tree.hub
    return {
        "associations": add_page(hub, AssociationIndexPage(title="Foreninger", slug="foreninger")),
        "grants": add_page(hub, GrantIndexPage(title="Puljer", slug="puljer")),
        "ideas": add_page(hub, IdeaCatalogPage(title="Idékatalog", slug="idekatalog")),
        "contact": add_page(hub, ContactPage(title="Kontakt", slug="kontakt")),
    }


def make_grant(name, *, live=True, **fields):
    return Grant.objects.create(
        name=name,
        slug=fields.pop("slug", None) or name.lower().replace(" ", "-").replace("§", "p"),
        summary=fields.pop("summary", "Penge til frivilligt arbejde."),
        who_may_apply="Foreninger i kommunen.",
        amount="op til 25.000 kr.",
        rolling=fields.pop("rolling", True),
        live=live,
        **fields,
    )


def make_idea(title, *, live=True, slug=None, description="En idé."):
    return Idea.objects.create(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        description=description,
        live=live,
    )


def make_contact(name, role, *, live=True):
    return ContactPerson.objects.create(
        name=name, role=role, email=f"{name.split()[0].lower()}@dragoer.test", live=live
    )


@pytest.fixture
def rowing(section_pages, site_tree, association_factory):
    """Published and unpublished things about rowing, one of each kind."""
    factories.TopicPageFactory(
        parent=site_tree.hub, title="Roning i havnen", slug="roning", intro="Kom og ro med."
    )
    association_factory(name="Dragør Roklub", slug="dragoer-roklub", purpose="Roning for alle.")
    association_factory(name="Skjult Roklub", slug="skjult", purpose="Roning.", live=False)
    make_grant("Rotilskud", slug="rotilskud", summary="Tilskud til roning og kajak.")
    make_grant("Gammel ropulje", slug="gammel", summary="Roning.", live=False)
    make_idea("Roning for seniorer", slug="roning-for-seniorer")
    make_idea("Roning kladde", slug="roning-kladde", live=False)
    make_contact("Rasmus Roning", "Frivilligkoordinator")
    make_contact("Rikke Roning", "Tidligere ansat", live=False)


@pytest.mark.django_db
def test_results_are_grouped_with_counts_and_links(client, rowing):
    response = client.get(SEARCH, {"q": "roning"})
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1>") == 1 and "<h1>Søg</h1>" in html
    groups = {group.key: group for group in response.context["groups"]}
    assert {key: group.count for key, group in groups.items()} == {
        "pages": 1,
        "associations": 1,
        "grants": 1,
        "ideas": 1,
        "contact_persons": 1,
    }
    for heading in ("Sider", "Foreninger", "Puljer", "Idéer", "Kontaktpersoner"):
        assert f"{heading} <span" in html
    assert '<a href="/frivillig/roning/">Roning i havnen</a>' in html
    assert '<a href="/frivillig/foreninger/dragoer-roklub/">Dragør Roklub</a>' in html
    assert '<a href="/frivillig/puljer/rotilskud/">Rotilskud</a>' in html
    assert '<a href="/frivillig/idekatalog/roning-for-seniorer/">Roning for seniorer</a>' in html
    assert '<a href="/frivillig/kontakt/">Rasmus Roning</a>' in html
    # Nothing unpublished.
    for hidden in ("Skjult Roklub", "Gammel ropulje", "Roning kladde", "Rikke Roning"):
        assert hidden not in html
    assert "Resultater for »roning«: 5" in html


@pytest.mark.django_db
def test_links_are_left_out_when_the_section_page_is_missing(client, site_tree):
    make_idea("Strikkecafé", slug="strikkecafe")
    make_grant("Strikkepulje", slug="strikkepulje")
    html = html_of(client.get(SEARCH, {"q": "strikkecafé"}))
    assert "<li>Strikkecafé" in html and "/idekatalog/" not in html


@pytest.mark.django_db
def test_an_unpublished_or_private_page_is_not_found(client, site_tree):
    draft = factories.TopicPageFactory(parent=site_tree.hub, title="Hemmelig plan", slug="plan")
    draft.unpublish()
    private = factories.TopicPageFactory(
        parent=site_tree.hub, title="Hemmelig intern side", slug="intern"
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(SEARCH, {"q": "hemmelig"})
    assert response.status_code == 200
    html = html_of(response)
    assert "Hemmelig plan" not in html and "Hemmelig intern side" not in html


@pytest.mark.django_db
def test_the_index_follows_edits(client, section_pages):
    idea = make_idea("Cykelværksted", slug="cykelvaerksted")
    assert "Cykelværksted" in html_of(client.get(SEARCH, {"q": "cykelværksted"}))
    idea.title = "Reparationscafé"
    idea.save()
    assert "Reparationscafé" in html_of(client.get(SEARCH, {"q": "reparationscafé"}))
    assert "Reparationscafé" not in html_of(client.get(SEARCH, {"q": "cykelværksted"}))
    Idea.objects.get(pk=idea.pk).delete()
    response = client.get(SEARCH, {"q": "reparationscafé"})
    assert {g.key: g.count for g in response.context["groups"]}["ideas"] == 0


@pytest.mark.django_db
def test_the_form_without_a_query_explains_itself(client, site_tree):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = html_of(response)
    assert '<label for="id_q">Søg efter</label>' in html
    assert 'type="search"' in html and 'role="search"' in html
    assert "Søg i sitets sider, foreninger, puljer, idéer og kontaktpersoner." in html
    assert reverse("frivillig_search:search") == SEARCH


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "\x00", "\t\n", '"', "*", "-- ;"])
def test_an_empty_query_gets_a_danish_message(client, site_tree, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    html = html_of(response)
    assert "Skriv et eller flere ord at søge efter." in html
    assert 'aria-describedby="id_q_error"' in html


@pytest.mark.django_db
def test_an_over_long_query_gets_a_danish_message(client, site_tree):
    response = client.get(SEARCH, {"q": "roning " * 5000})
    assert response.status_code == 200
    assert "Skriv højst 200 tegn at søge efter." in html_of(response)
    assert response.context["groups"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"roning',
        "*",
        "ro*",
        "NEAR(roning",
        "roning AND OR NOT",
        "-roning",
        "' OR 1=1 --",
        "'; DROP TABLE wagtailcore_page; --",
        "roning\x00klub",
        "(((",
        "title:roning",
        "^roning",
        "\\",
        "%_%",
        "🚣 roning",
        "<script>alert(1)</script>",
        "&&||!",
        ":",
    ],
)
def test_hostile_queries_never_break_the_search(client, rowing, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    html = html_of(response)
    assert "<script>alert(1)</script>" not in html
    assert "Dragør Roklub" in html_of(client.get(SEARCH, {"q": "roning"}))  # still there


@pytest.mark.django_db
def test_hostile_query_strings_never_break_the_search(client, site_tree):
    for query in ("?q=a&q=b", "?q[]=x", "?%ZZ=%ZZ", "?q=%FF%FE", "?q=" + "%00" * 50):
        assert client.get(SEARCH + query).status_code == 200
    assert client.post(SEARCH, {"q": "roning"}).status_code == 405


@pytest.mark.django_db
def test_the_search_answers_in_english(client, rowing):
    response = client.get("/en/soeg/", {"q": "roning"})
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Search</h1>" in html and "Associations <span" in html
    assert 'href="/en/frivillig/foreninger/dragoer-roklub/"' in html


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_results(
    client, section_pages, association_factory, django_assert_num_queries
):
    def add(count, start):
        for number in range(start, start + count):
            association_factory(name=f"Kajak Klub {number}", slug=f"kajak-{number}")
            make_idea(f"Kajak idé {number}", slug=f"kajak-ide-{number}")
            make_grant(f"Kajakpulje {number}", slug=f"kajakpulje-{number}")
            make_contact(f"Kajak Person {number}", "Kajak")

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(SEARCH, {"q": "kajak"}).status_code == 200
        return len(context.captured_queries)

    client.get(SEARCH, {"q": "kajak"})  # warm the site and settings caches
    add(2, 0)
    few = queries()
    add(30, 2)
    with django_assert_num_queries(few):
        response = client.get(SEARCH, {"q": "kajak"})
    counts = {group.key: group.count for group in response.context["groups"]}
    assert counts == {
        "pages": 0,
        "associations": 32,
        "grants": 0,  # "kajakpulje" is a word of its own
        "ideas": 32,
        "contact_persons": 32,
    }
    assert "Viser de første 20 af 32." in html_of(response)


def test_grants_with_a_deadline_are_found_too(db):
    from wagtail.search.backends import get_search_backend

    make_grant("Sommerpulje", slug="sommer", rolling=False, deadline=datetime.date(2030, 1, 1))
    # rolling=False but a deadline: the constraint holds, and the index has it.
    results = get_search_backend().search("sommerpulje", Grant.objects.filter(live=True))
    assert [grant.slug for grant in results] == ["sommer"]


def test_the_search_page_passes_axe_in_a_browser(live_site, page, axe):
    _server, tree = live_site
    add_page(tree.hub, IdeaCatalogPage(title="Idékatalog", slug="idekatalog"))
    make_idea("Roning for seniorer", slug="roning-for-seniorer")
    page.goto(SEARCH)
    axe(page)
    main = page.locator("main")  # the header may get a search field of its own
    main.get_by_label("Søg efter").fill("roning")
    main.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url("**/soeg/?q=roning")
    assert page.get_by_role("link", name="Roning for seniorer").is_visible()
    axe(page)
    page.goto(SEARCH + "?q=")
    assert page.get_by_text("Skriv et eller flere ord at søge efter.").is_visible()
    axe(page)
