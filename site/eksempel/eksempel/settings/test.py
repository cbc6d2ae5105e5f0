"""tests/eksempel/: SQLite in a file (the live server's thread has its own connection),
mail to Anymail's test backend, tasks at once."""

import tempfile

from .base import *

SECRET_KEY = "test-only-not-secret-eksempel-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
MEDIA_ROOT = Path(tempfile.gettempdir()) / "eksempel-test-media"
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "eksempel-test-private"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING = {**LOGGING, "root": {"handlers": ["stdout"], "level": "WARNING"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"eksempel-test-{os.getpid()}.sqlite3")
    }
