"""Production: PostgreSQL and Redis from the environment, HTTPS only.

`manage.py check --deploy --settings=dragoer.settings.production` passes with no warnings."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = env_bool("DEBUG", False)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Stateless web processes: cache, sessions, rate limits and the page cache live in Redis
# (a deploy check refuses production without REDIS_URL), everything else in PostgreSQL.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
FRIVILLIG_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# The calendar's full feed is kept per content version even when the page cache is off: it is
# an export of every event, rebuilt only after a change (kalender/feeds.py).
KALENDER_FEED_CACHE = True
# Each process keeps its database connection between requests (checked before it is reused):
# opening a PostgreSQL connection costs more than most pages' queries (make loadtest).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
LOGGING["handlers"]["stdout"]["formatter"] = os.environ.get("LOG_FORMAT", "json")

# Media on S3-compatible storage (django-storages) when a bucket is configured, else on disk
# (served by the site itself, see base.py). Public uploads get random names either way.
s3_connection = {
    "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
    "region_name": os.environ.get("S3_REGION") or None,
    "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
    "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
}
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "frivillig_blocks.media.PublicS3Storage",
        "OPTIONS": {
            **s3_connection,
            "bucket_name": os.environ["S3_BUCKET"],
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "querystring_auth": env_bool("S3_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
# Private files (inbox attachments) in a bucket of their own, never public: private ACL and
# signed, short-lived URLs (the admin streams them anyway). Unset: on disk, PRIVATE_MEDIA_ROOT.
if os.environ.get("S3_PRIVATE_BUCKET"):
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **s3_connection,
            "bucket_name": os.environ["S3_PRIVATE_BUCKET"],
            "location": os.environ.get("S3_PRIVATE_LOCATION", ""),
            "custom_domain": None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

# Errors to Sentry when SENTRY_DSN is set; no personal data is sent.
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    from frivillig_blocks import __version__

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=f"frivillig-platform@{__version__}",
        send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
