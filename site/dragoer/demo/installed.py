"""Which of the plugin set's apps the site runs: a demo module is seeded only if its app is
installed (importing it would otherwise load models Django does not know)."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps

#: The demo's modules in the order ``seed_demo`` runs them: the one door first (the hub the
#: others put their section pages below), the inbox last (it routes to the staff of all).
#: The follow-up's feedback has no content of its own, only history (history.py).
SEED_ORDER = [
    "frivillig_blocks",
    "booking",
    "kalender",
    "boers",
    "initiativpris",
    "kurser",
    "henvendelser",
]


def installed(app_label: str) -> bool:
    return apps.is_installed(app_label)


def demo_module(app_label: str) -> ModuleType | None:
    """``dragoer.demo.<app_label>``, or None when the app is not installed."""
    if not installed(app_label):
        return None
    return import_module(f"dragoer.demo.{app_label}")


def demo_modules() -> list[ModuleType]:
    """The demo modules of the installed apps, in ``SEED_ORDER``."""
    return [module for app in SEED_ORDER if (module := demo_module(app)) is not None]
