"""Settings shared by every environment. Everything that differs between machines comes
from the environment; see the README's table of variables."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

SITE_DIR = Path(__file__).resolve().parent.parent.parent  # site/
BASE_DIR = SITE_DIR.parent  # the repository root


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our plugin set: the shared base first, then every app of the volunteer platform.
    "frivillig_blocks",
    "booking",
    "kalender",
    "boers",
    "initiativpris",
    "kurser",
    "henvendelser",
    "opfoelgning",
    # The reference site's demo content (manage.py seed_demo): not part of the plugin set.
    "dragoer.demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts: passwordless login by e-mail code; OpenID Connect ready for MitID via a broker.
    "allauth",
    "allauth.account",
    # Two-factor (TOTP) for superusers: frivillig_blocks.accounts.middleware requires it.
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Mail, background work, calendar engine, security headers
    "anymail",
    "django_tasks",
    "django_tasks_db",
    "schedule",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "frivillig_blocks.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag/Last-Modified answered with 304; then anonymous pages from the cache (pagecache.py).
    "django.middleware.http.ConditionalGetMiddleware",
    "frivillig_blocks.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's Wagtail site kept per content version (frivillig_blocks/serving.py).
    "frivillig_blocks.serving.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "frivillig_blocks.middleware.AdminCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff sessions opened without a password, superusers without a second factor: not in.
    "frivillig_blocks.accounts.middleware.AdminAccessMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Input Wagtail's and allauth's views cannot take (a NUL, an id the model cannot hold):
    # refused before they run (frivillig_blocks/guards.py).
    "frivillig_blocks.guards.ThirdPartyInputGuardMiddleware",
]

ROOT_URLCONF = "dragoer.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "frivillig_blocks.context_processors.municipality",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "dragoer.wsgi.application"

# Database: SQLite next to the repository unless DATABASE_URL says otherwise (PostgreSQL
# in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the task worker share the file: WAL and immediate transactions
    # keep them from tripping over each other's locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL plans the statements sent through frivillig_blocks.prepared (the calendar's
    # month, the course page) once per connection, after this many runs (Django's
    # own cursors are never prepared). Empty: nothing prepared, for a pooler in transaction
    # mode without max_prepared_statements (PgBouncer before 1.21).
    threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5").strip()
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(threshold) if threshold else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Anonymous public pages from the cache for this many seconds (0: off); see pagecache.py.
FRIVILLIG_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "frivillig"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Languages: Danish by default at unprefixed URLs, English under /en/.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Dates in the admin as Danes write them (24.12.2026, 24.12.2026 19:00), in its pickers and
# its forms, whichever of the two languages a staff member chose (frivillig_blocks.formats).
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
FORMAT_MODULE_PATH = ["frivillig_blocks.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]  # the site's own translations, if any (the apps ship theirs)
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
# Public media (images, documents) under random names; images are served at MEDIA_URL by
# frivillig_blocks.media (MEDIA_SERVING: "app", the default; "proxy" when a proxy in front
# serves /media/original_images/ and /media/images/; S3 when S3_BUCKET is set), documents
# by Wagtail's /documents/ view. Private files (inbox attachments) live outside MEDIA_ROOT
# in PRIVATE_MEDIA_ROOT and have no URL at all.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
FRIVILLIG_MEDIA_SERVING = os.environ.get("MEDIA_SERVING", "app").strip().lower()
STORAGES = {
    "default": {"BACKEND": "frivillig_blocks.media.PublicFileSystemStorage"},
    "private": {"BACKEND": "frivillig_blocks.media.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024  # webhooks carry attachments

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Frivillig")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "frivillig_blocks.search.backend"}}
WAGTAIL_I18N_ENABLED = False
# Documents always through Wagtail's view (collection privacy holds), also with S3.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "txt", "csv"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# Accounts (django-allauth): e-mail only, a code by mail, a password optional.
SITE_ID = 1
ACCOUNT_ADAPTER = "frivillig_blocks.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
# The e-mail is required, a password optional: without one, a code comes by mail.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_FORMS = {
    "login": "frivillig_blocks.accounts.forms.LoginForm",
    # allauth's per-address limits, also counted on the mailbox's canonical identity.
    "request_login_code": "frivillig_blocks.accounts.forms.RequestLoginCodeForm",
    "reset_password": "frivillig_blocks.accounts.forms.ResetPasswordForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    # The key is the e-mail address: five wrong codes or passwords per 5 minutes.
    "login_failed": "10/m/ip,5/300s/key",
    "request_login_code": "20/m/ip,3/m/key",
    # Our own public forms (allauth's rate limiter, so limits live in the cache, not a process).
    "frivillig_propose_idea": "10/h/ip",
    "henvendelser_contact": "10/h/ip",
    # The apps' public actions (each app falls back to no limit when its key is missing).
    "booking_request": "30/h/user",
    "kalender_event": "30/h/user",
    # Changes to an event (each may carry a new image) and the PDF programme (a second of
    # rendering each; a copy from the cache costs nothing).
    "kalender_event_edit": "60/h/user",
    "kalender_programme": "5/m/ip,30/h/ip",
    "boers_post": "10/h/user,30/h/ip",
    "boers_message": "10/m/user,100/h/user",
    "boers_report": "20/h/ip",
    "initiativpris_nominate": "10/h/ip",
    "initiativpris_vote": "20/h/ip",
    "kurser_register": "30/h/user",
    "kurser_needs": "10/h/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Staff and superusers log in with their password, never by an e-mail code alone
# (frivillig_blocks.accounts.security); superusers also with an authenticator app (TOTP).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("SITE_NAME", "Frivillig")
# Wagtail's own login page applies the same checks (rate limit, lock-out, second factor);
# its password reset is off: a reset goes through allauth (/konto/password/reset/), whose
# mail the log stores with the link redacted.
WAGTAILADMIN_USER_LOGIN_FORM = "frivillig_blocks.accounts.forms.AdminLoginForm"
WAGTAIL_PASSWORD_RESET_ENABLED = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "frivillig_blocks:mine_sider"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS = {}
# OpenID Connect (MitID through a broker such as Criipto or Signicat) is configuration only:
if os.environ.get("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "mitid"),
                "name": os.environ.get("OIDC_PROVIDER_NAME", "MitID"),
                "client_id": os.environ["OIDC_CLIENT_ID"],
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": os.environ.get("OIDC_SERVER_URL", "")},
            }
        ]
    }

# Mail: Anymail. ANYMAIL_ESP picks the provider (postmark, mailgun); console otherwise.
ANYMAIL_ESP = os.environ.get("ANYMAIL_ESP", "").strip().lower()
ANYMAIL = {
    "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""),
    "POSTMARK_SERVER_TOKEN": os.environ.get("POSTMARK_SERVER_TOKEN", ""),
    "MAILGUN_API_KEY": os.environ.get("MAILGUN_API_KEY", ""),
    "MAILGUN_SENDER_DOMAIN": os.environ.get("MAILGUN_SENDER_DOMAIN", ""),
    "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY", ""),
}
ESP_BACKENDS = {
    "postmark": "anymail.backends.postmark.EmailBackend",
    "mailgun": "anymail.backends.mailgun.EmailBackend",
    "test": "anymail.backends.test.EmailBackend",
    "console": "anymail.backends.console.EmailBackend",
}
EMAIL_BACKEND = ESP_BACKENDS.get(ANYMAIL_ESP, "anymail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Frivillig <frivillig@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
FRIVILLIG_EMAIL = os.environ.get("FRIVILLIG_EMAIL", "frivillig@example.org")
# The domain our Message-IDs end in (so replies can be matched to what we sent).
FRIVILLIG_MESSAGE_ID_DOMAIN = os.environ.get(
    "FRIVILLIG_MESSAGE_ID_DOMAIN", FRIVILLIG_EMAIL.rpartition("@")[2] or "localhost"
)

# Background work: django-tasks with the database backend; a worker runs `db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Security headers that hold everywhere; production.py adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The public site needs no inline script and no third party; the admin gets its own
# (looser) policy from frivillig_blocks.middleware.AdminCSPMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "frivillig_blocks.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # One JSON object per line (LOG_FORMAT=json, the production default).
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": os.environ.get("LOG_FORMAT", "plain"),
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# No third parties, also in the admin: no Gravatar, no update check against wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
