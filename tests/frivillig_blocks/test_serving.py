"""What Wagtail asks on every page served, kept per content version (frivillig_blocks.serving,
issue #22): the request's site and the page's view restrictions. Served pages skip those
queries, and a committed change (a restriction, a site, a hostname) shows on the very next
request, as a visitor sees it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from tests.conftest import requires_apps

from .. import factories

pytestmark = pytest.mark.django_db

TOPIC = "/frivillig/om/"


def committed(change):
    """``change()`` as an editor's committed save: the on-commit work waiting in the test's
    one transaction (the content version's move, for the fixtures' writes and this one)
    runs now, as it does when the admin's transaction commits."""
    result = change()
    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, callback, _robust in pending:
        callback()
    return result


def tables_read(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, " ".join(q["sql"] for q in queries.captured_queries)


def test_a_served_page_reads_neither_the_site_nor_view_restrictions(client, site_tree):
    client.get(TOPIC)  # keeps the site and the (absent) restrictions for this version
    response, sql = tables_read(client, TOPIC)
    assert response.status_code == 200
    assert "wagtailcore_site" not in sql
    assert "wagtailcore_pageviewrestriction" not in sql


def test_a_new_password_restriction_asks_for_the_password_on_the_next_request(client, site_tree):
    assert "Om at være frivillig" in client.get(TOPIC).content.decode()
    committed(
        lambda: PageViewRestriction.objects.create(
            page=site_tree.topic, restriction_type=PageViewRestriction.PASSWORD, password="x"
        ),
    )
    response = client.get(TOPIC)
    html = response.content.decode()
    assert 'name="password"' in html
    assert "<h1>Om at være frivillig</h1>" not in html


def test_a_login_restriction_above_the_page_sends_the_visitor_to_log_in(client, site_tree):
    assert client.get(TOPIC).status_code == 200
    restriction = committed(
        lambda: PageViewRestriction.objects.create(
            page=site_tree.hub, restriction_type=PageViewRestriction.LOGIN
        ),
    )
    response = client.get(TOPIC)
    assert response.status_code == 302
    assert "next=/frivillig/om/" in response["Location"]
    # The home page is above the hub: not restricted, and still served without asking.
    client.get("/")
    response, sql = tables_read(client, "/")
    assert response.status_code == 200
    assert "wagtailcore_pageviewrestriction" not in sql
    # Lifted again: the page is public on the next request.
    committed(restriction.delete)
    assert client.get(TOPIC).status_code == 200


def test_an_alias_of_a_restricted_page_is_restricted_as_its_source(client, site_tree):
    """An alias takes its source's restrictions wherever the source is: with an alias in
    the tree, Wagtail is asked."""
    statement = site_tree.statement
    committed(
        lambda: PageViewRestriction.objects.create(
            page=statement, restriction_type=PageViewRestriction.LOGIN
        ),
    )
    alias = committed(
        lambda: statement.create_alias(parent=site_tree.hub, update_slug="erklaering"),
    )
    assert Page.objects.get(pk=alias.pk).alias_of_id == statement.pk
    assert client.get("/frivillig/erklaering/").status_code == 302
    assert client.get(TOPIC).status_code == 200


def test_a_new_site_answers_its_hostname_on_the_next_request(client, site_tree):
    other = "andet.testby.test"
    # The default site answers an unknown hostname (kept for this version).
    assert "Velkommen" in client.get("/", HTTP_HOST=other).content.decode()
    root = factories.TopicPageFactory(parent=Page.get_first_root_node(), title="Andet", slug="a")
    committed(
        lambda: Site.objects.create(hostname=other, port=80, root_page=root),
    )
    html = client.get("/", HTTP_HOST=other).content.decode()
    assert "Andet" in html and "Velkommen" not in html
    assert "Velkommen" in client.get("/").content.decode()  # testserver: the default site


def test_the_home_page_reads_its_own_row_once_and_the_pages_below_it_not_at_all(client, site_tree):
    """Routing below the site's root needs only the kept row: the root's own row is read
    when the root is the page served (one query, with everything the page shows)."""
    client.get("/")
    client.get(TOPIC)
    response, sql = tables_read(client, "/")
    assert "Velkommen." in response.content.decode()
    assert sql.count('FROM "frivillig_blocks_homepage"') == 1
    response, sql = tables_read(client, TOPIC)
    assert "<h1>Om at være frivillig</h1>" in response.content.decode()
    assert "frivillig_blocks_homepage" not in sql


@requires_apps("kalender")
def test_the_pages_on_the_way_are_kept_and_an_editors_change_shows_on_the_next_request(
    client, site_tree
):
    """Routing to a section's own route (the calendar's month) passes the hub and the
    section page: their rows are kept per layout and content version (issue #22), so a
    second request reads no page row, and a title the editor publishes shows at once."""
    from tests.kalender.conftest import CalendarPageFactory

    calendar = CalendarPageFactory(parent=site_tree.hub, title="Kalender")
    month = "/frivillig/kalender/maaned/2026/6/"
    client.get(month)
    response, sql = tables_read(client, month)
    assert "<h1>Kalender: juni 2026</h1>" in response.content.decode()
    assert "wagtailcore_page" not in sql, "a page on the way was read again"

    calendar.title = "Aktivitetskalender"
    committed(lambda: calendar.save_revision().publish())
    assert "<h1>Aktivitetskalender: juni 2026</h1>" in client.get(month).content.decode()


def test_each_request_gets_its_own_copy_of_a_kept_section_page(site_tree):
    from frivillig_blocks import layout
    from frivillig_blocks.models import VolunteerHubPage

    first = layout.section_row(VolunteerHubPage, site_tree.hub.pk)
    first.title = "Ændret i én forespørgsel"
    second = layout.section_row(VolunteerHubPage, site_tree.hub.pk)
    assert second.pk == first.pk and second is not first
    assert second.title == site_tree.hub.title
    assert layout.section_row(VolunteerHubPage, 10**9) is None
