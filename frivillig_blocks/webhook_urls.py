"""Anymail's webhook URLs, served only for the mail provider (ESP) the site is configured
for, only with the shared webhook secret, and with a malformed payload answered 400
instead of 500 (Anymail lets a JSON or MIME parse error escape). Errors after parsing, such
as an unreachable database, still give a 500 so that the ESP retries: nothing is lost.

- An ESP's webhooks answer only when the ESP is configured (:func:`configured_esps`):
  named by ``EMAIL_BACKEND`` or ``ANYMAIL_ESP``, or given credentials of its own in
  ``ANYMAIL`` (``POSTMARK_SERVER_TOKEN``, ``MAILGUN_…``). Every other ESP's URL is a 404.
  Mailgun is mounted only with its webhook signing key (``MAILGUN_WEBHOOK_SIGNING_KEY``),
  which checks each request's signature.
- Every webhook needs ``ANYMAIL["WEBHOOK_SECRET"]`` (HTTP basic auth, ``user:password``):
  without it every request is refused (403), never accepted unauthenticated as Anymail
  would; a request without the right credentials is refused with 403 and stores nothing.
  ``manage.py check --deploy`` refuses a missing or short secret (see ``checks.py``).

Mount with ``path("anymail/", include("frivillig_blocks.webhook_urls"))``."""

from __future__ import annotations

import logging
from functools import wraps

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError, AnymailWebhookValidationFailure
from anymail.utils import get_anymail_setting
from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import URLPattern

logger = logging.getLogger(__name__)

app_name = anymail_urls.app_name

MALFORMED = (
    ValueError,
    KeyError,
    TypeError,
    UnicodeError,
    AttributeError,
    IndexError,
    RecursionError,  # JSON nested deeper than the parser goes
    AnymailConfigurationError,  # another event type sent to this URL (a Postmark bounce)
)

#: Back ends that name no real ESP.
NOT_AN_ESP = {"test", "console", "base", "base_requests"}

#: Settings an ESP's webhooks cannot verify a request without (beyond the shared secret).
WEBHOOK_KEYS = {"mailgun": ("WEBHOOK_SIGNING_KEY",)}

_SUFFIXES = ("_inbound_webhook", "_tracking_webhook", "_webhook")


def esp_of_url_name(name: str) -> str:
    """``postmark_inbound_webhook`` → ``postmark``."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def webhook_secrets() -> list[str]:
    """The shared webhook secret(s) (Anymail takes one ``user:password`` or a list)."""
    value = get_anymail_setting("webhook_secret", default=None)
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _has_setting(esp: str, name: str) -> bool:
    return bool(get_anymail_setting(name.lower(), esp_name=esp, default=None))


def named_esps() -> set[str]:
    """The ESPs the site names: its mail back end, ``ANYMAIL_ESP`` and every ESP that has
    credentials of its own in ``ANYMAIL`` (or ``ANYMAIL_<ESP>_…`` settings)."""
    found = set()
    backend = str(getattr(settings, "EMAIL_BACKEND", ""))
    parts = backend.split(".")
    if len(parts) == 4 and parts[:2] == ["anymail", "backends"]:
        found.add(parts[2])
    esp = str(getattr(settings, "ANYMAIL_ESP", "") or "").strip().lower()
    if esp:
        found.add(esp)
    known = {esp_of_url_name(p.name) for p in anymail_urls.urlpatterns}
    anymail = getattr(settings, "ANYMAIL", None) or {}
    for name in known:
        prefix = name.upper() + "_"
        if any(str(k).startswith(prefix) and v for k, v in anymail.items()):
            found.add(name)
        if any(
            k.startswith("ANYMAIL_" + prefix) and getattr(settings, k, None) for k in dir(settings)
        ):
            found.add(name)
    return found - NOT_AN_ESP


def missing_webhook_keys(esp: str) -> list[str]:
    """The settings ``esp``'s webhooks need and the site has not set."""
    return [
        f"ANYMAIL['{esp.upper()}_{key}']"
        for key in WEBHOOK_KEYS.get(esp, ())
        if not _has_setting(esp, key)
    ]


def configured_esps() -> set[str]:
    """The ESPs whose webhooks are served: named by the site, with the keys they need."""
    return {esp for esp in named_esps() if not missing_webhook_keys(esp)}


def guard(view, esp: str):
    """Serve ``view`` only for a configured ESP and a site with a webhook secret; answer a
    failed authentication with 403 and a malformed payload with 400."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if esp not in configured_esps():
            raise Http404("This mail provider is not configured.")
        if not webhook_secrets():
            logger.error("webhook at %s refused: ANYMAIL_WEBHOOK_SECRET is not set", request.path)
            return HttpResponseForbidden("Webhook secret not configured")
        try:
            return view(request, *args, **kwargs)
        except AnymailWebhookValidationFailure:
            logger.warning("webhook at %s refused: failed authentication", request.path)
            return HttpResponseForbidden("Webhook authentication failed")
        except MALFORMED as exc:
            logger.warning("malformed webhook payload at %s: %s", request.path, type(exc).__name__)
            return HttpResponseBadRequest("Malformed webhook payload")

    wrapped.frivillig_webhook_esp = esp
    return wrapped


urlpatterns = [
    URLPattern(p.pattern, guard(p.callback, esp_of_url_name(p.name)), p.default_args, p.name)
    for p in anymail_urls.urlpatterns
]
