"""The site's configuration: production checks, settings from the environment, headers,
languages, error pages, health."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.views.defaults import server_error

REPO = Path(__file__).resolve().parents[2]


def clean_env() -> dict:
    """The environment of a fresh process: none of the test run's own switches."""
    drop = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    environment = clean_env()
    environment.update({"PYTHONPATH": f"{REPO / 'site'}:{REPO}", **env})
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "site/manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={
            **clean_env(),
            "DJANGO_SETTINGS_MODULE": "dragoer.settings.production",
            "SECRET_KEY": "a-production-like-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "frivillig.dragoer.dk",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "ANYMAIL_ESP": "postmark",
            "ANYMAIL_WEBHOOK_SECRET": "anymail:" + "w" * 24,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def check_deploy(**env) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` with production settings in a fresh process."""
    return subprocess.run(
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
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "ANYMAIL_ESP": "postmark",
            "ANYMAIL_WEBHOOK_SECRET": "",
            **env,
        },
    )


@pytest.mark.parametrize(
    "secret", ["", "anymail:s3cret", "ingen-kolon-" + "x" * 30, ":" + "x" * 30]
)
def test_check_deploy_errors_without_a_strong_webhook_secret(secret):
    result = check_deploy(ANYMAIL_WEBHOOK_SECRET=secret)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "ANYMAIL_WEBHOOK_SECRET" in result.stderr
    assert "ERRORS" in result.stderr


def test_check_deploy_errors_when_mailgun_cannot_check_its_webhooks():
    result = check_deploy(
        ANYMAIL_ESP="mailgun",
        ANYMAIL_WEBHOOK_SECRET="anymail:" + "w" * 24,
        MAILGUN_API_KEY="key-sending",
        MAILGUN_SENDER_DOMAIN="mg.dragoer.dk",
    )
    assert result.returncode != 0
    assert "MAILGUN_WEBHOOK_SIGNING_KEY" in result.stderr
    signed = check_deploy(
        ANYMAIL_ESP="mailgun",
        ANYMAIL_WEBHOOK_SECRET="anymail:" + "w" * 24,
        MAILGUN_API_KEY="key-sending",
        MAILGUN_SENDER_DOMAIN="mg.dragoer.dk",
        MAILGUN_WEBHOOK_SIGNING_KEY="key-signing",
    )
    assert "frivillig_blocks.E03" not in signed.stdout + signed.stderr


def test_check_deploy_errors_when_anymails_own_urls_are_mounted(tmp_path):
    """A site that mounts anymail.urls directly serves every ESP's webhook unguarded."""
    (tmp_path / "open_urls.py").write_text(
        "from django.urls import include, path\n"
        "from dragoer.urls import urlpatterns as site\n"
        "urlpatterns = [path('open/', include('anymail.urls')), *site]\n"
    )
    code = (
        "import django; django.setup();"
        "from django.conf import settings; settings.ROOT_URLCONF = 'open_urls';"
        "from frivillig_blocks.checks import check_inbound_webhooks;"
        "print([e.id for e in check_inbound_webhooks()])"
    )
    result = run_python(
        code,
        PYTHONPATH=f"{tmp_path}:{REPO / 'site'}:{REPO}",
        DJANGO_SETTINGS_MODULE="dragoer.settings.test",
    )
    assert "frivillig_blocks.E033" in result.stdout, result.stderr


def test_compose_requires_the_webhook_secret():
    import yaml

    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    secret = compose["services"]["web"]["environment"]["ANYMAIL_WEBHOOK_SECRET"]
    assert secret.startswith("${ANYMAIL_WEBHOOK_SECRET:?")


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import dragoer.settings.production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_come_from_the_environment():
    code = (
        "import json, dragoer.settings.production as s;"
        "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'name': s.DATABASES['default']['NAME'],"
        "'cache': s.CACHES['default']['BACKEND'], 'loc': s.CACHES['default']['LOCATION'],"
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'email': s.EMAIL_BACKEND, 'from': s.DEFAULT_FROM_EMAIL,"
        "'frivillig': s.FRIVILLIG_EMAIL, 'secret': s.ANYMAIL['WEBHOOK_SECRET'],"
        "'mailgun': s.ANYMAIL['MAILGUN_WEBHOOK_SIGNING_KEY'], 'media': str(s.MEDIA_ROOT), 'tz': s.TIME_ZONE,"
        "'lang': s.LANGUAGE_CODE}))"
    )
    result = run_python(
        code,
        SECRET_KEY="s" * 50,
        DATABASE_URL="postgres://frivillig:hemmeligt@db.internal:5432/frivillig",
        REDIS_URL="redis://cache.internal:6379/1",
        DEBUG="false",
        ALLOWED_HOSTS="frivillig.dragoer.dk,www.dragoer.dk",
        ANYMAIL_ESP="postmark",
        DEFAULT_FROM_EMAIL="Dragør Kommune <frivillig@dragoer.dk>",
        FRIVILLIG_EMAIL="frivillig@dragoer.dk",
        ANYMAIL_WEBHOOK_SECRET="anymail:s3cret",
        MAILGUN_WEBHOOK_SIGNING_KEY="key-abc",
        MEDIA_ROOT="/srv/media",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "db": "django.db.backends.postgresql",
        "name": "frivillig",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "loc": "redis://cache.internal:6379/1",
        "debug": False,
        "hosts": ["frivillig.dragoer.dk", "www.dragoer.dk"],
        "email": "anymail.backends.postmark.EmailBackend",
        "from": "Dragør Kommune <frivillig@dragoer.dk>",
        "frivillig": "frivillig@dragoer.dk",
        "secret": "anymail:s3cret",
        "mailgun": "key-abc",
        "media": "/srv/media",
        "tz": "Europe/Copenhagen",
        "lang": "da",
    }


def test_without_redis_the_cache_is_local_memory():
    result = run_python("import dragoer.settings.dev as s; print(s.CACHES['default']['BACKEND'])")
    assert result.stdout.strip().endswith("LocMemCache")


@pytest.mark.django_db
def test_migrations_are_committed():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


@pytest.mark.django_db
def test_public_pages_have_a_strict_policy_and_the_admin_its_own(client, site_tree):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    admin_csp = client.get("/admin/login/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin_csp


@pytest.mark.django_db
def test_danish_is_the_default_and_english_is_offered(client, site_tree):
    danish = client.get("/frivillig/").content.decode()
    assert '<html lang="da">' in danish
    assert "Gå til indhold" in danish
    assert 'href="/en/frivillig/" hreflang="en"' in danish
    english = client.get("/en/frivillig/").content.decode()
    assert '<html lang="en">' in english
    assert "Skip to content" in english
    assert 'href="/frivillig/" hreflang="da"' in english


@pytest.mark.django_db
def test_danish_404(client, site_tree):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in response.content.decode()


@pytest.mark.django_db
def test_danish_500():
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert "Der skete en fejl" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["X-Request-ID"]


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code, r.json()['database'])"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="dragoer.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path}/missing-dir/db.sqlite3",
    )
    assert result.stdout.strip().splitlines()[-1] == "503 unreachable", result.stderr


@pytest.mark.django_db
def test_a_well_formed_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>\r\nX: y")["X-Request-ID"]
    assert replaced != "<script>\r\nX: y" and len(replaced) == 32


def test_openid_connect_is_configuration_only():
    code = "import json, dragoer.settings.dev as s;print(json.dumps(s.SOCIALACCOUNT_PROVIDERS))"
    assert json.loads(run_python(code).stdout.strip().splitlines()[-1]) == {}
    configured = run_python(
        code,
        OIDC_CLIENT_ID="dragoer",
        OIDC_CLIENT_SECRET="s",
        OIDC_SERVER_URL="https://broker.example/oidc",
    )
    app = json.loads(configured.stdout.strip().splitlines()[-1])["openid_connect"]["APPS"][0]
    assert app["provider_id"] == "mitid" and app["client_id"] == "dragoer"
    assert app["settings"]["server_url"] == "https://broker.example/oidc"


@pytest.mark.django_db
def test_a_request_too_large_gets_a_danish_400(client, site_tree, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/konto/login/", {"login": "y" * 5000})
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke læses" in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_danish_403(site_tree):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/konto/login/", {"login": "a@b.dk"})
    assert response.status_code == 403
    assert "Formularen var udløbet" in response.content.decode()
