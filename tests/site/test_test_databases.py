"""The test loop itself (tests/dbtemplate.py): each test process works on its own copy of
one migrated template, named by worker, and the template's name changes with whatever
decides what the migrations make, so a stale template is never used."""

from __future__ import annotations

import os
import sys

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page

from tests import dbtemplate


def test_each_process_has_its_own_migrated_copy_of_the_template(db, request):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = connection.settings_dict["NAME"]
    if worker:
        assert name.endswith(f"_{worker}")
    backend = dbtemplate._backend(connection)
    template, prefix = dbtemplate.template_name(
        backend, name, worker_id=worker, use_migrations=True
    )
    assert backend.exists(template), template
    assert template != name
    built = dbtemplate.run_marker(backend, prefix).read_text().split("\n")
    assert built[0] == template
    if worker and not request.config.getvalue("reuse_db"):
        # Built by one of this run's workers (the run's id is the workers' shared one).
        assert built[1] == os.environ["PYTEST_XDIST_TESTRUNUID"]
    # The copy is migrated to the last migration of every app, with the rows the data
    # migrations made (Wagtail's root page, the staff groups).
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert Page.get_first_root_node() is not None
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name="Frivilligkoordinator").exists()


@pytest.fixture
def fake_migrations(tmp_path, settings, monkeypatch):
    """frivillig_blocks' migrations read from a package of our own in tmp_path."""
    package = tmp_path / "loop_fake_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "0001_initial.py").write_text("# one\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"frivillig_blocks": "loop_fake_migrations"}
    yield package
    sys.modules.pop("loop_fake_migrations", None)


def test_the_template_key_follows_every_migration_file(fake_migrations):
    key = dbtemplate.template_key(use_migrations=True)
    assert dbtemplate.template_key(use_migrations=True) == key

    (fake_migrations / "0001_initial.py").write_text("# one, edited\n")
    edited = dbtemplate.template_key(use_migrations=True)
    (fake_migrations / "0002_more.py").write_text("# two\n")
    added = dbtemplate.template_key(use_migrations=True)

    assert len({key, edited, added}) == 3
    assert dbtemplate.template_key(use_migrations=False) not in {key, edited, added}


def test_other_settings_or_apps_get_a_template_of_their_own(monkeypatch):
    from django.apps import apps

    key, scope = dbtemplate.template_key(use_migrations=True), dbtemplate.scope_key()
    with monkeypatch.context() as patch:
        patch.setenv("DJANGO_SETTINGS_MODULE", "dragoer.settings.minimal")
        assert dbtemplate.scope_key() != scope
        assert dbtemplate.template_key(use_migrations=True) != key
    # `make matrix`: the same settings module with one app fewer (the app set).
    configs = apps.get_app_configs()
    monkeypatch.setattr(apps, "get_app_configs", lambda: list(configs)[:-1])
    assert dbtemplate.scope_key() != scope
    assert dbtemplate.template_key(use_migrations=True) != key


def test_a_long_postgresql_name_still_fits_with_its_build_name():
    backend = dbtemplate._PostgreSQL(connection)
    template = backend.name("test_" + "x" * 80, "tpl_abcdef_0123456789")
    assert len(backend.building(template)) <= 63
    assert template.endswith("_tpl_abcdef_0123456789")
