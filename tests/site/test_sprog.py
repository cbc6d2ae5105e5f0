"""One voice in Danish (docs/sprog.md): the forbidden variants are absent from our
catalogues, our templates and the demo's content, and our Danish for allauth's and Wagtail's
texts wins over theirs on the pages citizens and staff see."""

from __future__ import annotations

import re

import polib
import pytest
from django.utils import translation

from frivillig_blocks import third_party_texts

from .test_plugin_set import APPS
from .test_settings import REPO

#: (pattern, what docs/sprog.md says instead): checked in every Danish text.
DANISH_RULES = [
    (re.compile(r"\((valgfri|frivillig|frivilligt)\)"), "(valgfrit)"),
    (re.compile(r"[Ff]rivillig-\s*børs"), "frivilligbørsen, one word"),
    (re.compile(r"\b[Kk]ategori"), "tema: the one subject list"),
    (re.compile(r"\b(per|pr\.|via) e-?mail\b", re.I), "på e-mail"),
    (re.compile(r"(?<![-\w])[Mm]ailadresse|\b[Ee]mailadresse|\b[Ee]mail-adresse"), "e-mailadresse"),
    (re.compile(r"[Hh]årde? konflikt|[Bb]løde? konflikt"), "what it means: »Lokalet er optaget …«"),
    (re.compile(r"dannes ud fra"), "plain words, no system words"),
    (re.compile(r"succesfuldt|med success|speciel kode"), "plain Danish"),
    (re.compile(r"\bSubmit\b"), "a Danish verb"),
]
#: Quotation marks: »…« only (msgstr and Danish content; English msgids keep “…”).
QUOTES = (re.compile(r"[“”„]"), "»…«")
TAG = re.compile(r"<[^>]*>")
STRAIGHT_QUOTES = (re.compile(r'"[^"]+"'), "»…«")


def catalogue(app: str) -> polib.POFile:
    return polib.pofile(str(REPO / app / "locale" / "da" / "LC_MESSAGES" / "django.po"))


def translations(app: str):
    """Every translation of the app's catalogues: its Python and template texts (django.po)
    and, where it has one, its JavaScript texts (djangojs.po: the admin's, in frivillig_blocks)."""
    folder = REPO / app / "locale" / "da" / "LC_MESSAGES"
    entries = [entry for po in sorted(folder.glob("*.po")) for entry in polib.pofile(str(po))]
    for entry in entries:
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                yield entry.msgid, text


def breaches(text: str, rules) -> list[str]:
    return [
        f"{match.group(0)!r} (skriv: {say})" for rule, say in rules for match in rule.finditer(text)
    ]


@pytest.mark.parametrize("app", APPS)
def test_our_danish_follows_the_style_guide(app):
    found = []
    for msgid, text in translations(app):
        outside_tags = TAG.sub(" ", text)
        problems = breaches(text, [*DANISH_RULES, QUOTES]) + breaches(
            outside_tags, [STRAIGHT_QUOTES]
        )
        found += [f"{msgid[:60]!r}: {problem}" for problem in problems]
    assert not found, "\n".join(found)


def danish_sources():
    """Our templates (their Danish literals, if any) and the demo's Danish content."""
    for app in [*APPS, "templates"]:
        yield from (REPO / app).rglob("*.html")
        yield from (REPO / app).rglob("*.txt")
    yield from (REPO / "site" / "dragoer" / "demo").rglob("*.py")


def test_templates_and_the_demo_follow_the_style_guide():
    found = []
    for path in danish_sources():
        if "static" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        rules = DANISH_RULES + ([QUOTES] if path.suffix == ".py" else [])
        for number, line in enumerate(text.splitlines(), 1):
            found += [f"{path.relative_to(REPO)}:{number}: {p}" for p in breaches(line, rules)]
    assert not found, "\n".join(found)


def test_the_rules_catch_what_they_forbid():
    """The checks above cannot pass by matching nothing."""
    bad = [
        "Telefon (frivilligt)",
        "Frivillig-børsen",
        "Vi sender en bekræftelse per e-mail.",
        "Din mailadresse",
        "Hård konflikt",
        "Loggede succesfuldt ind",
        "Vælg en kategori",
    ]
    assert all(breaches(text, DANISH_RULES) for text in bad)
    assert breaches("Dit opslag “Gåtur”", [QUOTES])
    assert not breaches(
        "Telefon (valgfrit), frivilligbørsen, på e-mail, din e-mailadresse", DANISH_RULES
    )


@pytest.mark.parametrize("msgid", [*third_party_texts.ALLAUTH, *third_party_texts.WAGTAIL])
def test_our_danish_wins_over_the_libraries(msgid):
    ours = catalogue("frivillig_blocks").find(msgid)
    assert ours is not None and ours.msgstr, f"{msgid!r} has no translation of ours"
    with translation.override("da"):
        assert translation.gettext(msgid) == ours.msgstr


@pytest.mark.django_db
def test_the_login_page_speaks_our_danish(client):
    html = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Send mig en kode på e-mail" in html
    assert "speciel" not in html and "Email" not in TAG.sub(" ", html).replace("E-mail", "")
    html = client.get("/konto/login/code/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Vi sender dig en kode på e-mail" in html


@pytest.mark.django_db
def test_the_password_pages_say_adgangskode_and_e_mail(client):
    for path in ["/konto/password/reset/", "/konto/password/reset/done/"]:
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="da").content.decode()
        main = TAG.sub(" ", html.split("<main", 1)[1].split("</main>", 1)[0])
        assert "Nulstil adgangskode" in main
        assert "password" not in main.lower() and "venligst" not in main
        assert "email" not in main.lower().replace("e-mail", "")


@pytest.mark.django_db
def test_the_page_editors_workflow_button_speaks_danish():
    """Wagtail names its default workflow after the group ("Moderators approval"); the
    migration names it in Danish, so the editor's button reads »Send til godkendelse«."""
    from wagtail.models import Task, Workflow

    workflow = Workflow.objects.get()
    assert workflow.name == "godkendelse"
    assert list(Task.objects.values_list("name", flat=True)) == ["moderatorernes godkendelse"]
    with translation.override("da"):
        button = translation.gettext("Submit to %(workflow_name)s") % {
            "workflow_name": workflow.name
        }
    assert button == "Send til godkendelse"
