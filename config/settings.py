"""Cadence settings, all from the environment.

CADENCE_ENV=production turns on production mode: DEBUG off, secure cookies, HSTS, staff MFA,
and a real SECRET_KEY is required. In development a secret key is generated once into
var/secret_key (ignored by git). See docs/security.md and docs/deploy.md.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CADENCE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


CADENCE_ENV = os.environ.get("CADENCE_ENV", "development").strip().lower()
PRODUCTION = CADENCE_ENV == "production"
# A test run says so explicitly: config/settings_test.py (pytest's settings) sets
# CADENCE_TESTING=1 for relaxed login rate limits, no MFA by default, tasks run inline.
TESTING = env_bool("CADENCE_TESTING", False)


def load_secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if PRODUCTION:
        if len(key) < 50 or key.startswith("django-insecure") or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "CADENCE_ENV=production needs a real SECRET_KEY (50+ random characters) "
                "in the environment."
            )
        return key
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = load_secret_key()
DEBUG = False if PRODUCTION else env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "CADENCE_ENV=production needs ALLOWED_HOSTS (the site's host names, comma-separated)."
    )

INSTALLED_APPS = [
    # An app's management command overrides Django's own of the same name: cadence.audit's
    # `flush` lifts the audit trail's delete guard for the duration of a deliberate wipe.
    "cadence.security",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",  # serves the API docs from local static files (no CDN, no inline script)
    "django_tasks",
    "django_tasks_db",
    "cadence.accounts",
    "cadence.audit",
    "cadence.patients",
    "cadence.intake",
    "cadence.treatments",
    "cadence.scheduling",
    "cadence.diary",
    "cadence.outcomes",
    "cadence.candidacy",
    "cadence.surgery",
    "cadence.interop",
    "cadence.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files keep their caching): every page, API answer, export,
    # PDF and feed is Cache-Control: no-store; API bodies over 5 MB answer JSON 413 and
    # JSON nested too deep answers 400 before parsing (cadence/security/middleware.py).
    "cadence.security.middleware.NoStore",
    "cadence.security.middleware.ApiBodyLimits",
    # Pages and API answers gzip-compressed for clients that accept it (static files are
    # pre-compressed by WhiteNoise, above). BREACH: Django masks the CSRF token afresh in
    # every response and pads each gzip body with random bytes; the session cookie is
    # SameSite=Lax. See docs/performance.md, "The patient's phone".
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Sessions end 12 hours after sign-in; API bearer tokens: expired, revoked or out of
    # scope answer 401/403 before any view (and never fall back to the session).
    "cadence.accounts.sessions.AbsoluteSessionLifetime",
    "cadence.accounts.api_auth.ApiTokenGate",
    "cadence.accounts.mfa.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # axes last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "cadence.accounts.navigation.navigation",
                "cadence.accounts.clinic.clinic",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'cadence.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL, conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Keep connections open between requests (as for PostgreSQL): opening the file and
    # running the PRAGMAs below cost more CPU than a whole simple request. The health
    # check replaces a connection that went bad.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # WAL: readers never block the writer; IMMEDIATE: a write transaction takes the
        # write lock at BEGIN, so concurrent writers queue instead of failing mid-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file database (not :memory:) so that WAL, locking and concurrent writers
    # behave as in production.
    # One file per test process, so that concurrent test runs on one machine never
    # destroy each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("CADENCE_TEST_SQLITE")
        or str(VAR_DIR / f"test_cadence_{os.getpid()}.sqlite3")
    }

# A PostgreSQL streaming replica for reports and exports (docs/performance.md, "How
# Cadence scales past one machine"): with DATABASE_REPLICA_URL set, the clinical-record
# reads of the requests under CADENCE_REPLICA_READ_PATHS go to it (config/db_routers.py);
# writes, sessions, users, the audit trail and the task queue stay on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60
    )
    # Tests never create a second database: the replica mirrors the default one.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "config.db_routers.ReplicaReadsMiddleware",
    )
CADENCE_REPLICA_READ_PATHS = [
    path
    for path in os.environ.get(
        "CADENCE_REPLICA_READ_PATHS", "/outcomes/dashboard/,/fhir/r4/"
    ).split(",")
    if path.strip()
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login lockout (django-axes) must be the first backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CADENCE_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CADENCE_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "cadence.security.network.client_ip"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
# The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is
# believed; default none: only REMOTE_ADDR counts. Used for the audit trail's "from where"
# and for lockout/rate limits (cadence.security.network.client_ip).
CADENCE_TRUSTED_PROXIES = env_list("CADENCE_TRUSTED_PROXIES", [])
# Sign-in attempts allowed per client IP per minute (on top of the lockout above).
CADENCE_LOGIN_RATE_PER_MINUTE = int(
    os.environ.get("CADENCE_LOGIN_RATE_PER_MINUTE", 10_000 if TESTING else 20)
)
# ...and per username per minute, from any number of addresses.
CADENCE_LOGIN_RATE_PER_USERNAME = int(
    os.environ.get("CADENCE_LOGIN_RATE_PER_USERNAME", 10_000 if TESTING else 10)
)
# Where the rate-limit counters live, shared by every worker and host: the database
# (table cadence_cache, created by migration accounts/0002) unless CADENCE_CACHE_URL names
# a shared cache (redis://host:6379/0). A per-process cache would let each gunicorn worker
# count on its own (issue 21, finding 7).
CADENCE_CACHE_URL = os.environ.get("CADENCE_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CADENCE_CACHE_URL}
        if CADENCE_CACHE_URL.startswith(("redis://", "rediss://"))
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cadence_cache"}
    ),
}
if CADENCE_CACHE_URL and not CADENCE_CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CADENCE_CACHE_URL must be a redis:// or rediss:// URL.")

# Staff sign in with a password and a TOTP code (or a recovery code). On in production;
# off in development (so the demo logins of `make run` work) and under tests, unless
# CADENCE_MFA_REQUIRED says otherwise. See docs/security.md.
CADENCE_MFA_REQUIRED = env_bool("CADENCE_MFA_REQUIRED", PRODUCTION and not TESTING)
OTP_TOTP_ISSUER = os.environ.get("CADENCE_OTP_ISSUER", "Cadence")
CADENCE_RECOVERY_CODE_COUNT = 10
# django-otp's own throttle refuses even a correct code for a while after a wrong one
# (issue 19); Cadence limits guesses itself: CADENCE_MFA_ATTEMPTS_PER_15_MINUTES per user
# in the shared rate-limit cache, and 10 wrong codes sign the session out.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
CADENCE_MFA_ATTEMPTS_PER_15_MINUTES = int(os.environ.get("CADENCE_MFA_ATTEMPTS_PER_15_MINUTES", 10))
# Enrolling MFA or issuing an API token asks for the password again unless it was given
# (sign-in or confirmation) within this many seconds.
CADENCE_REAUTH_SECONDS = int(os.environ.get("CADENCE_REAUTH_SECONDS", 10 * 60))
# API tokens expire this many days after issue unless issued for fewer (issue 21).
CADENCE_API_TOKEN_DAYS = int(os.environ.get("CADENCE_API_TOKEN_DAYS", 90))
# The password strength check (zxcvbn, 0-4): a score below this is refused.
CADENCE_PASSWORD_MIN_SCORE = int(os.environ.get("CADENCE_PASSWORD_MIN_SCORE", 3))

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Common, breached-list and guessable passwords (zxcvbn: dictionaries, names, keyboard
    # patterns, dates, l33t), beyond Django's 20,000-word list.
    {"NAME": "cadence.accounts.passwords.GuessablePasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("CADENCE_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Sessions end after 15 idle minutes (the expiry is renewed on every request).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 15 * 60))
# ...and 12 hours after signing in however active (cadence.accounts.sessions).
CADENCE_SESSION_ABSOLUTE_SECONDS = int(
    os.environ.get("CADENCE_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Backends that write e-mails (acknowledgements, resets: patient names) into the log or a
# local file, or drop them: production refuses to start with them (issue 21, finding 6).
LOG_EMAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    }
)
if PRODUCTION and EMAIL_BACKEND in LOG_EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        "CADENCE_ENV=production needs a real EMAIL_BACKEND (e.g. "
        "django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST): the console, file, "
        "dummy and in-memory backends would log or lose e-mails that carry patient data."
    )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cadence clinic <clinic@cadence.invalid>")
# Django's SMTP backend (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend) reads these.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 20))
# Urgent side effects reach a person (cadence/scheduling/alerts.py): an e-mail to each
# address, a text to the on-call phone, sent again once if nobody acknowledges the alert
# within CADENCE_URGENT_ALERT_ESCALATE_MINUTES. The messages link to CADENCE_SITE_URL.
CADENCE_URGENT_ALERT_EMAILS = env_list("CADENCE_URGENT_ALERT_EMAILS", [])
CADENCE_ON_CALL_PHONE = os.environ.get("CADENCE_ON_CALL_PHONE", "")
CADENCE_URGENT_ALERT_ESCALATE_MINUTES = int(
    os.environ.get("CADENCE_URGENT_ALERT_ESCALATE_MINUTES", 30)
)
# The address people reach Cadence at (links in e-mails and texts).
CADENCE_SITE_URL = os.environ.get("CADENCE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The number patients are told to call (tap-to-call links); the default is a fictional
# 555-01xx number for the demo clinic.
CADENCE_CLINIC_PHONE = os.environ.get("CADENCE_CLINIC_PHONE", "+1 201 555 0123")
CLINIC_NAME = os.environ.get("CADENCE_CLINIC_NAME", "Cadence Headache Clinic")
# The clinic's postal address on the letterhead of its letters and packets (lines
# separated by "|"); empty (the default) leaves the letterhead with the name and phone.
CADENCE_CLINIC_ADDRESS = os.environ.get("CADENCE_CLINIC_ADDRESS", "")
# This deployment's public FHIR base (e.g. https://clinic.example/fhir/r4): the system of
# its patient identifiers and the canonical base of its code systems and extensions, each
# answered by GET on its URL. One value per clinic, so identifiers never collide.
CADENCE_FHIR_BASE = os.environ.get("CADENCE_FHIR_BASE", "https://cadence.invalid/fhir/r4").rstrip(
    "/"
)
# The domain qualifying iCalendar UIDs; empty: the host of CADENCE_FHIR_BASE.
CADENCE_CALENDAR_DOMAIN = os.environ.get("CADENCE_CALENDAR_DOMAIN", "")
# FHIR Bulk Data ($export): where the worker writes the NDJSON files (one directory per
# export), and how many hours after an export completes its files are served before the
# sweep deletes them (docs/deploy.md, "FHIR").
CADENCE_BULK_EXPORT_DIR = Path(os.environ.get("CADENCE_BULK_EXPORT_DIR", VAR_DIR / "bulk"))
CADENCE_BULK_EXPORT_TTL_HOURS = int(os.environ.get("CADENCE_BULK_EXPORT_TTL_HOURS", 24))
# HIT-6 is a copyrighted scale: its item text is shown only under the clinic's licence.
CADENCE_HIT6_LICENSED = env_bool("CADENCE_HIT6_LICENSED", False)

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# The plausible window for any date a person enters (a diary day, an appointment, a plan,
# a filter): not before CADENCE_EARLIEST_DATE (nor the patient's birth, where there is a
# patient) and not more than CADENCE_MAX_YEARS_AHEAD years after today. Outside it: 422
# naming the field (cadence.accounts.validation.check_date).
CADENCE_EARLIEST_DATE = os.environ.get("CADENCE_EARLIEST_DATE", "1900-01-01")
CADENCE_MAX_YEARS_AHEAD = int(os.environ.get("CADENCE_MAX_YEARS_AHEAD", 5))
# Paging: `limit` at most this many rows, `offset` at most CADENCE_MAX_OFFSET.
CADENCE_MAX_PAGE_SIZE = 500
CADENCE_MAX_OFFSET = 1_000_000
# JSON request bodies nested deeper than this are refused (400) before they are parsed.
CADENCE_MAX_JSON_DEPTH = 32

# Request bodies and uploads: 5 MB in memory at most; imported files are checked by
# cadence.security.uploads.check_upload (size and type).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 5
CADENCE_MAX_UPLOAD_BYTES = int(os.environ.get("CADENCE_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
CADENCE_UPLOAD_CONTENT_TYPES = (
    "application/json",
    "application/fhir+json",
    "text/csv",
)
FILE_UPLOAD_PERMISSIONS = 0o600


def load_audit_key() -> str:
    """The audit trail's HMAC key: entries are chained, and the chain head and the signed
    checkpoints are sealed, with HMAC-SHA256 under this key, which is not in the database.
    Production needs CADENCE_AUDIT_KEY; in development one is generated once into
    var/audit_key (independent of SECRET_KEY, so rotating that keeps the trail valid)."""
    key = os.environ.get("CADENCE_AUDIT_KEY", "")
    if PRODUCTION:
        if len(key) < 32 or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "CADENCE_ENV=production needs CADENCE_AUDIT_KEY (32+ random characters, "
                "the key the audit trail was written with) in the environment."
            )
        return key
    if key:
        return key
    key_file = VAR_DIR / "audit_key"
    if not key_file.exists():
        # Written aside and linked into place: two processes starting at once agree. It
        # starts as the key development used before (derived from SECRET_KEY), so trails
        # already written still verify; from then on it stays when SECRET_KEY changes.
        draft = VAR_DIR / f".audit_key.{os.getpid()}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(f"cadence-audit:{SECRET_KEY}")
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


CADENCE_AUDIT_KEY = load_audit_key()
# Signed checkpoints of the audit trail (count, head hash, time, HMAC), one JSON line each,
# appended by the worker's `audit_checkpoint_write` task and `manage.py audit_checkpoint`;
# `manage.py verify_audit` checks the trail against them. Keep the file where the database
# user cannot rewrite it (e.g. `chattr +a`). Tests use their own file (empty: none).
CADENCE_AUDIT_CHECKPOINTS = os.environ.get(
    "CADENCE_AUDIT_CHECKPOINTS", "" if TESTING else str(VAR_DIR / "audit-checkpoints.jsonl")
)
# Optionally also send each checkpoint to syslog: "/dev/log" or "host:port" (UDP).
CADENCE_AUDIT_CHECKPOINT_SYSLOG = os.environ.get("CADENCE_AUDIT_CHECKPOINT_SYSLOG", "")

# Strict Content-Security-Policy: no inline scripts or styles, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

# Migraine surgery (cadence.surgery, clinic-reference.md section 8). A site "responded" to
# a diagnostic injection or block at this many percent fewer headache days (the reference's
# 50%); the pain sketch matches a site when the site holds at least this share (percent) of
# the located headache days of the last 28 days (a Cadence default: a majority).
CADENCE_SURGERY_SITE_RESPONSE_PERCENT = int(
    os.environ.get("CADENCE_SURGERY_SITE_RESPONSE_PERCENT", 50)
)
CADENCE_SURGERY_SKETCH_MIN_PERCENT = int(os.environ.get("CADENCE_SURGERY_SKETCH_MIN_PERCENT", 50))
# Nerve-block billing codes by nerve (CPT, US): the clinic's billing office confirms them;
# CADENCE_NERVE_BLOCK_BILLING_CODES (JSON, {"nerve": ["code", ...]}) replaces the table. A
# nerve with no code gets no billing line (the note says so).
CADENCE_NERVE_BLOCK_BILLING_CODES = {
    "supraorbital nerve": ["64400"],
    "supratrochlear nerve": ["64400"],
    "zygomaticotemporal branch of the trigeminal nerve": ["64400"],
    "auriculotemporal nerve": ["64400"],
    "greater occipital nerve": ["64405"],
    "third occipital nerve": ["64450"],
    "lesser occipital nerve": ["64450"],
}
if os.environ.get("CADENCE_NERVE_BLOCK_BILLING_CODES"):
    import json as _json

    CADENCE_NERVE_BLOCK_BILLING_CODES = _json.loads(os.environ["CADENCE_NERVE_BLOCK_BILLING_CODES"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "cadence.security.logging.ScrubPatientData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies and SQL parameters can carry patient data: keep them out of logs.
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
