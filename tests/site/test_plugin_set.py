"""The plugin set: what another municipality installs names no one else."""

import re

import pytest
from django.core.checks import run_checks

from .test_settings import REPO

APPS = [
    "frivillig_blocks",
    "booking",
    "kalender",
    "boers",
    "initiativpris",
    "kurser",
    "henvendelser",
]
# Demo content and history may name Dragør; the code and the templates may not.
ALLOWED = re.compile(
    r"(/migrations/|/locale/|/demo\.py$|/history\.py$|/management/commands/seed_demo\.py$)"
)


def test_no_app_names_the_reference_municipality():
    offenders = []
    for app in APPS:
        for path in (REPO / app).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt", ".css", ".js"}:
                continue
            relative = str(path.relative_to(REPO))
            if ALLOWED.search("/" + relative):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"drag(ø|oe)r", line, re.IGNORECASE):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("FRIVILLIG_EMAIL", "ikke-en-adresse", "frivillig_blocks.E003"),
        ("FRIVILLIG_PAGE_CACHE_SECONDS", "300", "frivillig_blocks.E004"),
        ("FRIVILLIG_READYZ_WORKER_MINUTES", 0, "frivillig_blocks.E005"),
        ("FRIVILLIG_PAGE_CACHE_EXCLUDE", ["admin/"], "frivillig_blocks.E006"),
        ("HENVENDELSER_RETENTION_DAYS", -1, "henvendelser.E004"),
    ],
)
def test_a_wrong_setting_is_refused_at_start_up_with_its_name(settings, name, value, error):
    setattr(settings, name, value)
    found = {message.id: message.msg for message in run_checks()}
    assert error in found
    assert name in found[error]


def test_the_shared_settings_have_defaults():
    from frivillig_blocks.conf import DEFAULTS

    assert run_checks() == [] or all(not m.is_serious() for m in run_checks())
    assert DEFAULTS["FRIVILLIG_EMAIL"] == "frivillig@example.org"


def visible_words(template: str) -> list[str]:
    """Words a visitor would read that no gettext tag wraps (a heuristic: tags, variables,
    comments, scripts and translated blocks removed; CSS classes in body_class ignored)."""
    t = re.sub(r"\{%\s*block body_class\s*%\}.*?\{%\s*endblock\s*%\}", " ", template, flags=re.S)
    t = re.sub(r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}", " ", t, flags=re.S)
    t = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", " ", t, flags=re.S)
    for pattern in (r"\{#.*?#\}", r"\{%.*?%\}", r"\{\{.*?\}\}", r"<!--.*?-->"):
        t = re.sub(pattern, " ", t, flags=re.S)
    t = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", t, flags=re.S)
    t = re.sub(r"<[^>]*>", " ", t, flags=re.S)
    t = re.sub(r"&[a-z]+;|&#\d+;", " ", t)
    return [w for w in re.findall(r"[A-Za-zÆØÅæøå]{2,}", t) if w not in {"kr"}]


def test_no_template_has_text_outside_gettext():
    offenders = {}
    for app in APPS:
        for path in (REPO / app / "templates").rglob("*.html"):
            words = visible_words(path.read_text(encoding="utf-8"))
            if words:
                offenders[str(path.relative_to(REPO))] = words[:6]
    assert offenders == {}


def test_templates_are_namespaced_per_app():
    shared = {
        "base.html",
        "400.html",
        "403.html",
        "403_csrf.html",
        "404.html",
        "429.html",
        "500.html",
    }
    for app in APPS:
        root = REPO / app / "templates"
        for path in root.rglob("*.html"):
            relative = path.relative_to(root)
            if app == "frivillig_blocks" and (
                str(relative) in shared or relative.parts[0] in {"includes", "allauth"}
            ):
                continue  # the overridable layout every app extends, and allauth's layout
            assert relative.parts[0] in {app, "wagtailadmin"}, f"{app}: {relative}"
