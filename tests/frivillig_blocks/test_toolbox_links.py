"""A section page's absolute URL (frivillig_blocks.links), for mails, feeds and the API."""

import pytest

from frivillig_blocks.links import absolute, one_lookup_per_section, section_page, section_url
from frivillig_blocks.models import GrantIndexPage


def test_a_relative_url_is_made_absolute_with_the_admin_base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://frivillig.kommune.test/"
    assert absolute("/frivillig/kalender/") == "https://frivillig.kommune.test/frivillig/kalender/"
    assert absolute("https://andet.test/x/") == "https://andet.test/x/"
    assert absolute(None) == "" and absolute("") == ""


@pytest.mark.django_db
def test_a_section_without_a_live_page_has_no_url(site_tree):
    assert section_page(GrantIndexPage) is None
    assert section_url(GrantIndexPage) == ""
    assert section_url(GrantIndexPage, "grant", "x") == ""


@pytest.mark.django_db
def test_the_section_page_and_its_routes_have_absolute_urls(site_tree):
    draft = site_tree.hub.add_child(
        instance=GrantIndexPage(title="Udkast", slug="udkast", live=False)
    )
    page = site_tree.hub.add_child(instance=GrantIndexPage(title="Tilskud", slug="tilskud"))
    assert section_page(GrantIndexPage) == page != draft
    base = page.get_full_url()
    assert base.startswith("http://testserver/") and base.endswith("/tilskud/")
    assert section_url(GrantIndexPage) == base
    assert section_url(GrantIndexPage, "grant", "sommer") == base + "sommer/"
    assert (
        section_url(GrantIndexPage, "receipt", "sommer", "AB12") == base + "sommer/kvittering/AB12/"
    )
    # The caller's own page (another section of the same type) wins.
    assert section_url(GrantIndexPage, page=draft) == draft.get_full_url()


@pytest.mark.django_db
def test_one_lookup_per_section_reads_each_section_page_once(site_tree, django_assert_num_queries):
    with one_lookup_per_section(), django_assert_num_queries(1):
        assert section_page(GrantIndexPage) is None
        assert section_page(GrantIndexPage) is None
    # Outside the block every call reads the database: a page published since is found.
    page = site_tree.hub.add_child(instance=GrantIndexPage(title="Tilskud", slug="tilskud"))
    with django_assert_num_queries(2):
        assert section_page(GrantIndexPage) == page
        assert section_page(GrantIndexPage) == page
