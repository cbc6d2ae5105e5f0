"""Local development: `python site/eksempel/manage.py runserver` after `seed_eksempel`."""

from .base import *

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-eksempel-0123456789abcdefghijklmnopqrstuvwxyz"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
