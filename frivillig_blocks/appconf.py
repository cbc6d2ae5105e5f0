"""One way for every app to read its settings: a table of prefixed defaults and one accessor.

Each app's ``conf.py`` builds one ``AppSettings``::

    app_settings = AppSettings(
        "KURSER_",
        {
            "OFFER_HOURS": 48,  # how long an offered seat waits for an answer
        },
    )

and reads ``app_settings.OFFER_HOURS``: the site's ``KURSER_OFFER_HOURS`` when it sets one,
the table's default otherwise. The value is read from ``django.conf.settings`` at each access,
so ``override_settings`` in a test (and a changed setting in a running shell) is seen at
once; nothing is ever written into ``django.conf.settings``. A default may be a callable
taking the ``AppSettings``, for a setting derived from another one (the base's Message-ID
domain follows its e-mail address).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings


class AppSettings:
    """The settings of one app: ``prefix`` + each name of ``defaults``."""

    def __init__(self, prefix: str, defaults: Mapping[str, Any]):
        if not prefix.endswith("_") or prefix.upper() != prefix:
            raise ValueError(f"A settings prefix is upper case and ends with '_', not {prefix!r}.")
        self.prefix = prefix
        self.defaults = dict(defaults)

    def setting_name(self, name: str) -> str:
        """The name a site sets in its settings module, e.g. ``"KURSER_OFFER_HOURS"``."""
        if name not in self.defaults:
            raise AttributeError(f"{self.prefix}{name} is not a setting of this app.")
        return self.prefix + name

    def is_set(self, name: str) -> bool:
        """Whether the site sets ``name`` itself (the default does not apply)."""
        return hasattr(settings, self.setting_name(name))

    def default(self, name: str) -> Any:
        value = self.defaults[name]
        return value(self) if callable(value) else value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self.__dict__.get("defaults", {}):
            raise AttributeError(
                f"{self.__dict__.get('prefix', '')}{name} is not a setting of this app."
            )
        full = self.prefix + name
        if hasattr(settings, full):
            return getattr(settings, full)
        return self.default(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.defaults)

    def __repr__(self) -> str:
        return f"AppSettings({self.prefix!r}, {sorted(self.defaults)!r})"
