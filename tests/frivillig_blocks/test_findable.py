"""Findable (#21): breadcrumbs on every page below the home page, the main menu editors
control, the municipality's crest and colours from its settings, and the hub's "what is on
now" filled by each app through ``hooks.WHATS_ON`` in a constant number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frivillig_blocks.models import (
    Grant,
    GrantIndexPage,
    MainMenuSettings,
    MunicipalitySettings,
)
from tests.conftest import requires_apps

from ..factories import TopicPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def breadcrumb_items(html: str) -> list[tuple[str, str, str]]:
    """(href, aria-current, name) of each breadcrumb."""
    nav = re.search(r'<nav class="breadcrumbs"(.*?)</nav>', html, re.S)
    if nav is None:
        return []
    return re.findall(
        r'<a itemprop="item" href="([^"]*)"(?: aria-current="(\w+)")?><span itemprop="name">'
        r"([^<]*)</span>",
        nav.group(1),
    )


def test_a_page_below_the_hub_shows_the_way_home_as_a_breadcrumb_list(client, site_tree):
    html = client.get("/frivillig/om/").content.decode()
    assert '<nav class="breadcrumbs" aria-label="' in html
    assert 'itemtype="https://schema.org/BreadcrumbList"' in html
    items = breadcrumb_items(html)
    assert [(href, current) for href, current, _name in items] == [
        ("/", ""),
        ("/frivillig/", ""),
        ("/frivillig/om/", "page"),
    ]
    assert items[1][2] == site_tree.hub.title and items[2][2] == "Om at være frivillig"
    assert html.count('itemprop="itemListElement"') == 3
    assert '<meta itemprop="position" content="3">' in html


def test_the_breadcrumbs_follow_a_renamed_page_and_the_language(client, site_tree):
    """The breadcrumbs are rendered once per distinct way and language (issue #22): a page
    renamed by an editor, or the same way in English, is rendered anew."""
    first = breadcrumb_items(client.get("/frivillig/om/").content.decode())
    assert [name for *_, name in first][:2] == ["Forside", site_tree.hub.title]
    hub = site_tree.hub.specific
    hub.title = "Frivillige i Dragør"
    hub.save_revision().publish()
    names = [name for *_, name in breadcrumb_items(client.get("/frivillig/om/").content.decode())]
    assert names == ["Forside", "Frivillige i Dragør", "Om at være frivillig"]
    english = breadcrumb_items(client.get("/en/frivillig/om/").content.decode())
    assert english[0][:1] == ("/en/",) and english[0][2] == "Front page"


def test_the_search_outside_the_page_tree_has_breadcrumbs_too(client, site_tree):
    items = breadcrumb_items(client.get("/soeg/?q=frivillig").content.decode())
    assert [(href, current) for href, current, _name in items] == [("/", ""), ("/soeg/", "page")]


@pytest.mark.parametrize(
    "path, name",
    [
        ("/konto/login/", "Log ind"),
        ("/konto/login/code/", "Log ind"),
        ("/konto/signup/", "Opret konto"),
        ("/konto/password/reset/", "Nulstil adgangskode"),
        ("/en/konto/login/", "Sign In"),
    ],
)
def test_the_sign_in_pages_name_themselves_in_their_breadcrumbs(client, site_tree, path, name):
    html = client.get(path).content.decode()
    items = breadcrumb_items(html)
    assert [(href, current) for href, current, _name in items] == [
        ("/en/" if path.startswith("/en/") else "/", ""),
        (path, "page"),
    ]
    assert items[-1][2] == name
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert " ".join(title.split()).startswith(f"{name} – ")


def test_the_home_page_has_no_breadcrumbs(client, site_tree):
    assert breadcrumb_items(client.get("/").content.decode()) == []
    assert 'class="breadcrumbs"' not in client.get("/").content.decode()


def test_a_view_of_a_section_page_marks_the_section_as_the_current_location(client, site_tree):
    index = GrantIndexPage(title="Puljer", slug="puljer")
    site_tree.hub.add_child(instance=index)
    index.save_revision().publish()
    Grant.objects.create(
        name="Grøn pulje", slug="groen", summary="Grønt", who_may_apply="Alle", rolling=True
    )
    items = breadcrumb_items(client.get("/frivillig/puljer/groen/").content.decode())
    assert items[-1][:2] == ("/frivillig/puljer/", "location")


def test_the_main_menu_defaults_to_the_home_pages_children_in_menus(client, site_tree):
    hub = site_tree.hub
    hub.show_in_menus = True
    hub.save_revision().publish()
    menu = re.search(r'<nav class="main-nav".*?</nav>', client.get("/").content.decode(), re.S)
    assert menu and re.findall(r'href="([^"]+)"', menu.group()) == ["/frivillig/"]


def test_the_main_menu_is_the_editors_choice_in_their_order_without_unpublished_pages(
    client, site_tree
):
    draft = TopicPageFactory(parent=site_tree.hub, title="Kladde", slug="kladde")
    draft.unpublish()
    menu = MainMenuSettings.for_site(site_tree.site)
    menu.items = [
        ("item", {"page": site_tree.topic, "title": "Kom i gang"}),
        ("item", {"page": draft, "title": ""}),
        ("item", {"page": site_tree.hub, "title": ""}),
    ]
    menu.save()
    html = client.get("/frivillig/om/").content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group()
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav) == [
        ("/frivillig/om/", "Kom i gang"),
        ("/frivillig/", site_tree.hub.title),
    ]
    assert 'href="/frivillig/om/" aria-current="page"' in nav


def test_web_editors_edit_the_main_menu_in_the_admin(client, site_tree):
    from frivillig_blocks import roles

    client.force_login(UserFactory(groups=[roles.KOMMUNIKATOERER]))
    url = f"/admin/settings/frivillig_blocks/mainmenusettings/{site_tree.site.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b'id="panel-child-items-wrapper"' in response.content
    response = client.post(
        url,
        {
            "items-count": "1",
            "items-0-type": "item",
            "items-0-deleted": "",
            "items-0-order": "0",
            "items-0-id": "",
            "items-0-value-page": str(site_tree.topic.pk),
            "items-0-value-title": "Kom i gang",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    nav = re.search(r'<nav class="main-nav".*?</nav>', client.get("/").content.decode(), re.S)
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group()) == [
        ("/frivillig/om/", "Kom i gang")
    ]


def test_the_crest_and_colours_come_from_the_municipalitys_settings(client, site_tree):
    from django.core.exceptions import ValidationError
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    html = client.get("/").content.decode()
    assert "site-header__logo" not in html and "/farver.css" not in html
    settings_ = MunicipalitySettings.for_site(site_tree.site)
    settings_.logo = get_image_model().objects.create(title="Våben", file=get_test_image_file())
    settings_.primary_colour = "#7a0019"
    settings_.full_clean()
    settings_.save()
    html = client.get("/frivillig/").content.decode()
    assert re.search(r'<img class="site-header__logo" src="/media/images/[^"]+" alt=""', html)
    colours = re.search(r'<link rel="stylesheet" href="(/farver\.css\?v=\d+)">', html).group(1)
    css = client.get(colours)
    assert css["Content-Type"].startswith("text/css")
    assert "--color-primary: #7a0019;" in css.content.decode()
    # White text on a light header would fail WCAG's 4.5:1: the admin refuses it.
    settings_.primary_colour = "#8fd3ff"
    with pytest.raises(ValidationError) as refused:
        settings_.full_clean()
    assert "primary_colour" in refused.value.message_dict


# --- What is on now ---------------------------------------------------------------------------


def fill_apps(site_tree, count: int, first: int = 0):
    """``count`` future events, needs and grants closing soon, and a prize round."""
    # The apps' factories, imported only where the apps are installed (make matrix runs
    # this file with frivillig_blocks alone).
    from frivillig_blocks import roles
    from kalender.models import EventStatus
    from kalender.services import EventData, save_event
    from tests.boers.conftest import PostFactory, add_exchange_page
    from tests.initiativpris.conftest import round_in_phase
    from tests.kalender.conftest import CalendarPageFactory

    hub = site_tree.hub.specific
    if not CalendarPageFactory._meta.model.objects.exists():
        CalendarPageFactory(parent=hub)
        add_exchange_page(hub)
        grants = GrantIndexPage(title="Puljer", slug="puljer")
        hub.add_child(instance=grants)
        grants.save_revision().publish()
        from tests.initiativpris.conftest import PrizePage

        prize = PrizePage(title="Initiativprisen", slug="initiativpris")
        hub.add_child(instance=prize)
        prize.save_revision().publish()
        round_in_phase("nominations")
    reviewer = UserFactory(groups=[roles.KOMMUNIKATOERER])
    start = timezone.now() + datetime.timedelta(days=3)
    today = timezone.localdate()
    for n in range(first, first + count):
        save_event(
            user=reviewer,
            data=EventData(
                title=f"Koncert {n}",
                start=start + datetime.timedelta(days=n),
                end=start + datetime.timedelta(days=n, hours=2),
                address="Strandlinien 1, 2791 Dragør",
            ),
        )
        PostFactory(side="need", title=f"Søger hjælp {n}")
        Grant.objects.create(
            name=f"Pulje {n}",
            slug=f"pulje-{n}",
            summary="Støtte",
            who_may_apply="Alle",
            deadline=today + datetime.timedelta(days=10 + n),
            live=True,
        )
    assert EventStatus  # the calendar is installed


@requires_apps("kalender", "boers", "initiativpris")
def test_the_hub_shows_what_is_on_now_from_each_app(client, site_tree):
    fill_apps(site_tree, 2)
    Grant.objects.create(
        name="Fjern pulje",
        slug="fjern",
        summary="Senere",
        who_may_apply="Alle",
        deadline=timezone.localdate() + datetime.timedelta(days=200),
        live=True,
    )
    html = client.get("/frivillig/").content.decode()
    assert '<section class="whats-on"' in html, "no what-is-on-now on the hub"
    text = html[html.index('<section class="whats-on"') : html.index("</main>")]
    for title in ["Koncert 0", "Koncert 1", "Søger hjælp 0", "Søger hjælp 1", "Pulje 0"]:
        assert title in text
    assert re.search(r'href="/frivillig/kalender/arrangement/\d+/">Koncert 0<', text)
    assert re.search(r'href="/frivillig/boers/\d+/">Søger hjælp 1<', text)
    assert 'href="/frivillig/puljer/pulje-0/"' in text
    assert "Fjern pulje" not in text  # its deadline is far off
    assert f"Initiativprisen {timezone.now().year}" in text
    assert 'href="/frivillig/initiativpris/"' in text


@requires_apps("kalender", "boers", "initiativpris")
def test_the_hubs_query_count_does_not_grow_with_what_is_on(client, site_tree):
    """Counted cold (the layout and the panels are cached until content changes, the panels
    five minutes at most): one item of each kind costs what three do."""
    from frivillig_blocks import layout

    def cold_queries():
        client.get("/frivillig/")
        layout.bump_version()  # menu, breadcrumbs and panels computed again
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/frivillig/").content.decode()
        return queries, html

    fill_apps(site_tree, 1)
    few, html = cold_queries()
    assert html.count("Koncert ") == 1 and html.count("Søger hjælp ") == 1
    fill_apps(site_tree, 2, first=1)
    many, html = cold_queries()
    assert html.count("Koncert ") == 3 and html.count("Søger hjælp ") == 3
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    with CaptureQueriesContext(connection) as warm:
        client.get("/frivillig/")
    assert len(warm) < len(many)


def test_the_hub_is_quiet_when_nothing_is_on(client, site_tree):
    html = client.get("/frivillig/").content.decode()
    assert 'class="whats-on"' not in html
