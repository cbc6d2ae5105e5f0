"""Every admin listing that has filters answers a search combined with each of its filters
(on the demo, as the superuser): Wagtail's database search refuses to filter on a field the
model's ``search_fields`` does not declare as a ``FilterField`` (a FilterFieldError, a 500),
so each such listing either declares them or searches with the ORM."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def filtered_listings(with_filters_only: bool = True):
    """(name, index URL, filter names) of every registered admin viewset with list filters
    (or of every one)."""
    import wagtail.admin.urls  # noqa: F401  (registers the viewsets)
    from wagtail.admin.viewsets import viewsets
    from wagtail.snippets.models import get_snippet_models

    found, queue = [], [*viewsets.viewsets, *(m.snippet_viewset for m in get_snippet_models())]
    while queue:
        viewset = queue.pop()
        queue.extend(getattr(viewset, "registerables", None) or [])
        filters = getattr(viewset, "list_filter", None)
        if not isinstance(filters, (list, tuple, dict)) or not filters:
            if with_filters_only:
                continue
            filters = []
        try:
            url = viewset.get_url_name("index")
        except (AttributeError, NotImplementedError):
            continue
        found.append((type(viewset).__name__, url, list(filters), viewset))
    return found


def first_choice(html: str, name: str) -> str | None:
    """The first non-empty value the listing's filter form offers for ``name``."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        for value in re.findall(r'<option[^>]*value="([^"]+)"', select.group(1)):
            return unescape(value)
    for value in re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]+)"', html):
        return unescape(value)
    for value in re.findall(rf'<input[^>]*value="([^"]+)"[^>]*name="{name}"', html):
        return unescape(value)
    return None


def related_pk(viewset, field: str) -> str | None:
    """A related object's primary key for a filter on a relation (what a checkbox sends)."""
    try:
        related = viewset.model._meta.get_field(field).related_model
    except Exception:
        return None
    first = related.objects.order_by("pk").first() if related is not None else None
    return str(first.pk) if first is not None else None


def test_every_filtered_admin_listing_answers_a_search_with_each_filter():
    from django.urls import NoReverseMatch, reverse

    call_command("seed_demo", stdout=io.StringIO())
    from allauth.mfa.totp.internal.auth import TOTP

    superuser = get_user_model().objects.filter(is_superuser=True).first()
    TOTP.activate(superuser, "JBSWY3DPEHPK3PXP")  # the admin asks a superuser for a second factor
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    listings = filtered_listings()
    assert len(listings) >= 10
    failures, tried = [], 0
    for name, url_name, filters, viewset in listings:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # a viewset without its own index (a group's member served elsewhere)
        page = client.get(url)
        assert page.status_code == 200, (name, url, page.status_code)
        html = page.content.decode()
        chosen = {
            field: first_choice(html, field) or related_pk(viewset, field) for field in filters
        }
        chosen = {field: value for field, value in chosen.items() if value is not None}
        # Each filter alone, then all of them together, with a search.
        for params in [*({field: value} for field, value in chosen.items()), chosen]:
            if not params:
                continue
            tried += 1
            response = client.get(url, {"q": "Dragør", **params})
            if response.status_code != 200:
                failures.append(f"{name} {url}?q=Dragør&{params}: {response.status_code}")
    print(f"{len(listings)} listings, {tried} searches with a filter")
    assert tried >= 20
    assert not failures, "\n".join(failures)


def test_a_snippet_listing_answers_a_search_with_its_relation_filters():
    """The fuzz test's find on PostgreSQL: the initiatives' listing (no search fields of its
    own) with a search and both many-to-many filters was a FilterFieldError."""
    call_command("seed_demo", stdout=io.StringIO())
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="kommunikation"))
    for path in ["initiative/", "initiative/results/", "association/", "association/results/"]:
        response = client.get(
            f"/admin/snippets/frivillig_blocks/{path}",
            {"q": "Dragør", "live": "", "age_groups": "1", "themes": "1"},
        )
        assert response.status_code == 200, (path, response.status_code)


def test_every_admin_listing_answers_a_search():
    """A viewset's own search fields that the model's index does not declare as search
    fields are searched with the ORM (Wagtail's backend refused them: "Cannot search with
    field name", a 500 on PostgreSQL for the institutions' listing)."""
    from django.urls import NoReverseMatch, reverse

    call_command("seed_demo", stdout=io.StringIO())
    from allauth.mfa.totp.internal.auth import TOTP

    superuser = get_user_model().objects.filter(is_superuser=True).first()
    TOTP.activate(superuser, "JBSWY3DPEHPK3PXP")
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    failures, tried = [], 0
    for name, url_name, _filters, _viewset in filtered_listings(with_filters_only=False):
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        for query in ("0", "Dragør", "<script>"):
            tried += 1
            response = client.get(url, {"q": query})
            if response.status_code != 200:
                failures.append(f"{name} {url}?q={query}: {response.status_code}")
    assert tried >= 60
    assert not failures, "\n".join(failures)
