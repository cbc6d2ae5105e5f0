"""Issue #20, item 5: searches that find nothing reach the follow-up report as "Søgninger
uden resultat", only once three different visitors sent them in a month, never with an
e-mail address, a phone or a CPR number, and with a link for an editor to Wagtail's
promoted search results. The searches go through the registered SEARCH_MISSES hook, as the
search engine calls it, and the report is read through the real admin view."""

from __future__ import annotations

import datetime as dt
import io
import re
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail import hooks

from frivillig_blocks import roles
from frivillig_blocks.hooks import SEARCH_MISSES
from frivillig_blocks.tasks import expire_personal_data
from opfoelgning.misses import rules
from opfoelgning.models import PendingSearchMiss, SearchMiss
from tests.races import ON_POSTGRES, parallel

from ..conftest import requires_apps
from ..factories import UserFactory
from ..personal_data_scan import personal_data_left

pytestmark = pytest.mark.django_db
SessionStore = import_module(django_settings.SESSION_ENGINE).SessionStore


def search(query: str, *, address: str = "192.0.2.1", session_key: str | None = None):
    """One search that found nothing, reported as the engine reports it."""
    request = RequestFactory().get("/soeg/", {"q": query}, REMOTE_ADDR=address)
    if session_key is not None:
        request.session = SessionStore(session_key=session_key)
    for fn in hooks.get_hooks(SEARCH_MISSES):
        fn(request, query)


def from_visitors(query: str, n: int) -> None:
    for i in range(n):
        search(query, address=f"192.0.2.{i + 1}")


@pytest.fixture
def coordinator(db):
    return UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])


def shown(client, user) -> dict[str, int]:
    """The report's "Søgninger uden resultat" as the user sees it: search -> count."""
    client.force_login(user)
    response = client.get(reverse("frivillig_report:index"))
    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(
        r'<section[^>]*aria-labelledby="section-search-misses".*?</section>', html, re.S
    )
    assert section, "the report has no section for searches without results"
    rows = re.findall(
        r'<tr data-search-miss>\s*<th scope="row">(.*?)</th>\s*<td>(\d+)</td>', section.group(0)
    )
    return {query: int(count) for query, count in rows}


# -- three different visitors ---------------------------------------------------------------


def test_two_visitors_are_not_enough(client, coordinator):
    from_visitors("seniordans", 2)
    assert shown(client, coordinator) == {}
    assert not SearchMiss.objects.exists()
    assert PendingSearchMiss.objects.count() == 2


def test_the_third_different_visitor_brings_the_search_into_the_report(client, coordinator):
    from_visitors("seniordans", 3)
    assert shown(client, coordinator) == {"seniordans": 3}
    # Kept: the digests are gone, only the count stays; each later search adds one.
    assert not PendingSearchMiss.objects.exists()
    search("seniordans", address="192.0.2.1")
    search("Seniordans", address="198.51.100.7")
    assert shown(client, coordinator) == {"seniordans": 5}
    assert not PendingSearchMiss.objects.exists()


def test_the_same_visitor_three_times_is_one_visitor(client, coordinator):
    for _ in range(3):
        search("seniordans", address="192.0.2.1")
    assert shown(client, coordinator) == {}
    assert PendingSearchMiss.objects.count() == 1


def test_visitors_with_a_session_are_told_apart_by_it(client, coordinator):
    """Three people behind one address (the library's network), each with a session."""
    for _ in range(3):
        store = SessionStore()
        store.create()
        search("lokaleleje", address="192.0.2.1", session_key=store.session_key)
    assert shown(client, coordinator) == {"lokaleleje": 3}


def test_a_made_up_session_cookie_counts_as_the_address(client, coordinator):
    for i in range(3):
        search("lokaleleje", address="192.0.2.1", session_key=f"madeup{i:026d}")
    assert shown(client, coordinator) == {}
    assert PendingSearchMiss.objects.count() == 1


