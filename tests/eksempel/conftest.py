"""Eksempel Kommune's smoke tests: the site seeded by its own demo command, Django's test
client, and the shared browser harness (tests/browser/kit.py, loaded by its path: the
repository itself is not importable here)."""

from __future__ import annotations

import importlib.util
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "eksempel-test-password"
# The reference municipality, in any spelling: nothing Eksempel shows or sends may name it.
OTHER_MUNICIPALITY = re.compile(r"drag(ø|oe|o)r", re.IGNORECASE)


def _load_kit():
    spec = importlib.util.spec_from_file_location("browser_kit", REPO / "tests/browser/kit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


kit = _load_kit()


def seed() -> None:
    call_command("seed_eksempel", admin_password=PASSWORD, stdout=io.StringIO())


@pytest.fixture
def seeded(db):
    seed()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def django_db_serialized_rollback() -> bool:
    """A live-server test commits for real: put back what the migrations made."""
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Playwright's greenlet can get a new connection object without the serialized
    migration data; keep that data on the class (as tests/conftest.py does)."""
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


def pytest_collection_modifyitems(items):
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = kit.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    yield from kit.open_page(browser, live_server.url)


@pytest.fixture
def axe():
    return kit.axe_checker()
