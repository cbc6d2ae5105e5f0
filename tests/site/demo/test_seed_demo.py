"""``manage.py seed_demo`` (the reference site's command): the one door filled, twice without
harm, an app installed later taking its placeholder's place, and a site with one app
seeding that app only."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.db import connection
from wagtail.models import Page

from frivillig_blocks.models import (
    Association,
    ContactPerson,
    Grant,
    TopicPage,
    VolunteerHubPage,
)

from ..test_settings import REPO, clean_env


@pytest.mark.django_db
def test_seed_demo_fills_the_one_door_and_can_run_twice(client):
    from django.core.management import call_command

    from frivillig_blocks.models import Idea, Initiative, Place, Theme, Topic

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    assert "e-mail: admin@dragoer.dk  password: dragoer-demo" in out.getvalue()
    assert Association.objects.count() >= 25
    assert ContactPerson.objects.count() >= 6
    assert (
        Grant.objects.count() >= 5
        and Grant.objects.filter(legal_basis=Grant.LegalBasis.SECTION_18).exists()
    )
    assert Idea.objects.count() >= 15
    assert Place.objects.count() >= 8
    assert Initiative.objects.exists()
    for code in ["boern", "unge", "voksne", "seniorer", "paa-tvaers"]:
        assert Association.objects.filter(age_groups__code=code).exists(), code
    assert Page.objects.filter(slug="frivillig").count() == 1
    assert client.get("/frivillig/").status_code == 200
    assert client.get("/frivillig/kontakt/").status_code == 200
    # A leading Æ, Ø or Å is spelt out in the address, never dropped (»Ældre Sagen Dragør«).
    first = {"æ": "ae", "ø": "oe", "å": "aa"}
    for model in (Association, Theme, Topic):
        for name, slug in model.objects.values_list("name", "slug"):
            letter = name[0].lower()
            assert slug.startswith(first.get(letter, letter)), (name, slug)
    assert Association.objects.filter(slug="aeldre-sagen-dragoer").exists()


@pytest.mark.django_db
def test_seed_demo_replaces_the_placeholder_of_an_app_installed_later(client):
    """A demo seeded before the courses app existed has a topic page at /frivillig/kurser/;
    seeding again with the app gives its own page there, and the hub's card points to it."""
    from django.apps import apps
    from django.core.management import call_command

    if not apps.is_installed("kurser"):
        pytest.skip("needs the courses app")
    call_command("seed_demo", stdout=io.StringIO())
    hub = VolunteerHubPage.objects.get()
    hub.get_children().get(slug="kurser").delete()
    hub.add_child(instance=TopicPage(title="Kurser for frivillige", slug="kurser", intro="Snart."))
    call_command("seed_demo", stdout=io.StringIO())
    section = VolunteerHubPage.objects.get().get_children().get(slug="kurser")
    assert section.specific_class.__name__ == "CourseIndexPage"
    cards = VolunteerHubPage.objects.get().cards
    assert section.pk in [card.value["page"].pk for card in cards if card.value["page"]]
    assert client.get("/frivillig/kurser/").status_code == 200


ONE_APP_DEMO = """
import django
django.setup()
from io import StringIO
from django.core.management import call_command
call_command("migrate", verbosity=0)
out = StringIO()
call_command("seed_demo", stdout=out)
from django.test import Client
from wagtail.models import Page
print(out.getvalue())
print("slugs", sorted(Page.objects.filter(depth=4).values_list("slug", flat=True)))
print("kurser", Client().get("/frivillig/kurser/").status_code)
"""


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="a site of its own on SQLite, once, in the SQLite pass"
)
def test_seed_demo_on_a_site_with_one_app_seeds_that_app_only(tmp_path):
    """The demo module of an app that is not installed is never imported (its models would
    not load); the hub gets topic pages at the other apps' slugs."""
    run = subprocess.run(
        [sys.executable, "-c", ONE_APP_DEMO],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
        env={
            **clean_env(),
            "PYTHONPATH": f"{REPO / 'site'}:{REPO}",
            "DJANGO_SETTINGS_MODULE": "dragoer.settings.minimal",
            "FRIVILLIG_ONLY_APP": "kurser",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'one-app.sqlite3'}",
        },
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Demo content is in place." in run.stdout
    assert "History for the follow-up: kurser" in run.stdout
    assert "History for the follow-up: booking" not in run.stdout
    assert "kurser 200" in run.stdout
    assert "'laan'" in run.stdout and "'kurser'" in run.stdout  # a placeholder and the app