def test_the_report_lists_the_most_frequent_first_and_at_most_25(client, coordinator):
    from_visitors("pulje til udstyr", 4)
    from_visitors("frivilig", 6)
    for i in range(26):
        from_visitors(f"ord{i:02d}", 3)
    listed = shown(client, coordinator)
    assert len(listed) == rules.TOP == 25
    assert list(listed)[:2] == ["frivilig", "pulje til udstyr"]
    assert list(listed.values())[:2] == [6, 4]


def test_a_search_is_escaped_in_the_report(client, coordinator):
    from_visitors("<script>alert(1)</script>", 3)
    client.force_login(coordinator)
    html = client.get(reverse("frivillig_report:index")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_the_report_counts_the_months_its_period_touches(client, coordinator):
    from_visitors("kajak", 3)
    SearchMiss.objects.update(period=dt.date(2020, 1, 1))
    assert shown(client, coordinator) == {}  # the default period: the last twelve months
    client.force_login(coordinator)
    html = client.get(
        reverse("frivillig_report:index"), {"fra": "2020-01-15", "til": "2020-03-31"}
    ).content.decode()
    assert '<th scope="row">kajak</th>' in html


def test_the_council_pdf_lists_them(client, coordinator):
    from_visitors("seniordans", 3)
    client.force_login(coordinator)
    response = client.get(reverse("frivillig_report:export", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert re.search(r"seniordans\s+3", text)


# -- no personal data -----------------------------------------------------------------------

PERSONAL = [
    "anna.hansen@example.org",
    "kontakt anna.hansen@gmail.com om lokaler",
    "12345678",
    "ring 12 34 56 78",
    "+45 12345678",
    "tlf +4512345678 kajak",
    "1234 5678 roklub",
    "0045 12 34 56 78",
    "cpr 010190-1234",
    "0101901234 ansøgning",
    "010190 1234",
]


@pytest.mark.parametrize("query", PERSONAL)
def test_an_address_a_phone_or_a_cpr_number_is_never_stored(client, coordinator, query):
    from_visitors(query, 4)
    assert not PendingSearchMiss.objects.exists()
    assert not SearchMiss.objects.exists()
    assert shown(client, coordinator) == {}
    assert personal_data_left("opfoelgning", "anna.hansen", "12345678", "5678", "1234") == []


@pytest.mark.parametrize("query", ["2024", "+45", "?!", "12-34", "...", "", "   ", "lokale\x00"])
def test_a_search_of_digits_and_punctuation_only_is_not_stored(query):
    from_visitors(query, 3)
    assert not PendingSearchMiss.objects.exists() and not SearchMiss.objects.exists()


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("lokale 2026", True),  # a year is not a number of a person
        ("bus 350s", True),
        ("§ 18 midler", True),
        ("kursus 1234567", True),  # seven digits: no phone
        ("frivillig@", True),  # no address without both sides
        ("a@b", False),
        ("20 30 40 50", False),
        ("20.30.40.50", False),
        ("20-30-40-50", False),
        ("01.01.90-1234", False),
    ],
)
def test_what_counts_as_personal_data(query, kept):
    assert rules.keepable(rules.normalise(query)) is kept


def test_the_digest_is_keyed_per_month_and_holds_no_address():
    november, december = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
    digest = rules.visitor_digest("address:192.0.2.1", november)
    assert digest == rules.visitor_digest("address:192.0.2.1", november)
    assert digest != rules.visitor_digest("address:192.0.2.1", december)
    assert digest != rules.visitor_digest("address:192.0.2.2", november)
    assert "192" not in digest and len(digest) == 64


def test_nothing_but_the_digest_is_stored_of_the_visitor():
    store = SessionStore()
    store.create()
    search("seniordans", address="203.0.113.9", session_key=store.session_key)
    assert personal_data_left("opfoelgning", "203.0.113.9", store.session_key) == []


# -- retention ------------------------------------------------------------------------------


def test_the_nightly_task_deletes_the_pending_rows_of_past_months(client, coordinator):
    from_visitors("seniordans", 2)
    from_visitors("kajak", 3)  # kept: no visitor left to delete
    PendingSearchMiss.objects.update(period=dt.date(2026, 1, 1))
    SearchMiss.objects.update(period=dt.date(2026, 1, 1))
    from_visitors("roklub", 2)  # this month: waits for a third visitor
    result = expire_personal_data.enqueue()
    assert result.return_value["opfoelgning.search_misses"] == 2
    assert list(PendingSearchMiss.objects.values_list("query", flat=True)) == ["roklub"] * 2
    assert list(SearchMiss.objects.values_list("query", "count")) == [("kajak", 3)]
    # A third visitor now starts afresh in the new month.
    search("seniordans", address="192.0.2.99")
    assert PendingSearchMiss.objects.filter(query="seniordans").count() == 1


def test_the_register_declares_the_pending_digests():
    from frivillig_blocks import personal_data

    [row] = [r for r in personal_data.register_table() if r["key"] == "opfoelgning.search_misses"]
    assert "GDPR art." in row["legal_basis"]


# -- who sees it, and the editor's way to a promoted result -------------------------------------


@requires_apps("wagtail.contrib.search_promotions")
def test_the_editors_link_opens_the_promoted_results_add_view(client, coordinator):
    from_visitors("seniordans", 3)
    client.force_login(coordinator)
    html = client.get(reverse("frivillig_report:index")).content.decode()
    row = re.search(r"<tr data-search-miss>.*?</tr>", html, re.S).group(0)
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*aria-label="([^"]+)"', row)
    assert link, row
    assert link.group(1) == reverse("wagtailsearchpromotions:add")
    assert "seniordans" in link.group(2)
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert 'name="query_string"' in response.content.decode()


