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
    "opfoelgning",
]
# The demo lives in the reference site (site/dragoer/demo/); nothing in an app may name
# Dragør, not its migrations, not its catalogues.


def test_no_app_names_the_reference_municipality():
    offenders = []
    for app in APPS:
        for path in (REPO / app).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt", ".css", ".js", ".po"}:
                continue
            relative = str(path.relative_to(REPO))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"drag(ø|oe|o)r", line, re.IGNORECASE):
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


def test_the_shared_settings_have_defaults(settings):
    from frivillig_blocks.conf import app_settings

    assert run_checks() == [] or all(not m.is_serious() for m in run_checks())
    del settings.FRIVILLIG_EMAIL
    del settings.FRIVILLIG_MESSAGE_ID_DOMAIN
    assert app_settings.EMAIL == "frivillig@example.org"
    assert app_settings.MESSAGE_ID_DOMAIN == "example.org"
    assert not hasattr(settings, "FRIVILLIG_EMAIL")  # read, never written


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


def test_the_shipped_brand_and_head_show_the_municipalitys_name_and_icon(client, site_tree):
    html = client.get("/").content.decode()
    assert '<a class="site-header__brand" href="/">Testby Kommune</a>' in html
    assert "/static/frivillig_blocks/favicon.svg" in html


def test_a_site_puts_its_logo_and_stylesheet_in_through_two_templates(
    client, site_tree, settings, tmp_path
):
    """A site's own templates/includes/brand.html and site_head.html replace the shipped
    ones on every page (site/eksempel does this)."""
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "brand.html").write_text(
        '<a class="site-header__brand" href="/"><img src="/static/logo.svg" alt="">'
        "{{ municipality.name }}</a>",
        encoding="utf-8",
    )
    (tmp_path / "includes" / "site_head.html").write_text(
        '<link rel="stylesheet" href="/static/colours.css">', encoding="utf-8"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    for url in ("/", "/frivillig/", "/tilgaengelighedserklaering/"):
        html = client.get(url).content.decode()
        assert '<img src="/static/logo.svg" alt="">Testby Kommune</a>' in html, url
        assert '<link rel="stylesheet" href="/static/colours.css">' in html, url
        assert "frivillig_blocks/favicon.svg" not in html, url
        # After the shared stylesheet, so the site's custom properties win.
        assert html.index("frivillig_blocks/css/site.css") < html.index("colours.css"), url
