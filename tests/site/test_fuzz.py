"""The fuzz campaign (#18, Done-when): hostile values to every path parameter, query
parameter and form field the site has, as anonymous, a citizen and each staff role, on
the database the suite runs on (CI runs it on SQLite and on PostgreSQL).

Where the targets come from (no hand list):
- the URL resolver (``get_resolver()``), walked recursively: every route with its
  converters, the Anymail webhooks and the calendar API included;
- the demo's Wagtail pages and each RoutablePage's sub-routes (``get_subpage_urls()``);
- a crawl of the demo as each role: links give real ids, and every HTML form on every
  page gives its fields (GET forms are the query parameters a view reads, POST forms are
  submitted with one field hostile at a time);
- the query parameters our views read (``request.GET.get("…")`` in the apps' source) and
  the API's parameters from its OpenAPI description.

It asserts that no response is a 5xx and that a refused request (4xx) wrote no row (the
row count of every table before and after). It prints the number of requests made.

Bounded: the crawl and the attack each take a deterministic sample (``FUZZ_BUDGET``
requests in all, 1000 by default, seeded), so a run takes well under two minutes per
database on two cores; set ``FUZZ_BUDGET`` higher for a deeper local run.
"""

from __future__ import annotations

import base64
import io
import os
import random
import re
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from frivillig_blocks import roles

BUDGET = int(os.environ.get("FUZZ_BUDGET", "1000"))
CRAWL_SHARE = 0.35
SEED = 18
REPO = Path(__file__).resolve().parents[2]

HOSTILE = [
    "",
    "x" * 5000,
    "²",
    "9" * 20,
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31",
    "99999999999999999999-01-01",
    "<script>alert(1)</script>",
    "' OR 1=1; DROP TABLE x;--",
    "a\r\nBcc: x@example.org",
    "a\x00b",
    "a\u200bb\u00ad",
    "\u202eevil",
    "１２",
]
HOSTILE_PATH = ["9" * 20, str(2**31), "0", "²", "<script>", "a%00b", "x" * 300]
WEBHOOK_AUTH = "Basic " + base64.b64encode(b"anymail:test-webhook-secret").decode()
DEEP_JSON = "[" * 100_000 + "]" * 100_000

# Tables a refused request may still write to: the session of the logged-in client and the
# request log of rate limits and lock-outs (counting a refusal is the point of those).
# Bookkeeping a request makes whatever it holds: the session, and Wagtail's record that an
# editor has an edit view open (its "someone else is editing" notice; made when the edit
# view renders, pruned by Wagtail), which a refused post to an edit view may leave.
NOISE_TABLES = {"django_session", "wagtailadmin_editingsession"}
NOISE_PATTERNS = ("ratelimit", "axes", "attempt", "usersessions")

# Routes that are files, not pages (static and media), log out the client, or fail on
# purpose (Wagtail's error test page, staff only).
SKIP_ROUTES = re.compile(
    r"^(static/|media/|konto/logout|admin/logout|en/konto/logout|admin/failwhale/)"
)

# 5xx a cause outside our code still gives, each with its cause (a pattern of the URL): the
# test fails on any other. Empty since frivillig_blocks/guards.py refuses the input Wagtail's
# and allauth's views cannot take (#18); keep it empty.
KNOWN_5XX: dict[str, str] = {}


class FormParser(HTMLParser):
    """The links and the forms of a page (action, method, fields with their defaults)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and a.get("name"):
            fields = self._form["fields"]
            if tag == "input":
                kind = a.get("type", "text").lower()
                if kind in ("submit", "button", "image", "reset", "file"):
                    return
                if kind in ("checkbox", "radio") and "checked" not in a:
                    fields.setdefault(a["name"], None)
                    return
                fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
            elif tag == "select":
                self._select = a["name"]
                fields.setdefault(a["name"], None)
            elif tag == "textarea":
                self._textarea = a["name"]
                fields[a["name"]] = ""
        if tag == "option" and self._form is not None and self._select:
            fields = self._form["fields"]
            if fields.get(self._select) in (None, "") or "selected" in a:
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data


def resolver_routes() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every URL pattern of the resolver as (route with {name} holes, [(name, kind)])."""
    found = []

    def walk(patterns, prefix, params):
        for p in patterns:
            pattern = p.pattern
            if isinstance(pattern, LocalePrefixPattern):
                parts = [("", [])]
            elif isinstance(pattern, RoutePattern):
                route, holes = str(pattern._route), []
                for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
                    holes.append((name, conv or "str"))
                route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
                parts = [(route, holes)]
            elif isinstance(pattern, RegexPattern):
                regex = str(pattern._regex).lstrip("^").rstrip("$").replace("\\Z", "")
                holes = [(name, "regex") for name in re.findall(r"\(\?P<(\w+)>", regex)]
                route = re.sub(r"\(\?P<(\w+)>[^()]*(?:\([^()]*\)[^()]*)*\)", r"{\1}", regex)
                if "(" in route or "[" in route or "\\" in route:
                    continue  # Wagtail's page route and the like: the page walk covers them
                parts = [(route.replace("\\.", "."), holes)]
            else:
                continue
            for route, holes in parts:
                if isinstance(p, URLResolver):
                    walk(p.url_patterns, prefix + route, params + holes)
                elif isinstance(p, URLPattern):
                    found.append(("/" + prefix + route, params + holes))

    walk(get_resolver().url_patterns, "", [])
    return found