def test_no_link_for_a_reader_who_may_not_promote(client, db):
    reader = UserFactory(username="laeser")
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_followup_report"),
    )
    from_visitors("seniordans", 3)
    client.force_login(reader)
    html = client.get(reverse("frivillig_report:index")).content.decode()
    assert '<th scope="row">seniordans</th>' in html
    assert "searchpromotions" not in html


@pytest.mark.parametrize("group", [None, roles.INSTITUTIONSLEDERE])
def test_a_user_who_is_not_staff_does_not_see_the_report(client, db, group):
    from_visitors("seniordans", 3)
    client.force_login(UserFactory(groups=[group] if group else []))
    response = client.get(reverse("frivillig_report:index"))
    assert response.status_code in (302, 403)
    assert "seniordans" not in response.content.decode()
    client.logout()
    response = client.get(reverse("frivillig_report:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# -- concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_visitors_at_once_are_counted_once_each():
    parallel(8, lambda i: search("seniordans", address=f"192.0.2.{i + 1}"))
    assert list(SearchMiss.objects.values_list("query", "count")) == [("seniordans", 8)]
    assert not PendingSearchMiss.objects.exists()
    parallel(8, lambda i: search("seniordans", address="192.0.2.1"))
    assert SearchMiss.objects.get().count == 16


def test_the_month_is_the_danish_calendar_month():
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 December in Dragør
    assert rules.month_of(timezone.localdate(late)) == dt.date(2026, 12, 1)


# -- end to end, through the site search (once the engine calls the hook) -------------------


@pytest.mark.parametrize("cache_seconds", [0, 300], ids=["no-page-cache", "page-cache"])
def test_three_visitors_searching_the_site_bring_a_miss_into_the_report(
    client, settings, site_tree, coordinator, cache_seconds
):
    """GET /soeg/?q=… from three clients (three addresses). With the page cache on, as in
    production, a search that found nothing must not be served from the cache: the second
    and third visitor would never reach the hook."""
    pytest.importorskip("frivillig_blocks.search.engine")
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = cache_seconds
    for i in range(3):
        response = Client(REMOTE_ADDR=f"192.0.2.{i + 1}").get("/soeg/", {"q": "  Zzqq  XXYY "})
        assert response.status_code == 200
    assert shown(client, coordinator) == {"zzqq xxyy": 3}
