"""The built distribution: the wheel carries every app's templates, static files, compiled
catalogues and migrations, but no demo content and no municipality's name, and a fresh
virtualenv with only the wheel installed runs the minimal site (one app alone) from it, not
from this source tree."""

import re
import subprocess
import sys
import zipfile
from pathlib import PurePosixPath

import pytest
from django.db import connection

from .test_settings import REPO, clean_env

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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("frivillig_platform-*.whl")
    return built


def test_the_wheel_carries_templates_static_catalogues_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for app in APPS:
        assert f"{app}/locale/da/LC_MESSAGES/django.mo" in names, app
        assert f"{app}/migrations/0001_initial.py" in names, app
        assert any(n.startswith(f"{app}/templates/") for n in names), app
    assert "frivillig_blocks/templates/base.html" in names
    assert "frivillig_blocks/static/frivillig_blocks/css/site.css" in names
    assert not any(n.startswith(("tests/", "site/", "bench/")) for n in names)


# The reference municipality, however it is spelled (Dragør, Dragoer, DRAGOR, dragoer.dk).
REFERENCE = re.compile(r"drag(ø|oe|o)r", re.IGNORECASE)


def test_the_wheel_carries_no_demo(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    demo = [
        name
        for name in names
        if PurePosixPath(name).stem in {"demo", "history", "seed_demo"}
        or "/demo/" in name
        or name.startswith("dragoer/")
    ]
    assert demo == []


def test_nothing_in_the_wheel_names_the_reference_municipality(wheel):
    archive = zipfile.ZipFile(wheel)
    checked, offenders = 0, []
    for name in archive.namelist():
        if PurePosixPath(name).suffix not in {".py", ".html", ".txt", ".po", ".mo", ".json"}:
            continue
        checked += 1
        text = archive.read(name).decode("utf-8", errors="replace")
        offenders += [
            f"{name}:{number}: {line.strip()[:120]}"
            for number, line in enumerate(text.splitlines(), 1)
            if REFERENCE.search(line)
        ]
    assert checked > 500  # the apps' code, templates and catalogues were all read
    assert any(name.endswith("/django.po") for name in archive.namelist())
    assert offenders == []


MINIMAL_SITE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import kurser, frivillig_blocks
assert "site-packages" in kurser.__file__, kurser.__file__
from wagtail.models import Page, Site
from frivillig_blocks.models import HomePage, VolunteerHubPage
from kurser.models import CourseIndexPage
root = Page.get_first_root_node()
for page in root.get_children():
    page.delete()
home = root.add_child(instance=HomePage(title="Forside", slug="home"))
Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
hub = home.add_child(instance=VolunteerHubPage(title="Frivillig", slug="frivillig"))
hub.add_child(instance=CourseIndexPage(title="Kurser for frivillige", slug="kurser"))
from django.test import Client
response = Client().get("/frivillig/kurser/")
assert response.status_code == 200, response.status_code
assert "Kurser for frivillige" in response.content.decode()
print("served", kurser.__file__)
"""


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the wheel is installed once, in the SQLite pass"
)
def test_a_fresh_virtualenv_runs_the_minimal_site_from_the_wheel(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    run = subprocess.run(
        [str(python), "-c", MINIMAL_SITE],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # not the source tree: the apps must come from the wheel
        env={
            **clean_env(),
            # The reference site's settings only; the apps come from site-packages.
            "PYTHONPATH": str(REPO / "site"),
            "DJANGO_SETTINGS_MODULE": "dragoer.settings.minimal",
            "FRIVILLIG_ONLY_APP": "kurser",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'minimal.sqlite3'}",
        },
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "served" in run.stdout and str(venv) in run.stdout
