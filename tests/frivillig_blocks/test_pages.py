"""The base layout on every page: navigation, footer, skip link, page type rules."""

import pytest

from frivillig_blocks.models import HomePage, TopicPage, VolunteerHubPage


@pytest.mark.django_db
def test_layout_has_skip_link_navigation_and_the_municipality_footer(client, site_tree):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<a href="/frivillig/">Frivillig</a>' in html  # main navigation from the page tree
    assert "Testby Kommune" in html and "Rådhusvej 1, 9999 Testby" in html
    assert 'href="tel:11223344"' in html
    assert 'href="/tilgaengelighedserklaering/">Tilgængelighedserklæring</a>' in html
    assert "/static/frivillig_blocks/css/print.css" in html


@pytest.mark.django_db
def test_hub_and_topic_and_statement_pages_answer(client, site_tree):
    hub = client.get("/frivillig/")
    assert hub.status_code == 200
    assert 'aria-current="page"' in hub.content.decode()
    assert client.get("/frivillig/om/").status_code == 200
    statement = client.get("/tilgaengelighedserklaering/").content.decode()
    assert "Sitet lever op til WCAG 2.1 AA." in statement


@pytest.mark.django_db
def test_page_types_are_created_only_where_they_belong(site_tree):
    assert VolunteerHubPage.can_create_at(site_tree.home) is False  # one per parent, exists
    assert VolunteerHubPage.can_create_at(site_tree.topic) is False
    assert TopicPage.can_create_at(site_tree.hub)
    assert HomePage.can_create_at(site_tree.hub) is False


@pytest.mark.django_db
def test_the_home_page_query_count_is_bounded(client, site_tree, django_assert_max_num_queries):
    client.get("/")  # warm the site and settings caches as a running site has them
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_cached_layout_follows_every_change(client, site_tree):
    from frivillig_blocks.models import MunicipalitySettings

    assert "Nyt afsnit" not in client.get("/").content.decode()
    page = TopicPage(title="Nyt afsnit", slug="nyt", show_in_menus=True, live=False)
    site_tree.home.add_child(instance=page)
    assert "Nyt afsnit" not in client.get("/").content.decode()  # a draft is not in the menu
    page.save_revision().publish()
    assert '<a href="/nyt/">Nyt afsnit</a>' in client.get("/").content.decode()
    page.refresh_from_db()
    page.unpublish()
    assert "Nyt afsnit" not in client.get("/").content.decode()

    settings_ = MunicipalitySettings.for_site(site_tree.site)
    settings_.phone = "99 88 77 66"
    settings_.save()
    assert 'href="tel:99887766"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_layout_costs_a_fixed_number_of_queries(client, site_tree, django_assert_num_queries):
    for n in range(6):
        menu_page = TopicPage(title=f"Menu {n}", slug=f"menu-{n}", show_in_menus=True)
        site_tree.home.add_child(instance=menu_page)
    client.get("/frivillig/")
    # The hub's row (routed directly, issue #22): the site and its root page, the view
    # restrictions, the menu and the footer come from the cache.
    with django_assert_num_queries(1):
        client.get("/frivillig/")


@pytest.mark.django_db
def test_the_kept_header_follows_the_visitor_the_page_and_the_address(client, site_tree, user):
    """The header and the footer are rendered once per layout version and read from the
    process's copy (``{% layout_fragment %}``, issue #22): what differs between visitors
    and pages still differs."""
    from django.test import Client

    anonymous = client.get("/frivillig/").content.decode()
    assert 'href="/konto/login/"' in anonymous and "Log ud" not in anonymous
    member = Client()
    member.force_login(user)
    signed_in = member.get("/frivillig/").content.decode()
    assert "Log ud" in signed_in and "Mine sider" in signed_in
    assert "Log ud" not in client.get("/frivillig/").content.decode()

    # The menu marks the section one is in, and nothing on a page outside it.
    assert '<a href="/frivillig/" aria-current="page">Frivillig</a>' in anonymous
    statement = client.get("/tilgaengelighedserklaering/").content.decode()
    assert '<a href="/frivillig/">Frivillig</a>' in statement

    # The language switcher keeps each request's own query.
    first = client.get("/frivillig/om/?side=2").content.decode()
    second = client.get("/frivillig/om/?side=3").content.decode()
    assert 'href="/en/frivillig/om/?side=2"' in first
    assert 'href="/en/frivillig/om/?side=3"' in second

    english = client.get("/en/frivillig/").content.decode()
    assert ">Log in<" in english and "Log ind" not in english


def test_every_page_links_its_other_language_keeping_the_query(client, site_tree):
    """The language switcher and the hreflang alternates name the same page in the other
    language, with the query the visitor asked (the translation of a path is kept per
    path, issue #22: a second, differently asked request must still get its own)."""
    import re

    for _ in range(2):
        html = client.get("/frivillig/om/?side=2&q=b%C3%B8rn").content.decode()
        assert re.search(
            r'<a href="/en/frivillig/om/\?side=2&amp;q=b%C3%B8rn" hreflang="en" lang="en">', html
        )
        assert re.search(
            r'<link rel="alternate" hreflang="da" href="http://[^"]+/frivillig/om/\?side=2&amp;q=b%C3%B8rn">',
            html,
        )
    html = client.get("/en/frivillig/om/").content.decode()
    assert '<a href="/frivillig/om/" hreflang="da" lang="da">' in html
    assert re.search(
        r'<link rel="alternate" hreflang="en" href="http://[^"]+/en/frivillig/om/">', html
    )
    # An address that is no page (Wagtail's pattern takes every path) keeps its query too.
    html = client.get("/findes-ikke/?x=1").content.decode()
    assert '<a href="/en/findes-ikke/?x=1" hreflang="en" lang="en">' in html
