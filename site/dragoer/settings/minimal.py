"""One app of the plugin set alone: Wagtail, the shared base `frivillig_blocks` and the app
named by FRIVILLIG_ONLY_APP (none: the shared base alone). `make matrix` runs each app's own
tests with it, proving that each installs, migrates from zero and works with no sibling.

    FRIVILLIG_ONLY_APP=kurser pytest --ds=dragoer.settings.minimal tests/kurser
"""

from django.core.exceptions import ImproperlyConfigured

from .test import *

PLATFORM_APPS = [
    "booking",
    "kalender",
    "boers",
    "initiativpris",
    "kurser",
    "henvendelser",
    "opfoelgning",
]
ONLY_APP = os.environ.get("FRIVILLIG_ONLY_APP", "")
if ONLY_APP and ONLY_APP not in PLATFORM_APPS:
    raise ImproperlyConfigured(
        f"FRIVILLIG_ONLY_APP must be one of {PLATFORM_APPS}, not {ONLY_APP!r}"
    )

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in PLATFORM_APPS or app == ONLY_APP]
if ONLY_APP != "kalender":
    # django-scheduler is the calendar's engine; nothing else needs it.
    INSTALLED_APPS.remove("schedule")
