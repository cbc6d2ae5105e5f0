"""System checks of the shared base."""

from django.core import checks


@checks.register()
def check_schedules(app_configs=None, **kwargs):
    from .scheduling import ScheduleError, registered

    try:
        registered()
    except (ScheduleError, KeyError, ValueError) as exc:
        return [
            checks.Error(f"A periodic task's schedule is wrong: {exc}", id="frivillig_blocks.E001")
        ]
    return []


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Two web processes must share sessions, rate limits and the page cache: a cache in
    process memory would let each keep its own."""
    from django.conf import settings

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if "locmem" in backend or "dummy" in backend:
        return [
            checks.Error(
                "The default cache lives in process memory, so rate limits and cached pages "
                "differ between web processes.",
                hint="Set REDIS_URL (for example redis://127.0.0.1:6379/0).",
                id="frivillig_blocks.E002",
            )
        ]
    return []


def _non_negative_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@checks.register()
def check_settings(app_configs=None, **kwargs):
    """The shared base's own settings (see conf.py), refused with a clear message."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from .conf import app_settings

    errors = []
    try:
        validate_email(app_settings.EMAIL)
    except ValidationError:
        errors.append(
            checks.Error(
                f"FRIVILLIG_EMAIL must be an e-mail address, not {app_settings.EMAIL!r}.",
                id="frivillig_blocks.E003",
            )
        )
    if not _non_negative_int(app_settings.PAGE_CACHE_SECONDS):
        errors.append(
            checks.Error(
                "FRIVILLIG_PAGE_CACHE_SECONDS must be a whole number of seconds, 0 or more.",
                id="frivillig_blocks.E004",
            )
        )
    minutes = app_settings.READYZ_WORKER_MINUTES
    if not _non_negative_int(minutes) or minutes < 1:
        errors.append(
            checks.Error(
                "FRIVILLIG_READYZ_WORKER_MINUTES must be a whole number of minutes, 1 or more.",
                id="frivillig_blocks.E005",
            )
        )
    exclude = app_settings.PAGE_CACHE_EXCLUDE
    if not isinstance(exclude, list | tuple) or not all(
        isinstance(p, str) and p.startswith("/") for p in exclude
    ):
        errors.append(
            checks.Error(
                "FRIVILLIG_PAGE_CACHE_EXCLUDE must be a list of paths starting with '/'.",
                id="frivillig_blocks.E006",
            )
        )
    return errors


MIN_WEBHOOK_PASSWORD = 16


def _webhook_secret_errors() -> list:
    from anymail.utils import get_anymail_setting

    value = get_anymail_setting("webhook_secret", default=None)
    values = [value] if isinstance(value, str) else list(value or [])
    hint = (
        "Set ANYMAIL_WEBHOOK_SECRET (ANYMAIL['WEBHOOK_SECRET']) to 'user:password' with a "
        f"random password of at least {MIN_WEBHOOK_PASSWORD} characters, and give the ESP "
        "the webhook URL with it (https://user:password@…/anymail/…/inbound/)."
    )
    if not any(isinstance(v, str) and v for v in values):
        return [
            checks.Error(
                "ANYMAIL_WEBHOOK_SECRET is not set: the mail provider's webhooks would accept "
                "mail from anyone.",
                hint=hint,
                id="frivillig_blocks.E030",
            )
        ]
    for secret in values:
        user, colon, password = str(secret).partition(":")
        if not colon or not user or len(password) < MIN_WEBHOOK_PASSWORD:
            return [
                checks.Error(
                    "ANYMAIL_WEBHOOK_SECRET is too weak: it must be 'user:password' with a "
                    f"password of at least {MIN_WEBHOOK_PASSWORD} characters.",
                    hint=hint,
                    id="frivillig_blocks.E031",
                )
            ]
    return []


def _mounted_webhooks():
    """(url name, ESP, served by our guard) for every Anymail webhook in the URL conf."""
    from anymail.webhooks.base import AnymailCoreWebhookView
    from django.urls import URLPattern, URLResolver, get_resolver

    from .webhook_urls import esp_of_url_name

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                callback = entry.callback
                view_class = getattr(callback, "view_class", None)
                if view_class and issubclass(view_class, AnymailCoreWebhookView):
                    esp = getattr(callback, "frivillig_webhook_esp", None)
                    yield entry.name or "", esp or esp_of_url_name(entry.name or ""), bool(esp)

    return list(walk(get_resolver().url_patterns))


