"""Anymail's webhook URLs, each wrapped so that a malformed payload gets a 400 instead of
a 500 (Anymail lets a JSON or MIME parse error escape). Errors after parsing, such as an
unreachable database, still give a 500 so that the ESP retries: nothing is lost.

Mount with ``path("anymail/", include("frivillig_blocks.webhook_urls"))``."""

import logging
from functools import wraps

from anymail import urls as anymail_urls
from django.http import HttpResponseBadRequest
from django.urls import URLPattern

logger = logging.getLogger(__name__)

app_name = anymail_urls.app_name

MALFORMED = (ValueError, KeyError, TypeError, UnicodeError, AttributeError, IndexError)


def refuse_malformed(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except MALFORMED as exc:
            logger.warning("malformed webhook payload at %s: %s", request.path, type(exc).__name__)
            return HttpResponseBadRequest("Malformed webhook payload")

    return wrapped


urlpatterns = [
    URLPattern(p.pattern, refuse_malformed(p.callback), p.default_args, p.name)
    for p in anymail_urls.urlpatterns
]
