"""The demo's history and the benchmark's baseline (site/dragoer/demo/history.py) cover every
figures source the site registers, and the production interface knows nothing of them."""

import datetime
from importlib import import_module

import pytest

from dragoer.demo import history
from dragoer.demo.installed import SEED_ORDER, demo_modules
from frivillig_blocks import figures


def test_every_registered_figures_source_has_a_history_and_a_baseline():
    keys = {source.key for source in figures.sources()}
    assert keys  # the reference site registers the follow-up of every app
    assert keys <= set(history.SOURCES)
    for key in keys:
        model, field = history.baseline(key)
        assert model._meta.get_field(field).get_internal_type() in {"DateTimeField", "DateField"}


def test_the_figures_interface_has_no_demo_members():
    for source in figures.sources():
        for member in ("history", "baseline_model", "baseline_date_field"):
            assert not hasattr(source, member), (source.key, member)


def test_each_installed_app_has_a_demo_module_with_seed_and_history():
    modules = demo_modules()
    assert [m.__name__.rsplit(".", 1)[1] for m in modules] == SEED_ORDER
    for module in modules:
        assert callable(module.seed), module.__name__
    for key, (module, _model, _field) in history.SOURCES.items():
        assert callable(import_module(f"dragoer.demo.{module}").history), key


@pytest.mark.django_db
def test_the_history_of_a_source_is_made_once(site_tree):
    today = datetime.date(2026, 6, 30)
    made = history.create(today=today, months=3)
    assert set(made) == {source.key for source in figures.sources()}
    assert all(count > 0 for count in made.values()), made
    assert set(history.create(today=today, months=3).values()) == {0}
