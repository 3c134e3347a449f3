"""Settings, read from environment variables with defaults for one office on one laptop.

``TILIK_DATA`` (folder of the embedded SQLite database and uploads, default ``tilik-data``),
``DATABASE_URL`` (PostgreSQL for a regional or national deployment), ``TILIK_SECRET_KEY``,
``TILIK_DEBUG``, ``TILIK_ALLOWED_HOSTS``, ``TILIK_HASH_KEY`` (key of NIP pseudonyms),
``TILIK_SECURE`` (HTTPS-only cookies and HSTS behind a TLS proxy).
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = BASE_DIR.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "yes", "true", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or envbool("TILIK_TESTING", "no")
if TESTING and not os.getenv("TILIK_DATA"):
    # Tests never touch the user's data folder (pytest-django also uses its own database).
    os.environ["TILIK_DATA"] = tempfile.mkdtemp(prefix="tilik-test-")
DATA_DIR = Path(os.getenv("TILIK_DATA", "tilik-data")).resolve()


def _private_file(file: Path) -> None:
    """Create ``file`` readable and writable by its owner only, or narrow it to that (an
    older installation made the SQLite database 0644)."""
    if file.exists():
        if file.stat().st_mode & 0o077:
            file.chmod(0o600)
        return
    file.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))


def _secret_key() -> str:
    """A per-installation key, generated once into the data folder when none is given."""
    if os.getenv("TILIK_SECRET_KEY"):
        return os.environ["TILIK_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    _private_file(key_file)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = envbool("TILIK_DEBUG", "no")
ALLOWED_HOSTS = envlist("TILIK_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("TILIK_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.getenv("TILIK_SITE_NAME", "Tilik")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "tilik.web.jobs",
    "tilik.web.accounts",
    "tilik.web.evaluations",
    "tilik.web.collection",
    "tilik.web.reports",
    "tilik.web.coding",
    "tilik.web.planning",
    "tilik.web.portfolio",
    "tilik.web.api",
    "tilik.web.audit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed too (static files are served above, already compressed). Django masks
    # the CSRF token afresh in every response, which keeps compression from leaking it.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tilik.web.middleware.indonesian_by_default",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tilik.web.accounts.middleware.idle_sessions_end",
    "tilik.web.accounts.middleware.second_factor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tilik.web.urls"
WSGI_APPLICATION = "tilik.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tilik.web.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tilik.sqlite3'}"),
        conn_max_age=envint("TILIK_DB_CONN_MAX_AGE", "60"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite gives its -wal and -shm files the database file's mode: 0600 for all three.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        _private_file(Path(DATABASES["default"]["NAME"]))
    # WAL lets readers work while an import writes; IMMEDIATE avoids "database is locked"
    # when two writers race to upgrade a read transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if TESTING:
        # A file, not memory: the tests of `tilik worker` run it as a process on this database.
        DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

# A database cache: shared by every gunicorn worker and app server, so the open-link rate
# limit counts once across them; nothing else (no Redis) to run. A migration creates the table.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tilik_cache",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (imports, analysis, reports, XLSForm checks) is queued in the database and
# run by `tilik worker` processes (tilik.web.jobs); the tests run tasks inline instead.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend"
    }
}
TILIK_JOBS_ISOLATED = not TESTING
TILIK_TASK_TIME_LIMIT = envint("TILIK_TASK_TIME_LIMIT", str(30 * 60))  # seconds
TILIK_JOB_STALE_AFTER = envint("TILIK_JOB_STALE_AFTER", "45")  # seconds without a heartbeat

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "evaluations:list"
LOGOUT_REDIRECT_URL = "login"

# Accounts and sessions (OWASP ASVS level 2).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out (account, address) first
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout by the pair (account, client address): an attacker elsewhere cannot lock a real
# user out; the account as a whole is only slowed down (tilik.web.accounts.throttle).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("TILIK_LOGIN_FAILURES", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("TILIK_LOGIN_COOLOFF_MINUTES", "15"))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tilik.web.network.client_ip"
AXES_LOCKOUT_CALLABLE = "tilik.web.accounts.views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in Tilik's own audit trail
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = True
# After this many failed sign-ins to one account (from any address) in an hour, attempts
# from browsers that never signed in to it succeed at most once per interval.
TILIK_ACCOUNT_SLOWDOWN_AFTER = envint("TILIK_ACCOUNT_SLOWDOWN_AFTER", "10")
TILIK_ACCOUNT_SLOWDOWN_SECONDS = envint("TILIK_ACCOUNT_SLOWDOWN_SECONDS", "30")
# Sessions end after this long without a request, and at the latest after SESSION_COOKIE_AGE.
TILIK_SESSION_IDLE_MINUTES = envint("TILIK_SESSION_IDLE_MINUTES", "30")
SESSION_COOKIE_AGE = envint("TILIK_SESSION_MAX_HOURS", "12") * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A password reset link an administrator issues is valid this long, and once.
PASSWORD_RESET_TIMEOUT = envint("TILIK_RESET_LINK_HOURS", "24") * 3600
TILIK_INVITE_DAYS = envint("TILIK_INVITE_DAYS", "7")
OTP_TOTP_ISSUER = os.getenv("TILIK_SITE_NAME", "Tilik")
# Proxies whose X-Forwarded-For names the client (tilik.web.network.client_ip).
TILIK_TRUSTED_PROXIES = envlist("TILIK_TRUSTED_PROXIES", "")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA: Kupang and the rest of NTT
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"  # `tilik manage collectstatic` fills it for a proxy to serve
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
# Served by WhiteNoise from STATIC_ROOT, which `tilik serve` / `tilik demo` fill at start
# (collectstatic): names carry a content hash, so browsers keep them for a year, and each file
# is stored compressed (gzip, and brotli) — phones on weak networks fetch a fraction.
# Development (DEBUG) and the tests serve the source files as they are.
STATIC_FROM_SOURCE = DEBUG or TESTING or envbool("TILIK_STATIC_FROM_SOURCE", "no")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_SOURCE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("TILIK_MAX_UPLOAD", str(50 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE = envbool("TILIK_SECURE", "no")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): the app's pages load only its own
# scripts and styles, nothing inline; report files and the public page get a sandboxed
# policy of their own (tilik.web.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],  # the nonce only where a page asks for it
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Seconds a schedule may be solved inside a web request (tilik.web.planning.services); the CLI
# (`tilik schedule`) has no such limit beyond the plan's own options.time_limit.
TILIK_SCHEDULE_TIME_LIMIT = float(os.getenv("TILIK_SCHEDULE_TIME_LIMIT", "10"))

TILIK_HASH_KEY = os.getenv("TILIK_HASH_KEY", "") or SECRET_KEY
TILIK_OUTPUT = Path(
    os.getenv("TILIK_OUTPUT", str(DATA_DIR / "output") if TESTING else "tilik-output")
).resolve()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs 4xx/5xx responses with their path ("Gone: /f/<token>/"): tokens are cut out.
    "filters": {"tokens": {"()": "tilik.web.server.TokenFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["tokens"]}},
    "root": {"handlers": ["console"], "level": os.getenv("TILIK_LOG_LEVEL", "WARNING")},
    # Font loading and CSS notes of the PDF writer are not for the person running Tilik.
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
