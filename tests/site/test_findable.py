"""Every live public page of the demo is reachable by links from ``/``: a crawl with the test
client, following only ``<a href>`` links within the site, compared with the live public page
tree and the apps' index routes (issue #21, "Findable")."""

from __future__ import annotations

import io
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction

# Paths a visitor's crawl does not follow: the admin, files, the other language (the same
# pages again) and the logout link.
NOT_FOLLOWED = ("/admin/", "/documents/", "/media/", "/static/", "/en/", "/konto/logout/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
            continue
        found.append(parts.path)
    return found


def crawl(client, wanted: set[str], limit: int = 3000) -> set[str]:
    """The paths reached from ``/`` by links alone (breadth first; query strings dropped,
    so a filter or a page of results counts as its page). Stops once every wanted path is
    reached."""
    seen, queue = {"/"}, deque(["/"])
    while queue and len(seen) < limit and not wanted <= seen:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(response.content.decode(), "http://testserver" + path):
            if link not in seen and not link.startswith(NOT_FOLLOWED):
                seen.add(link)
                queue.append(link)
    return seen


def public_pages() -> dict[str, str]:
    """Path -> title of every live page a visitor may see (no view restriction)."""
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    pages = {}
    for page in Page.objects.live().public().filter(depth__gt=1).specific():
        if any(page.path.startswith(path) for path in restricted):
            continue
        url = page.get_url()
        if url:
            pages[url] = page.title
    return pages


def index_routes(client) -> set[str]:
    """The apps' own landing pages: each live routable page's routes without a parameter
    that answer an anonymous visitor with a page (a month of the calendar, the prize's
    archive, the course needs, "propose an idea"), and the login. Left out: the pages shown
    after a form is sent (route names ending in ``_sent``); the site search is a form on
    every page, checked on its own."""
    from django.urls import reverse
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    found = {reverse("account_login")}
    for page in Page.objects.live().public().specific():
        if not isinstance(page, RoutablePageMixin) or not page.url:
            continue
        for pattern in page.get_subpage_urls():
            route = str(pattern.pattern)
            if not route or "<" in route or "(" in route or pattern.name.endswith("_sent"):
                continue
            response = client.get(page.url + route)
            if response.status_code == 200 and "text/html" in response["Content-Type"]:
                found.add(page.url + route)
    return found


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_every_live_public_page_of_the_demo_is_reachable_by_links_from_the_front_page(demo, client):
    pages = public_pages()
    routes = index_routes(client)
    assert {"/frivillig/kalender/maaned/", "/frivillig/idekatalog/foreslaa/"} <= routes
    wanted = set(pages) | routes
    assert "/frivillig/kom-i-gang/" in pages
    reached = crawl(client, wanted)
    unreachable = sorted(f"{path} ({pages.get(path, 'route')})" for path in wanted - reached)
    assert not unreachable, "linked from nowhere: " + ", ".join(unreachable)
    front = client.get("/").content.decode()
    assert 'action="/soeg/"' in front
    # A front page for volunteering, not the municipality's name twice.
    assert "<title>Frivillig i Dragør – Dragør Kommune</title>" in front
    assert 'class="whats-on"' in front
