"""The shared test harness: factories as fixtures, the Wagtail site tree, a live server
with one Chromium per test worker (Playwright), axe, and mail helpers."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from django.core import mail
from wagtail.models import Page, Site

from frivillig_blocks.models import MunicipalitySettings

from . import factories
from .browser import kit

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The second site's smoke tests run on their own, against the installed wheel (`make
# eksempel`, with tests/eksempel/pytest.ini), never in this suite.
collect_ignore = ["eksempel"]


def requires_apps(*names: str):
    """Skip a test (or, as ``pytestmark``, a module) when a sibling app it exercises is not
    installed: `make matrix` runs each app alone with dragoer.settings.minimal."""
    from django.apps import apps

    missing = [name for name in names if not apps.is_installed(name)]
    return pytest.mark.skipif(
        bool(missing), reason=f"needs {', '.join(missing)} installed (an app-alone run)"
    )


@dataclass
class SiteTree:
    site: Site
    home: Page
    hub: Page
    statement: Page
    topic: Page


def build_site_tree() -> SiteTree:
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    home = factories.HomePageFactory(parent=root, intro="<p>Velkommen.</p>")
    # The site answers at the tests' public address (WAGTAILADMIN_BASE_URL), as the demo's
    # does at BASE_URL: page links and other links share one host, never "localhost".
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page, site.hostname, site.port = home, "testserver", 80
    site.save()
    hub = factories.VolunteerHubPageFactory(parent=home, intro="<p>Alt om at være frivillig.</p>")
    statement = factories.TopicPageFactory(
        parent=home,
        title="Tilgængelighedserklæring",
        slug="tilgaengelighedserklaering",
        body=[("paragraph", "<p>Sitet lever op til WCAG 2.1 AA.</p>")],
    )
    topic = factories.TopicPageFactory(parent=hub, title="Om at være frivillig", slug="om")
    settings_ = MunicipalitySettings.for_site(site)
    settings_.name = "Testby Kommune"
    settings_.address = "Rådhusvej 1, 9999 Testby"
    settings_.phone = "11 22 33 44"
    settings_.email = "frivillig@testby.test"
    settings_.accessibility_statement = statement
    settings_.save()
    return SiteTree(site=site, home=home, hub=hub, statement=statement, topic=topic)


@pytest.fixture
def site_tree(db) -> SiteTree:
    return build_site_tree()


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def user_factory(db):
    return factories.UserFactory


@pytest.fixture
def association_factory(db):
    return factories.AssociationFactory


@pytest.fixture
def membership_factory(db):
    return factories.MembershipFactory


@pytest.fixture
def anymail_backend(settings):
    """Send through Anymail's test backend (pytest-django forces the plain in-memory one)."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    return mail.outbox


# --- Browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test worker, reused by every browser test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = kit.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's test databases, with the migrations run once per test run: each
    worker copies a migrated template (tests/dbtemplate.py) instead of migrating its own.

    Playwright's sync API runs tests inside a greenlet with a context of its own, where
    Django's connection handler (asgiref Local) can hand out a new connection object that
    lacks the serialized migration data. Keep that data on the wrapper class so every
    connection object of the test database finds it for serialized rollback."""
    import uuid

    from django.db import connections
    from django.test.utils import teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from . import dbtemplate

    if not django_db_use_migrations:
        _disable_migrations()
    workerinput = getattr(request.config, "workerinput", {})
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        old_config = dbtemplate.setup_databases(
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            # xdist gives every worker of one run the same id; alone, the process is the run.
            run_id=workerinput.get("testrunuid") or uuid.uuid4().hex,
            worker_id=workerinput.get("workerid"),
            reuse=django_db_keepdb and not django_db_createdb,
            use_migrations=django_db_use_migrations,
            verbosity=verbosity,
        )
    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents

    yield

    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(old_config, verbosity=verbosity)
            except Exception as exc:
                request.node.warn(
                    pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}")
                )


def pytest_collection_modifyitems(items):
    """A test on the live server commits for real: mark it transactional with serialized
    rollback, so the rows the data migrations made (Wagtail's root page, the staff groups)
    are there again for the next test."""
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def django_db_serialized_rollback() -> bool:
    """Every transactional test (live server, racing connections, real processes) puts back
    the rows the data migrations made when it ends. Without it, the flush after such a test
    lets post_migrate recreate content types, and the next test's serialized rollback would
    insert them twice (PostgreSQL refuses)."""
    return True


@pytest.fixture
def live_site(live_server):
    """The live server with the site tree (see pytest_collection_modifyitems)."""
    tree = build_site_tree()
    return live_server, tree


@pytest.fixture
def page(browser, live_server):
    yield from kit.open_page(browser, live_server.url)


@pytest.fixture
def axe():
    """``axe(page)`` fails the test on any WCAG 2.1 A/AA violation of the page."""
    return kit.axe_checker()


def code_from_mail(message) -> str:
    match = re.search(r"^\s*([A-Z0-9]{3,8}(?:-[A-Z0-9]{3,8})*)\s*$", message.body, re.MULTILINE)
    assert match, f"no code in mail body:\n{message.body}"
    return match.group(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a rolled-back test sends no signal that would
    retire what it cached (layout, rate limits)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
