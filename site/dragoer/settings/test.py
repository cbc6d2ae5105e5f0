"""Tests: pytest-django. SQLite unless DATABASE_URL points at PostgreSQL (CI runs both)."""

import hashlib
import tempfile

from .base import *

DEBUG = False
SECRET_KEY = "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
DEFAULT_FROM_EMAIL = "Frivillig Dragør <frivillig@dragoer.test>"
FRIVILLIG_EMAIL = "frivillig@dragoer.test"
FRIVILLIG_MESSAGE_ID_DOMAIN = "dragoer.test"
ANYMAIL = {**ANYMAIL, "WEBHOOK_SECRET": "anymail:test-webhook-secret"}
# Mail comes in through Postmark (and Mailgun where a test sets its signing key); the
# webhooks of every other ESP answer 404 (frivillig_blocks.webhook_urls).
ANYMAIL_ESP = "postmark"
# Tasks run at once, inside the request or test that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(
    os.environ.get("TEST_MEDIA_ROOT", Path(tempfile.gettempdir()) / "frivillig-test-media")
)
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get(
        "TEST_PRIVATE_MEDIA_ROOT", Path(tempfile.gettempdir()) / "frivillig-test-private"
    )
)
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {**LOGGING, "root": {"handlers": ["stdout"], "level": "WARNING"}}
# Static files straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the live server's thread then has a connection of its own, as a
    # real server would, instead of sharing the test's. One name per checkout (pytest-xdist
    # adds the worker, _gw0), so --reuse-db finds the files again; the migrated template the
    # workers copy is named from it too (tests/dbtemplate.py).
    _checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"frivillig-test-{_checkout}.sqlite3")
    }
