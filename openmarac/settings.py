"""Django settings for OpenMARAC.

One module, read from the environment. Three environments:

* ``development`` (the default): SQLite under ``var/``, development keys, e-mail to the console.
* ``test``: as development but with fast password hashing and mail kept in memory.
* ``production``: every secret must come from the environment (or a ``*_FILE``), ``DEBUG`` is
  refused, and the start-up fails loudly on anything missing.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read a setting, preferring the file named by ``NAME_FILE`` (for container secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number") from exc


def env_list(name: str, default: str = "") -> list[str]:
    value = env(name, default) or ""
    return [item.strip() for item in value.split(",") if item.strip()]


OPENMARAC_ENV = env("OPENMARAC_ENV", "development") or "development"
if OPENMARAC_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("OPENMARAC_ENV must be development, test or production")
PRODUCTION = OPENMARAC_ENV == "production"

DEBUG = env_bool("DEBUG", default=OPENMARAC_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")


def _development_secret(label: str) -> str:
    # Deterministic, clearly labelled keys so a development database survives restarts.
    # They are never used in production: the checks below refuse to start without real ones.
    return hashlib.sha256(f"openmarac-development-only-{label}".encode()).hexdigest()


SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required in production")
    SECRET_KEY = _development_secret("secret-key")

# Encryption at rest (see docs/adr/0004-encryption-at-rest.md).
# OPENMARAC_DATA_KEYS: comma-separated "key_id:base64-32-bytes"; the first encrypts, all decrypt.
# OPENMARAC_INDEX_KEY: base64 32 bytes, the HMAC key for blind indexes and blocking keys.
_data_keys = env("OPENMARAC_DATA_KEYS") or ""
_index_key = env("OPENMARAC_INDEX_KEY") or ""
if PRODUCTION and (not _data_keys or not _index_key):
    raise ImproperlyConfigured(
        "OPENMARAC_DATA_KEYS and OPENMARAC_INDEX_KEY are required in production"
    )
if not _data_keys:
    _dev = base64.b64encode(bytes.fromhex(_development_secret("data-key"))).decode()
    _data_keys = f"dev1:{_dev}"
if not _index_key:
    _index_key = base64.b64encode(bytes.fromhex(_development_secret("index-key"))).decode()
OPENMARAC_DATA_KEYS = _data_keys
OPENMARAC_INDEX_KEY = _index_key

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "openmarac.core",
    "openmarac.audit",
    "openmarac.partnerships",
    "openmarac.agencies",
    "openmarac.accounts",
    "openmarac.drafts",
    "openmarac.checklists",
    "openmarac.people",
    "openmarac.cases",
    "openmarac.referrals",
    "openmarac.meetings",
    "openmarac.notifications",
    "openmarac.jobs",
    "openmarac.triage",
    "openmarac.licences",
    "openmarac.caseaccess",
    "openmarac.research",
    "openmarac.proceedings",
    "openmarac.actions",
    "openmarac.emergencies",
    "openmarac.idva",
    "openmarac.reports",
    "openmarac.retention",
    "openmarac.disclosure",
    "openmarac.letters",
    "openmarac.search",
    "openmarac.workspace",
    "openmarac.caserecord",
    "openmarac.demo",
]

MIDDLEWARE = [
    "openmarac.core.logs.RequestIdMiddleware",
    "openmarac.core.middleware.ProxiedClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "openmarac.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside the session rules, so that it sees a session end under a post (drafts.middleware).
    "openmarac.drafts.middleware.DraftsMiddleware",
    "openmarac.accounts.middleware.SessionRulesMiddleware",
]

ROOT_URLCONF = "openmarac.urls"
WSGI_APPLICATION = "openmarac.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openmarac.core.context_processors.service",
                "openmarac.accounts.context_processors.session_timeout",
            ],
            "builtins": ["openmarac.core.templatetags.govuk"],
        },
    }
]
FORM_RENDERER = "openmarac.core.forms.GovukFormRenderer"

VAR_DIR = Path(env("OPENMARAC_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'openmarac.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # secure_delete: a deleted row's bytes are overwritten, not left in the file's free pages, so
    # a disposed case cannot be read back from the database file (docs/retention.md).
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA secure_delete = ON;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "workspace:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if OPENMARAC_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The partnership's security policy sets the rules (see openmarac/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "openmarac.accounts.passwords.PartnershipPasswordValidator"},
]

# Signing in (see docs/adr for the second-factor design).
SIGN_IN_PENDING_SECONDS = env_int("SIGN_IN_PENDING_SECONDS", 10 * 60)
SETUP_LINK_SECONDS = env_int("SETUP_LINK_SECONDS", 24 * 60 * 60)
STEP_UP_SECONDS = env_int("STEP_UP_SECONDS", 10 * 60)
MFA_EMAIL_CODE_TTL_SECONDS = env_int("MFA_EMAIL_CODE_TTL_SECONDS", 10 * 60)
# A MaxMind-format country database (e.g. GeoLite2-Country.mmdb); none is shipped. Without it
# a partnership cannot restrict sign-in by country.
GEOIP_DATABASE = env("GEOIP_DATABASE", "") or ""
# WebAuthn (passkeys): the relying party is this site's host name.
WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", "") or ""
# Rate limits: scope -> (attempts, seconds), per network address unless the name says otherwise.
RATE_LIMITS = {
    "sign_in": (env_int("RATE_SIGN_IN_PER_IP", 30), 300),
    "mfa": (env_int("RATE_MFA_PER_IP", 30), 300),
    "mfa_account": (env_int("RATE_MFA_PER_ACCOUNT", 20), 300),
    "referral_email": (env_int("RATE_REFERRAL_EMAIL_PER_IP", 20), 600),
    "referral_code": (env_int("RATE_REFERRAL_CODE_PER_IP", 20), 600),
}
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}
        if env("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "openmarac" / "static"]
if not PRODUCTION:
    # Serve straight from the source folders; production serves the collected, hashed files.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Sessions and cookies. The __Host- prefix binds cookies to this exact origin over HTTPS.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The longest session any security policy allows; the policy ends sessions sooner.
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 24 * 60 * 60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=PRODUCTION)
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# A monitor on the server itself may ask the application for its health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# Where the proxy connects from: its X-Real-IP header is the client's address (core/middleware.py).
TRUSTED_PROXIES = set(env_list("TRUSTED_PROXIES", "127.0.0.1,::1" if PRODUCTION else ""))
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
HSTS_SECONDS = max(env_int("HSTS_SECONDS", 31_536_000), 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# E-mail. Development prints to the console so the one-time codes can be read there.
_DEFAULT_EMAIL_BACKEND = {
    "production": "django.core.mail.backends.smtp.EmailBackend",
    "test": "django.core.mail.backends.locmem.EmailBackend",
}.get(OPENMARAC_ENV, "django.core.mail.backends.console.EmailBackend")
# "smtp" and "notify" name the two ways production sends; any other value is a backend's path.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "notify": "openmarac.notifications.notify.NotifyEmailBackend",
}
EMAIL_BACKEND = env("EMAIL_BACKEND", _DEFAULT_EMAIL_BACKEND) or _DEFAULT_EMAIL_BACKEND
EMAIL_BACKEND = _EMAIL_BACKENDS.get(EMAIL_BACKEND, EMAIL_BACKEND)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail")) or str(VAR_DIR / "mail")
EMAIL_HOST = env("EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "OpenMARAC <no-reply@openmarac.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# GOV.UK Notify (openmarac/notifications/notify.py). The API key is a secret: NOTIFY_API_KEY_FILE.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "") or ""
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "") or "https://api.notifications.service.gov.uk"
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", "") or ""
NOTIFY_REPLY_TO_ID = env("NOTIFY_REPLY_TO_ID", "") or ""
NOTIFY_TIMEOUT_SECONDS = env_int("NOTIFY_TIMEOUT_SECONDS", 10)
# "event=template-id" or "prefix.*=template-id", comma-separated: templates for some notices.
NOTIFY_TEMPLATES: dict[str, str] = {}
for _item in env_list("NOTIFY_TEMPLATES"):
    _event, _, _template = _item.partition("=")
    NOTIFY_TEMPLATES[_event.strip()] = _template.strip()
if _EMAIL_BACKENDS["notify"] == EMAIL_BACKEND:  # with Notify, fail at start, not at sending
    _UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    # A Notify API key is "<key name>-<service id>-<secret>", the last two being UUIDs.
    if not re.fullmatch(rf".+-{_UUID}-{_UUID}", NOTIFY_API_KEY, re.IGNORECASE):
        raise ImproperlyConfigured("NOTIFY_API_KEY must be a GOV.UK Notify API key")
    if not re.fullmatch(_UUID, NOTIFY_TEMPLATE_ID, re.IGNORECASE):
        raise ImproperlyConfigured("NOTIFY_TEMPLATE_ID must be the ID of a Notify template")
    if not all(e and re.fullmatch(_UUID, t, re.I) for e, t in NOTIFY_TEMPLATES.items()):
        raise ImproperlyConfigured("NOTIFY_TEMPLATES must be event=template-id pairs")
    if NOTIFY_REPLY_TO_ID and not re.fullmatch(_UUID, NOTIFY_REPLY_TO_ID, re.IGNORECASE):
        raise ImproperlyConfigured("NOTIFY_REPLY_TO_ID must be the ID of a Notify reply-to address")

# The notice outbox and the worker (see docs/adr/0003-background-jobs-database-sweep.md).
# REDIS_URL is optional: with several workers it keeps two from running the same step at once.
REDIS_URL = env("REDIS_URL", "") or ""
NOTICE_CLAIM_SECONDS = env_int("NOTICE_CLAIM_SECONDS", 300)
# /healthz calls the worker stale when its last sweep is older than this.
HEALTHZ_WORKER_STALE_SECONDS = env_int("HEALTHZ_WORKER_STALE_SECONDS", 300)

# The address printed in e-mails so that recipients can follow a link back to the service.
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

# Referral e-mail verification.
REFERRAL_CODE_TTL_SECONDS = env_int("REFERRAL_CODE_TTL_SECONDS", 15 * 60)
REFERRAL_CODE_MAX_ATTEMPTS = env_int("REFERRAL_CODE_MAX_ATTEMPTS", 5)
REFERRAL_CODES_PER_ADDRESS_PER_HOUR = env_int("REFERRAL_CODES_PER_ADDRESS_PER_HOUR", 5)
REFERRAL_CODES_PER_IP_PER_HOUR = env_int("REFERRAL_CODES_PER_IP_PER_HOUR", 20)

# Retention (docs/retention.md). The disposal register is an append-only file of disposal
# certificates (case references, dates and counts; no personal data), kept outside the database
# and its backups, so that a restored backup cannot bring a disposed case back: the sweep (and
# ``manage.py retention_reapply``) disposes again of any case it names.
DISPOSAL_REGISTER = Path(
    env("DISPOSAL_REGISTER", str(VAR_DIR / "disposal-register.jsonl"))
    or VAR_DIR / "disposal-register.jsonl"
)
# Days after which the daily purge deletes what is kept only for a while.
PURGE_DRAFT_DAYS = env_int("PURGE_DRAFT_DAYS", 30)  # referral drafts not touched since
PURGE_UNVERIFIED_DAYS = env_int("PURGE_UNVERIFIED_DAYS", 30)  # referrers' e-mail codes
PURGE_NOTICE_DAYS = env_int("PURGE_NOTICE_DAYS", 180)  # e-mails sent (or given up on)
PURGE_SIGN_IN_DAYS = env_int("PURGE_SIGN_IN_DAYS", 365)  # ended sessions, second-factor codes
PURGE_SAR_DAYS = env_int("PURGE_SAR_DAYS", 730)  # subject access requests after they close
PURGE_FORM_DRAFT_HOURS = env_int("PURGE_FORM_DRAFT_HOURS", 72)  # text kept when a session ended

CHECKLIST_DIR = Path(
    env("CHECKLIST_DIR", str(BASE_DIR / "openmarac" / "checklists" / "definitions"))
    or BASE_DIR / "openmarac" / "checklists" / "definitions"
)

# Logs go to standard error: one JSON object a line in production, a readable line elsewhere.
# Each line carries its request's id; none carries a path, query string, exception message or
# request body (openmarac/core/logs.py, docs/adr/0012-structured-json-logs.md).
LOG_FORMAT = env("LOG_FORMAT", "json" if PRODUCTION else "plain") or "plain"
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "openmarac.core.logs.JsonFormatter"},
        "plain": {"()": "openmarac.core.logs.PlainFormatter"},
    },
    "filters": {
        "request_id": {"()": "openmarac.core.logs.RequestIdFilter"},
        "path_free": {"()": "openmarac.core.logs.PathFreeFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "path_free"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Through the handler above only: Django's own console and mail-the-admins handlers
        # would print paths and e-mail tracebacks.
        "django": {"level": "INFO"},
        # Django logs each 4xx and 5xx again; the request line already says it.
        "django.request": {"level": "ERROR"},
        # runserver's own request lines print the query string; the request line replaces them.
        "django.server": {"level": "WARNING"},
        # The Notify client logs Notify's own error text; the outbox logs each failure itself.
        "notifications_python_client": {"level": "ERROR"},
    },
}
CSRF_FAILURE_VIEW = "openmarac.core.views.csrf_failure"
