"""Local development: `make run`. SQLite, console mail, DEBUG on."""

from .base import *

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1"]
EMAIL_BACKEND = ESP_BACKENDS.get(ANYMAIL_ESP, "anymail.backends.console.EmailBackend")
# The demo's own volunteer address (base.py's default is a placeholder for production).
FRIVILLIG_EMAIL = os.environ.get("FRIVILLIG_EMAIL", "frivillig@dragoer.dk")
FRIVILLIG_MESSAGE_ID_DOMAIN = os.environ.get(
    "FRIVILLIG_MESSAGE_ID_DOMAIN", FRIVILLIG_EMAIL.rpartition("@")[2]
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"Dragør Kommune <{FRIVILLIG_EMAIL}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_BASE_URL = os.environ.get(
    "BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)
# Static files straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
