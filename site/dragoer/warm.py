"""The site's templates compiled in the gunicorn master before it forks its workers
(``site/gunicorn.conf.py``, ``when_ready``, with ``preload_app``).

Django compiles a template the first time a process renders it and keeps it (the cached
loader). A worker forked from a master that never rendered anything compiled every template
of the pages it served on its first requests; a worker recycled after ``max_requests`` did it
again, under load, which was the load test's p99 on the pages that met a restart (issue #22).
Compiled in the master, every worker, the first and every recycled one, starts with them
(and shares their memory with its siblings until it writes to it)."""

from __future__ import annotations

from pathlib import Path


def template_names(directory: Path) -> list[str]:
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".ics"}
    )


def compile_templates() -> int:
    """Compile every template the Django engine finds in its directories and its apps'
    ``templates`` directories; returns how many compiled. A file that does not compile
    on its own (a fragment with another engine's syntax) is left to its first render."""
    from django.template import TemplateSyntaxError, engines
    from django.template.backends.django import DjangoTemplates
    from django.template.utils import get_app_template_dirs

    compiled = 0
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        directories = [Path(d) for d in engine.engine.dirs]
        if engine.engine.app_dirs:
            directories += [Path(d) for d in get_app_template_dirs("templates")]
        seen: set[str] = set()
        for directory in directories:
            for name in template_names(directory):
                if name in seen:  # the first directory's wins, as for the loader
                    continue
                seen.add(name)
                try:
                    engine.get_template(name)
                except (TemplateSyntaxError, UnicodeDecodeError, LookupError):
                    continue
                compiled += 1
    return compiled