def page_routes() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every live page of the demo, and each RoutablePage's sub-routes."""
    found = []
    for page in Page.objects.live().specific():
        url = page.get_url()
        if not url:
            continue
        found.append((url, []))
        if isinstance(page, RoutablePageMixin):
            for p in page.get_subpage_urls():
                route = str(p.pattern._route) if isinstance(p.pattern, RoutePattern) else None
                if not route:
                    continue
                holes = [(n, c or "str") for c, n in re.findall(r"<(?:(\w+):)?(\w+)>", route)]
                found.append((url + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), holes))
    return found


def query_names_in_source() -> list[str]:
    """The query parameters the apps' views read, from their source."""
    names = set()
    for app in ("frivillig_blocks", "booking", "kalender", "boers", "initiativpris", "kurser"):
        for path in (REPO / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text("utf-8")
            names.update(re.findall(r"GET\.(?:get|getlist)\(\s*[\"'](\w+)[\"']", text))
            names.update(re.findall(r"GET\[\s*[\"'](\w+)[\"']\s*\]", text))
    return sorted(names)


def table_counts() -> tuple:
    tables = sorted(
        t
        for t in connection.introspection.table_names()
        if t not in NOISE_TABLES and not any(n in t for n in NOISE_PATTERNS)
    )
    q = connection.ops.quote_name
    # Table names from the database's own catalogue, quoted: no input reaches this SQL.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {q(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def role_clients() -> dict[str, Client]:
    User = get_user_model()
    clients = {"anonymous": Client(raise_request_exception=False)}
    names = {
        "citizen": "borger",
        roles.KOMMUNIKATOERER: "kommunikation",
        roles.FRIVILLIGKOORDINATOR: "koordinator",
        roles.INSTITUTIONSLEDERE: "institutionsleder",
        roles.KURSUSANSVARLIGE: "kursus",
    }
    from wagtail.users.models import UserProfile

    for role, username in names.items():
        client = Client(raise_request_exception=False)
        user = User.objects.get(username=username)
        # Wagtail makes a staff user's profile on their first request anywhere; made here, so
        # a refused request that "writes" it is not mistaken for one that stored input.
        UserProfile.get_for_user(user)
        client.force_login(user)
        clients[role] = client
    return clients


def fill(route: str, holes, value_for) -> str:
    return route.format(**{name: value_for(name, kind) for name, kind in holes})


def local(url: str, base: str) -> str | None:
    parts = urlsplit(urljoin("http://testserver" + base, url))
    if parts.netloc not in ("testserver", "") or parts.scheme not in ("http", "https", ""):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


@pytest.mark.django_db(transaction=False)
def test_no_hostile_request_gets_a_5xx_or_writes_when_refused():
    call_command("seed_demo", stdout=io.StringIO())
    rng = random.Random(SEED)
    clients = role_clients()
    crawl_budget = int(BUDGET * CRAWL_SHARE)
    made = 0
    failures: list[str] = []
    writes: list[str] = []
    known: list[str] = []
    counts = table_counts()
    started = time.monotonic()

    def send(role, method, url, data=None, content_type=None):
        nonlocal made, counts
        made += 1
        client = clients[role]
        if method == "get":
            response = client.get(url)
        elif content_type:
            # The webhooks' shared secret, so that the payload reaches the parser.
            response = client.post(
                url, data=data, content_type=content_type, headers={"authorization": WEBHOOK_AUTH}
            )
        else:
            response = client.post(url, data=data or {})
        if response.status_code >= 500 and any(re.search(k, url) for k in KNOWN_5XX):
            known.append(f"{response.status_code} {role} {method.upper()} {url}")
        elif response.status_code >= 500:
            failures.append(f"{response.status_code} {role} {method.upper()} {url} {data!r:.200}")
        after = table_counts()
        if 400 <= response.status_code < 500 and after != counts:
            changed = [
                f"{t} {a}->{b}" for (t, a), (_, b) in zip(counts, after, strict=True) if a != b
            ]
            writes.append(f"{response.status_code} {role} {method.upper()} {url}: {changed}")
        counts = after
        return response

    # Targets: the resolver's routes and the pages' routes, with real values where the
    # crawl finds them (links), else small ids.
    routes = [
        r for r in resolver_routes() + page_routes() if not SKIP_ROUTES.match(r[0].lstrip("/"))
    ]
    benign = {"int": "1", "str": "x", "slug": "x", "path": "x", "regex": "x", "uuid": "x"}

    # Phase 1: the crawl, as every role, from every route with benign values.
    queue: list[tuple[str, str]] = []
    for role in clients:
        for route, holes in routes:
            queue.append((role, fill(route, holes, lambda _n, kind: benign.get(kind, "1"))))
    rng.shuffle(queue)
    seen: set[tuple[str, str]] = set()
    forms: list[tuple[str, str, dict]] = []
    real_urls: list[tuple[str, str]] = []
    crawled = 0
    while queue and crawled < crawl_budget:
        role, url = queue.pop()
        key = (role, re.sub(r"\d+", "N", url.split("?")[0]))
        if key in seen:
            continue
        seen.add(key)
        crawled += 1
        response = send(role, "get", url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        real_urls.append((role, url))
        parser = FormParser()
        parser.feed(response.content.decode("utf-8", "replace"))
        for form in parser.forms:
            action = local(form["action"] or url, url)
            if action:
                forms.append((role, action, form))
        for link in parser.links:
            target = local(link, url)
            if target and not SKIP_ROUTES.match(target.lstrip("/")):
                queue.insert(rng.randrange(len(queue) + 1), (role, target))

    # Phase 2: the attack.
    attacks: dict[str, list[tuple]] = defaultdict(list)
    query_names = query_names_in_source()
    openapi = clients["anonymous"].get("/api/kalender/openapi.json")
    if openapi.status_code == 200:
        for path, operations in openapi.json()["paths"].items():
            for operation in operations.values():
                names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
                for name in names:
                    for value in HOSTILE:
                        attacks["api" + path].append(("anonymous", "get", path, {name: value}))
                holes = [(n, "int") for n in re.findall(r"{(\w+)}", path)]
                for value in HOSTILE_PATH:
                    attacks["api" + path].append(
                        ("anonymous", "get", fill(path, holes, lambda *_, v=value: v), None)
                    )
    for route, holes in routes:
        for name, _kind in holes:
            for value in HOSTILE_PATH:
                url = fill(
                    route, holes, lambda n, k, v=value, m=name: v if n == m else benign.get(k, "1")
                )
                for role in clients:
                    attacks[route].append((role, "get", url, None))
                if "anymail" in route or "inbound" in route:
                    attacks[route].append(("anonymous", "post", url, DEEP_JSON))
        if "anymail" in route:
            attacks[route].append(("anonymous", "post", route, DEEP_JSON))
    for role, url in real_urls:
        base = url.split("?")[0]
        for name in query_names:
            for value in HOSTILE:
                attacks["q" + base].append(
                    (role, "get", base + "?" + urlencode({name: value}), None)
                )
    for role, action, form in forms:
        fields = {k: (v if v is not None else "") for k, v in form["fields"].items()}
        base, _, query = action.partition("?")
        fields_from_action = dict(parse_qsl(query))
        for name in fields:
            for value in HOSTILE:
                data = {**fields_from_action, **fields, name: value}
                if form["method"] == "post":
                    attacks["f" + base].append((role, "post", action, data))
                else:
                    attacks["f" + base].append((role, "get", base + "?" + urlencode(data), None))
    # Round-robin over the endpoints, each endpoint's own list shuffled: every endpoint is
    # hit before any is hit twice.
    for items in attacks.values():
        rng.shuffle(items)
    order = sorted(attacks)
    rng.shuffle(order)
    plan = []
    while len(plan) < BUDGET - made and any(attacks[k] for k in order):
        for k in order:
            if attacks[k] and len(plan) < BUDGET - made:
                plan.append(attacks[k].pop())
    for role, method, url, data in plan:
        if isinstance(data, str):
            send(role, method, url, data=data, content_type="application/json")
        else:
            send(role, method, url, data=data)

    elapsed = time.monotonic() - started
    print(
        f"\nfuzz: {made} requests ({crawled} crawled, {len(plan)} hostile) on "
        f"{connection.vendor} in {elapsed:.0f} s; {len(routes)} routes, {len(forms)} forms, "
        f"{len(attacks)} endpoints; {len(known)} known 5xx still open"
    )
    assert not failures, f"{len(failures)} responses >= 500:\n" + "\n".join(failures[:60])
    assert not writes, f"{len(writes)} refused requests wrote rows:\n" + "\n".join(writes[:60])
