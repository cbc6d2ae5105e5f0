"""Running it as a municipality would: the anonymous page cache and its invalidation,
conditional requests, readiness, JSON logs, the deploy checks and the periodic heartbeat."""

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.test import Client
from wagtail.test.utils.form_data import nested_form_data, streamfield

from frivillig_blocks import pagecache, scheduling
from frivillig_blocks.models import TopicPage

from .test_settings import REPO, clean_env, run_python

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def page_cache(settings):
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 300
    return settings


def edit_topic(client, page, **changes):
    data = nested_form_data(
        {
            "title": changes.get("title", page.title),
            "slug": page.slug,
            "intro": changes.get("intro", page.intro),
            "body": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "social_image": "",
            "action-publish": "action-publish",
        }
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]


@TRANSACTIONAL
def test_a_publish_in_the_admin_shows_on_the_cached_page_at_the_next_request(
    page_cache, site_tree, user_factory, django_assert_num_queries
):
    visitor = Client()
    first = visitor.get("/frivillig/om/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = visitor.get("/frivillig/om/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content

    editor = Client()
    superuser = user_factory(is_superuser=True, is_staff=True)
    # A superuser enters the admin only with a second factor set up (#17).
    TOTP.activate(superuser, "JBSWY3DPEHPK3PXP")
    editor.force_login(superuser)
    topic = TopicPage.objects.get(pk=site_tree.topic.pk)
    edit_topic(editor, topic, intro="Nyt fra redaktionen: frivilligdagen er flyttet.")

    after = visitor.get("/frivillig/om/")
    assert after["X-Page-Cache"] == "miss"
    assert "Nyt fra redaktionen: frivilligdagen er flyttet." in after.content.decode()


@TRANSACTIONAL
def test_a_change_to_a_snippet_a_page_lists_retires_the_cached_page(
    page_cache, site_tree, association_factory
):
    from frivillig_blocks.models import AssociationIndexPage

    site_tree.hub.specific.add_child(
        instance=AssociationIndexPage(title="Foreninger", slug="foreninger")
    )
    visitor = Client()
    association_factory(name="Strandens Venner")
    assert "Strandens Venner" in visitor.get("/frivillig/foreninger/").content.decode()
    assert visitor.get("/frivillig/foreninger/")["X-Page-Cache"] == "hit"
    association_factory(name="Havnens Roklub")
    fresh = visitor.get("/frivillig/foreninger/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Havnens Roklub" in fresh.content.decode()


@pytest.mark.django_db
def test_cached_pages_answer_conditional_requests_with_304(page_cache, site_tree):
    visitor = Client()
    first = visitor.get("/frivillig/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified and first["Cache-Control"] == "no-cache"
    again = visitor.get("/frivillig/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    since = visitor.get("/frivillig/", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304


@pytest.mark.django_db
def test_head_gets_the_headers_of_the_cached_page_and_no_body(page_cache, site_tree):
    visitor = Client()
    page = visitor.get("/frivillig/")
    head = visitor.head("/frivillig/")
    assert head["X-Page-Cache"] == "hit" and head["ETag"] == page["ETag"]
    assert head.content == b""
    assert visitor.get("/frivillig/").content == page.content  # the stored copy keeps its body


@pytest.mark.django_db
def test_signed_in_visitors_and_pages_with_forms_are_never_served_from_the_cache(
    page_cache, site_tree, user_factory
):
    signed_in = Client()
    signed_in.force_login(user_factory())
    signed_in.get("/frivillig/")
    assert "X-Page-Cache" not in signed_in.get("/frivillig/")

    visitor = Client()
    login = visitor.get("/konto/login/")
    assert "X-Page-Cache" not in login  # personal paths are excluded
    assert visitor.get("/frivillig/")["X-Page-Cache"] == "miss"
    # The anonymous copy never carries a CSRF cookie or a session.
    assert not visitor.get("/frivillig/").cookies


@pytest.mark.django_db
def test_without_the_setting_nothing_is_cached(settings, site_tree):
    settings.FRIVILLIG_PAGE_CACHE_SECONDS = 0
    visitor = Client()
    visitor.get("/frivillig/")
    assert "X-Page-Cache" not in visitor.get("/frivillig/")


def test_writes_to_records_no_page_shows_do_not_retire_the_cache():
    from django.contrib.admin.models import LogEntry
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult
    from wagtail.models import ModelLogEntry, PageLogEntry
    from wagtail.search.models import IndexEntry

    from frivillig_blocks.models import InboundMessage, OutboundMessage, PeriodicRun

    for model in (
        Session,
        LogEntry,
        DBTaskResult,  # every task the worker runs (the heartbeat each minute)
        IndexEntry,
        ModelLogEntry,
        PageLogEntry,
        OutboundMessage,
        InboundMessage,
        PeriodicRun,
    ):
        assert not pagecache.shows_on_public_pages(model), model


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "database": "ok",
        "cache": "ok",
        "migrations": "ok",
        "worker": "not used",
        "status": "ok",
    }


@TRANSACTIONAL
def test_readyz_needs_a_worker_that_ran_the_heartbeat(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.all().delete()
    waiting = client.get("/readyz")
    assert waiting.status_code == 503
    assert waiting.json()["worker"].startswith("error: no task finished")

    ran = scheduling.run_due()
    assert any(run.task == "frivillig_blocks.tasks.heartbeat" for run in ran)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json()
    assert ready.json()["worker"] == "ok"


def test_the_heartbeat_runs_every_minute_and_old_records_are_pruned():
    periodic = {p.task: p for p in scheduling.registered()}
    heartbeat = periodic["frivillig_blocks.tasks.heartbeat"]
    assert heartbeat.minute is None and heartbeat.hour is None
    assert "frivillig_blocks.tasks.prune_operational_records" in periodic


def test_production_logs_one_json_object_per_line_with_the_request_id():
    code = (
        "import django, logging; django.setup();"
        "from django.test import Client;"
        "Client().post('/readyz', HTTP_X_REQUEST_ID='req-4711')"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="dragoer.settings.production",
        SECRET_KEY="s" * 50,
        REDIS_URL="redis://127.0.0.1:6379/15",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout + result.stderr
    record = next(line for line in lines if line.get("request_id") == "req-4711")
    assert record["level"] == "WARNING" and record["logger"] == "django.request"
    assert "readyz" in record["message"]


def test_production_without_redis_fails_the_deploy_check():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "site/manage.py", "check", "--deploy"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={
            **clean_env(),
            "DJANGO_SETTINGS_MODULE": "dragoer.settings.production",
            "SECRET_KEY": "a-production-like-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "frivillig.dragoer.dk",
        },
    )
    assert result.returncode != 0
    assert "frivillig_blocks.E002" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_media_go_to_s3_when_a_bucket_is_configured():
    result = run_python(
        "import dragoer.settings.production as s; print(s.STORAGES['default']['BACKEND'],"
        " s.STORAGES['default']['OPTIONS']['endpoint_url'])",
        SECRET_KEY="s" * 50,
        S3_BUCKET="dragoer-media",
        S3_ENDPOINT_URL="https://s3.example.net",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "frivillig_blocks.media.PublicS3Storage",
        "https://s3.example.net",
    ]
    on_disk = run_python(
        "import dragoer.settings.production as s; print(s.STORAGES['default']['BACKEND'])",
        SECRET_KEY="s" * 50,
    )
    assert on_disk.stdout.strip() == "frivillig_blocks.media.PublicFileSystemStorage"
