"""The gunicorn master builds what a process otherwise builds on its first requests before
it forks (``dragoer.warm``, ``when_ready`` in ``site/gunicorn.conf.py``): the URLconf with
Wagtail's admin, the translations, the apps' modules and the compiled templates. A worker,
the first or one recycled after ``max_requests``, starts with them (issue #22, the load
test's p99 at a restart: a new worker's first request took 2 s)."""

from __future__ import annotations

import gc
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.template import engines

REPO = Path(__file__).resolve().parents[2]


def cached_templates() -> set[str]:
    return set(engines["django"].engine.template_loaders[0].get_template_cache)


def test_every_template_of_the_apps_is_compiled_in_advance():
    from dragoer import warm

    engines["django"].engine.template_loaders[0].reset()
    assert cached_templates() == set()
    compiled = warm.compile_templates()
    ours = set()
    for app in ("frivillig_blocks", "kalender", "booking", "kurser"):
        ours |= set(warm.template_names(REPO / app / "templates"))
    assert len(ours) > 50
    assert compiled >= len(ours)
    # The cached loader holds them: the first render in a forked worker compiles nothing.
    assert ours <= cached_templates()


def test_the_gunicorn_master_compiles_them_when_ready(monkeypatch):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    conf = runpy.run_path(str(REPO / "site" / "gunicorn.conf.py"))
    assert conf["preload_app"] is True
    logged = []

    class Log:
        def info(self, message, *args):
            logged.append(message % args)

    class Server:
        log = Log()

    engines["django"].engine.template_loaders[0].reset()
    try:
        conf["when_ready"](Server())
        # What the master holds is frozen: the workers' collections never walk it.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert "frivillig_blocks/contact_page.html" in cached_templates()
    assert len(cached_templates()) > 50
    assert logged and logged[0].startswith("Built before forking: ")
    assert "templates" in logged[0] and "URL patterns" in logged[0]


# What a fresh process has loaded, before any request, with and without the warm-up.
LOADED = """
import json, sys
import django
django.setup()
if sys.argv[1] == "warm":
    from dragoer import warm
    warm.warm_up()
from django.urls import get_resolver
from frivillig_blocks import workdays
print(json.dumps({
    "modules": sorted(m for m in sys.modules if m.split(".")[0] in (
        "dragoer", "kalender", "kurser", "wagtail", "redis", "frivillig_blocks")),
    "urls populated": get_resolver()._populated,
    "holidays kept": workdays._holidays_of.cache_info().currsize,
}))
"""


def loaded(mode: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dragoer.settings.test"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "site"), str(REPO)])
    out = subprocess.run(
        [sys.executable, "-c", LOADED, mode],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_fresh_process_holds_the_urlconf_the_views_and_the_holidays_after_the_warm_up():
    cold, warm = loaded("cold"), loaded("warm")
    # Without it, the first request imports them (0.9 s of CPU for the URLconf alone).
    for module in ("dragoer.urls", "wagtail.admin.urls", "kalender.views", "kurser.views"):
        assert module not in cold["modules"], module
        assert module in warm["modules"], module
    assert not cold["urls populated"] and warm["urls populated"]
    assert cold["holidays kept"] == 0 and warm["holidays kept"] == 4
    # Neither the apps' migrations nor their tests nor their commands are imported.
    assert not [m for m in warm["modules"] if ".migrations." in m or ".management." in m]