@checks.register(checks.Tags.security, deploy=True)
def check_inbound_webhooks(app_configs=None, **kwargs):
    """Production takes mail in only through authenticated webhooks: a webhook secret that
    is set and strong, and no webhook of an ESP the site is not configured for."""
    from .webhook_urls import configured_esps, missing_webhook_keys, named_esps

    errors = _webhook_secret_errors()
    configured = configured_esps()
    for esp in sorted(named_esps()):
        missing = missing_webhook_keys(esp)
        if missing:
            errors.append(
                checks.Error(
                    f"The {esp} webhooks cannot check where a request comes from: "
                    f"{', '.join(missing)} is not set (ANYMAIL_WEBHOOK_SECRET alone is not "
                    "enough for it).",
                    hint=f"Set {', '.join(missing)} from the ESP's control panel.",
                    id="frivillig_blocks.E032",
                )
            )
    unguarded = sorted(
        {
            esp
            for _name, esp, guarded in _mounted_webhooks()
            if not guarded and esp not in configured
        }
    )
    if unguarded:
        errors.append(
            checks.Error(
                "Webhooks of mail providers the site is not configured for are mounted: "
                f"{', '.join(unguarded)}. They would take mail in without the checks of "
                "ANYMAIL_WEBHOOK_SECRET and the ESP's own signature.",
                hint="Mount frivillig_blocks.webhook_urls instead of anymail.urls.",
                id="frivillig_blocks.E033",
            )
        )
    return errors


@checks.register(deploy=True)
def check_media_served(app_configs=None, **kwargs):
    """Uploaded images must be served (by this site, a proxy or the bucket), and private
    files must not live where public media are served from (see media.py)."""
    from pathlib import Path

    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, storages
    from django.urls import Resolver404, resolve

    from .media import media_serving, private_storage, serve_public

    errors = []
    public = storages["default"]
    if isinstance(public, FileSystemStorage):
        serving = media_serving()
        served = serving == "proxy"
        if serving == "app":
            try:
                served = (
                    resolve(f"{settings.MEDIA_URL}original_images/check.jpg").func is serve_public
                )
            except Resolver404:
                served = False
        if not served:
            errors.append(
                checks.Error(
                    f"Uploaded images are stored on disk but nothing serves {settings.MEDIA_URL} "
                    f"(FRIVILLIG_MEDIA_SERVING is {serving!r}): every image would be a 404.",
                    hint=(
                        "Set MEDIA_SERVING=app and include frivillig_blocks.media."
                        "media_urlpatterns() in the URLconf, MEDIA_SERVING=proxy when a proxy "
                        "serves the public folders, or S3_BUCKET."
                    ),
                    id="frivillig_blocks.E040",
                )
            )
        private = private_storage()
        if isinstance(private, FileSystemStorage):
            media_root = Path(public.location).resolve()
            private_root = Path(private.location).resolve()
            if private_root == media_root or media_root in private_root.parents:
                errors.append(
                    checks.Error(
                        f"The private files ({private_root}) lie inside MEDIA_ROOT "
                        f"({media_root}), where a proxy for public media could publish them.",
                        hint="Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT.",
                        id="frivillig_blocks.E041",
                    )
                )
    return errors


@checks.register()
def check_retention_settings(app_configs=None, **kwargs):
    """The retention periods of personal data (conf.RETENTION_SETTINGS): whole days, 1 or
    more (0 would delete what was just stored)."""
    from .conf import RETENTION_SETTINGS, app_settings

    return [
        checks.Error(
            f"{app_settings.setting_name(name)} must be a whole number of days, 1 or more.",
            id="frivillig_blocks.E020",
        )
        for name in RETENTION_SETTINGS
        if not _non_negative_int(getattr(app_settings, name)) or getattr(app_settings, name) < 1
    ]
