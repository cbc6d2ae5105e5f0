"""One accessor for every app's settings: the site's value when set, the table's default
otherwise, read at each access and never written into django.conf.settings."""

import pytest
from django.test import override_settings

from frivillig_blocks.appconf import AppSettings

table = AppSettings("EKSEMPEL_", {"DAYS": 7, "DOMAIN": lambda s: f"{s.DAYS}.example.org"})


def test_the_default_applies_when_the_site_sets_nothing(settings):
    assert table.DAYS == 7
    assert table.DOMAIN == "7.example.org"
    assert not hasattr(settings, "EKSEMPEL_DAYS")
    assert not table.is_set("DAYS")


def test_the_sites_value_is_read_at_each_access():
    with override_settings(EKSEMPEL_DAYS=30):
        assert table.DAYS == 30
        assert table.DOMAIN == "30.example.org"
        assert table.is_set("DAYS")
    assert table.DAYS == 7


def test_a_name_outside_the_table_is_refused():
    with pytest.raises(AttributeError, match="EKSEMPEL_WEEKS"):
        table.WEEKS  # noqa: B018
    with pytest.raises(AttributeError):
        table.setting_name("WEEKS")
    assert table.setting_name("DAYS") == "EKSEMPEL_DAYS"


def test_a_prefix_is_upper_case_with_an_underscore():
    with pytest.raises(ValueError):
        AppSettings("eksempel", {})
