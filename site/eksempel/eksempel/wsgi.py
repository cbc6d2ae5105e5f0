"""WSGI entry point: `gunicorn eksempel.wsgi` with site/eksempel on the path."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eksempel.settings.base")

application = get_wsgi_application()
