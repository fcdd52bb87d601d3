"""Settings of the Наставник portal: everything comes from the environment.

Without DATABASE_URL an embedded PostgreSQL is started under var/ (PostgreSQL is the only
engine); without REDIS_URL Celery tasks run in-process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0), got {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list, got {value!r}")
    return items


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def env_url(name: str, schemes: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip()
    if value and not value.startswith(tuple(f"{scheme}://" for scheme in schemes)):
        allowed = ", ".join(schemes)
        raise ImproperlyConfigured(f"{name} must be a URL with one of the schemes {allowed}")
    return value


# Safe by default: DEBUG is off unless set (`make run` sets it). Production must give a long
# SECRET_KEY and ALLOWED_HOSTS, and gets HTTPS-only cookies and HSTS. There is no built-in
# key: a debug checkout without one gets a random key kept in var/ (so sessions survive a
# restart of runserver), and a short or well-known key stops start-up whatever DEBUG says.
DEBUG = env_bool("DEBUG", False)
MIN_SECRET_KEY_LENGTH = 50
KNOWN_SECRET_KEYS = {
    "insecure-demo-key-only-for-debug",
    "changeme",
    "change-me",
    "secret",
    "django-insecure",
}


def env_secret_key(debug: bool) -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if not key:
        if _keyless_command():
            return ""  # Django refuses any use of an empty key, should one come
        if not debug:
            raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
        return _local_debug_secret_key()
    lowered = key.lower()
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} random characters"
        )
    if any(lowered.startswith(known) for known in KNOWN_SECRET_KEYS):
        raise ImproperlyConfigured("SECRET_KEY must not be a default or example key")
    return key


# Commands that neither serve requests nor sign anything: a checkout with no environment can
# check its migrations or build its catalogues, while a server or a worker without a key stops.
KEYLESS_COMMANDS = {
    "check",
    "collectstatic",
    "compilemessages",
    "makemessages",
    "makemigrations",
    "migrate",
    "showmigrations",
    "sqlmigrate",
}


def _keyless_command() -> bool:
    return (
        len(sys.argv) > 1
        and Path(sys.argv[0]).name == "manage.py"
        and sys.argv[1] in KEYLESS_COMMANDS
    )


def _local_debug_secret_key() -> str:
    import secrets

    path = BASE_DIR / "var" / "debug_secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(60)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = env_secret_key(DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "core",
    "orgs",
    "mentoring",
    "programs",
    "community",
    "matching",
    "monitoring",
    "reports",
    "portal",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.params.QueryGuardMiddleware",
    "orgs.two_factor.TwoFactorMiddleware",
    "orgs.readonly.ReadOnlyRoleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it turns a lockout into the Russian "locked out" page.
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
                "portal.context_processors.navigation",
            ],
            # Dates as the portal writes them (дд.мм.гггг), without a {% load %} in each template.
            "builtins": ["core.templatetags.dates"],
        },
    },
]

# Database: PostgreSQL only. DATABASE_URL, or the embedded server under var/.
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql"))
EMBEDDED_PG_DIR = BASE_DIR / "var" / "pgdata"
if not DATABASE_URL:
    from config.embedded_db import embedded_database_url

    DATABASE_URL = embedded_database_url(EMBEDDED_PG_DIR)
# Health checks: a persistent connection broken by a PostgreSQL restart is replaced before
# the request uses it, so a restart costs no request.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
# The planner's price of a random page read. PostgreSQL's default (4) dates from spinning
# disks: with it, joining the 1,000 programs of a municipality to their pairs reads all the
# region's programs (a 35 ms scan at 60 municipalities, growing with the region) instead of
# 1,000 index look-ups (1.4 ms, constant). 1.1 is the usual value for SSD or a database held
# in memory (docs/scale.md); set in each connection so every server gives the same plans.
PG_RANDOM_PAGE_COST = env_str("PG_RANDOM_PAGE_COST", "1.1")
if PG_RANDOM_PAGE_COST:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={float(PG_RANDOM_PAGE_COST)}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses a locked account+address before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: 5 failures for one account from one address lock that pair for an hour;
# the administrator unlocks in /admin/ (Axes → access attempts) or `manage.py axes_reset`.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = True
# Second factor (TOTP with recovery codes): required for the administrator and committee staff
# (orgs/two_factor.py), optional for everyone else.
OTP_TOTP_ISSUER = "Наставник"
# Committee staff (municipal scope) sign in again after a working day.
MUNICIPAL_SESSION_SECONDS = 9 * 60 * 60
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Barnaul"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# django-filter: the empty choice of a filter reads «—», like every other select (core.apps).
FILTERS_EMPTY_CHOICE_LABEL = "—"

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process (demo mode).
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Results are kept only for the tasks of a chord (the regional report's annexes), which Celery
# counts in the backend; every other task ignores its result.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "nastavnik")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

if REDIS_URL:
    # Redis gone for a minute: the pages compute what they would have read (core.cache).
    CACHES = {"default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "nastavnik@localhost")

# The audit log keeps who changed which personal record; the actor comes from the request.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 60 * 60 * 12

# Headers: Django's set (nosniff, X-Frame-Options, Referrer-Policy, COOP) plus a
# Content-Security-Policy with no inline script (every script is a static file; a nonce is
# available as `request.csp_nonce` should one ever be needed) and a Permissions-Policy that
# switches off the browser features the portal never uses. Styles keep 'unsafe-inline': the
# server-rendered SVG charts carry their own <style>, and htmx adds its indicator style.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # Each lockout is written to the log (a warning of django-axes).
        "axes": {"level": "WARNING"},
    },
}

# Reference data shipped with the project (copied from the district's lists).
REFERENCE_DATA_DIR = BASE_DIR / "data"

# Reports and reminders (reports/services.py, reports/tasks.py) ------- ---------------------------
from celery.schedules import crontab  # noqa: E402

# Absolute links in e-mails (reminders) point here.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A building report renews its heartbeat this often; one silent for REPORTS_STUCK_AFTER_SECONDS
# is taken to be lost with its worker and queued again by the every-minute sweep.
REPORTS_HEARTBEAT_SECONDS = int(env_str("REPORTS_HEARTBEAT_SECONDS", "15"))
REPORTS_STUCK_AFTER_SECONDS = int(env_str("REPORTS_STUCK_AFTER_SECONDS", "90"))
# A report handed to the queue and not started for this long: its message was lost, send again.
REPORTS_LOST_AFTER_SECONDS = int(env_str("REPORTS_LOST_AFTER_SECONDS", "1800"))
REPORTS_MAX_RETRIES = 3  # retries of one build after an error, with back-off
REPORTS_RETRY_SECONDS = 60  # first retry after a minute, then 2, 4 ... minutes
REPORTS_RETRY_MAX_SECONDS = 15 * 60
# Redis gives an unacknowledged message to another worker after this; above the longest build
# (~60 s for a region's 250 pages) and the longest retry delay, so a slow build is never run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 45 * 60}
REPORTS_MAX_ATTEMPTS = 5  # builds started (retries and requeues together) before giving up
# Annual reports are ordered automatically on this day ("MM-DD") for the year just ended.
REPORTS_ANNUAL_ORDER_DATE = env_str("REPORTS_ANNUAL_ORDER_DATE", "07-01")
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-reports": {
        "task": "reports.tasks.requeue_stuck_reports",
        "schedule": crontab(),  # every minute
    },
    "purge-form-tokens": {
        "task": "reports.tasks.purge_form_tokens",
        "schedule": crontab(hour=3, minute=30),
    },
    "order-annual-reports": {
        "task": "reports.tasks.order_annual_reports",
        # Daily: the task itself waits for the date and orders each year's reports once.
        "schedule": crontab(hour=6, minute=0),
    },
    "escalate-quiet-pairs": {
        "task": "reports.tasks.escalate_quiet_pairs",
        "schedule": crontab(hour=6, minute=30),
    },
    "refresh-dirty-facts": {
        "task": "monitoring.tasks.refresh_dirty_facts",
        "schedule": crontab(minute="*/5"),
    },
    "refresh-all-facts": {
        "task": "monitoring.tasks.refresh_all_facts",
        # Just after midnight: counts «up to today» move with the date, and until they are
        # recounted the dashboards count from the records (the regional one 2 s a view at 60
        # municipalities instead of 40 ms; the refresh takes ≈ 12 min there).
        "schedule": crontab(hour=0, minute=5),
    },
    "send-weekly-reminders": {
        "task": "reports.tasks.send_weekly_reminders",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
}
