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


@pytest.mark.django_db
def test_the_report_reads_both_periods_at_once_and_gives_the_figures_of_each(
    site_tree, django_assert_max_num_queries
):
    """``compute`` asks every source for the period and the year before in one go (one
    statement per table and breakdown for both): the figures are those each period gives on
    its own, with every source's history behind them, in fewer queries than two passes."""
    today = datetime.date(2026, 6, 30)
    history.create(today=today, months=24)
    period = figures.Period.last_twelve_months(today)
    with django_assert_max_num_queries(40):
        report = figures.compute(period)
    assert [s.key for s in report.sections] == [s.key for s in figures.sources()]
    for source, section in zip(figures.sources(), report.sections, strict=True):
        alone = source.figures(period, figures.Filters())
        before = {f.key: f for f in source.figures(period.year_before(), figures.Filters())}
        assert [c.figure for c in section.comparisons] == alone, source.key
        assert [c.previous for c in section.comparisons] == [before[f.key] for f in alone]
        assert any(f.value for f in alone) and any(f.value for f in before.values()), source.key
    # A period longer than a year overlaps the year before: each is then read on its own.
    long = figures.Period(today - datetime.timedelta(days=500), today)
    assert not figures.disjoint((long, long.year_before()))
    report = figures.compute(long)
    for source, section in zip(figures.sources(), report.sections, strict=True):
        before = source.figures(long.year_before(), figures.Filters())
        assert [c.figure for c in section.comparisons] == source.figures(long, figures.Filters())
        assert [c.previous for c in section.comparisons] == before, source.key
