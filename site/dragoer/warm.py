"""What a process builds on its first requests, built in the gunicorn master before it
forks its workers (``site/gunicorn.conf.py``, ``when_ready``, with ``preload_app``): the
URLconf with Wagtail's admin, the translations, the modules of the site's apps, the
holidays and the compiled templates (``warm_up``). None of it opens a connection to the
database or the cache, so nothing is shared across the fork.

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


def load_urls() -> int:
    """Import the site's URLconf and build its resolver's lookup tables; returns how many
    URL patterns the root holds. Django imports the URLconf on the first request a process
    serves, and with it Wagtail's admin, every app's hooks and viewsets: 0.9 s of CPU
    measured on an idle machine, about 2 s on a loaded one, which every newly forked worker
    spent on its first request (the load test's p99 of /healthz and the feed, issue #22)."""
    from django.conf import settings
    from django.conf.urls.i18n import is_language_prefix_patterns_used
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - builds the lookup tables of every include
    is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    return len(resolver.url_patterns)


def load_translations() -> int:
    """Load the message catalogues of every language the site offers (each merges every
    installed app's catalogue, on first use per process); returns how many."""
    from django.conf import settings
    from django.utils.translation import trans_real

    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
    return len(settings.LANGUAGES)


#: Parts of an app's package that no request imports.
NOT_SERVED = {"migrations", "tests", "management", "conftest"}


def import_modules(root: Path | None = None) -> int:
    """Import every module of the installed apps whose code is this project's (under
    ``root``, the repository; not an installed package), but their migrations, tests and
    commands: a view module, a feed or a form is imported by the first request that needs
    it (the calendar's views, the holidays and the Redis client: 150 ms of the month
    page's first request in a new worker). Returns how many modules were imported; one
    that fails to import is left to the request that needs it, which shows its error."""
    from django.apps import apps
    from django.conf import settings

    root = (root or Path(settings.BASE_DIR).parent).resolve()
    imported = 0
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(root) or "site-packages" in path.parts:
            continue
        imported += _import_package(config.name, path)
    # The cache backends' client libraries (Redis's), imported by their first use; the
    # client connects only when used, so nothing is shared across the fork.
    from django.core.cache import caches

    for alias in settings.CACHES:
        getattr(caches[alias], "_cache", None)
    return imported


def load_holidays(today=None) -> int:
    """This year's and next year's holidays in each language the site offers (the calendar
    marks them; the inbox counts working days): the ``holidays`` package builds a country's
    year on first use, kept per process (``frivillig_blocks.workdays``)."""
    from django.conf import settings
    from django.utils import timezone, translation

    from frivillig_blocks import workdays

    year = (today or timezone.localdate()).year
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for shown in (year, year + 1):
                workdays.holidays_of_year(shown)
    return 2 * len(settings.LANGUAGES)


def _import_package(name: str, path: Path) -> int:
    """Import the modules of the package ``name`` at ``path`` and of its subpackages, but
    the parts no request imports (not even their ``__init__``)."""
    import importlib
    import pkgutil

    imported = 0
    for module in pkgutil.iter_modules([str(path)]):
        if module.name in NOT_SERVED:
            continue
        full = f"{name}.{module.name}"
        try:
            importlib.import_module(full)
        except Exception:  # noqa: S112 - its first request shows the error
            continue
        imported += 1
        if module.ispkg:
            imported += _import_package(full, path / module.name)
    return imported


def warm_up() -> dict[str, int]:
    """Everything a process otherwise builds on its first requests, built once: the
    URLconf, the translations, the modules its views import and the templates."""
    return {
        "URL patterns": load_urls(),
        "languages": load_translations(),
        "modules": import_modules(),
        "years of holidays": load_holidays(),
        "templates": compile_templates(),
    }


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
        engine.engine.template_context_processors  # noqa: B018 - imports them
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
