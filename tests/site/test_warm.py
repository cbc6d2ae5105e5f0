"""The gunicorn master compiles the site's templates before it forks (``dragoer.warm``,
``when_ready`` in ``site/gunicorn.conf.py``): a worker, the first or one recycled after
``max_requests``, starts with them (issue #22, the load test's p99 at a restart)."""

from __future__ import annotations

import runpy
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
    conf["when_ready"](Server())
    assert "frivillig_blocks/contact_page.html" in cached_templates()
    assert len(cached_templates()) > 50
    assert logged and logged[0].startswith("Compiled ")
