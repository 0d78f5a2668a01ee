"""Settings of the TTĐN platform, read from environment variables.

TTDN_DATABASE_URL   database (default: SQLite file var/ttdn.sqlite3, WAL mode)
TTDN_SECRET_KEY     secret key (a development key is used when unset and DEBUG is on)
TTDN_DEBUG          1/true to show debug pages (default off)
TTDN_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
TTDN_VAR_DIR        folder for the SQLite file, uploads and logs (default ./var)
TTDN_REDIS_URL      a shared cache (redis://127.0.0.1:6379/0) for sessions and cached fragments (default: none)
TTDN_TASKS_BACKEND  where background jobs wait: database (default), rq (Redis, TTDN_RQ_URL) or immediate
TTDN_CONN_MAX_AGE   seconds a database connection is kept for the next request (default 60)
TTDN_REMINDER_DAYS  days from a task's due date at which to remind, comma-separated (default -7,-1,1,7)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TTDN_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("TTDN_DEBUG", False)
# The secret key: TTDN_SECRET_KEY, else the key `ttdn setup` wrote into var/ once (make run), else a fixed
# development key, which `ttdn serve` refuses unless debug is on and the production profile refuses always.
DEVELOPMENT_KEY = "ttdn-development-key-not-for-production-use-0123456789abcdefghij"
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("TTDN_SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="ascii").strip()
if not SECRET_KEY:
    SECRET_KEY = DEVELOPMENT_KEY
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("TTDN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",  # django-csp: the Content-Security-Policy header (its checks catch settings of the old form)
    "ttdn.core.apps.AuditLogConfig",  # django-auditlog, named in Vietnamese
    "ttdn.core.apps.AxesConfig",  # django-axes (login throttling), named in Vietnamese
    "django_tasks",
    "ttdn.core.apps.JobsConfig",  # django-tasks-db: the job queue kept in the database, named in Vietnamese
    "ttdn.core",
    "ttdn.orgs",
    "ttdn.accounts",
    "ttdn.notices",
    "ttdn.documents",
    "ttdn.reporting",
    "ttdn.tasks",
    "ttdn.plans",
    "ttdn.monitoring",
    "ttdn.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ttdn.core.middleware.CleanInputMiddleware",
    "ttdn.core.versions.VersionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "ttdn.core.middleware.PrivatePagesMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# Login throttling (django-axes), on the site's login and the admin's: after 5 wrong passwords for one account
# from one address, that account is locked there for 15 minutes; a right password resets the count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("TTDN_LOGIN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("TTDN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Background jobs (bulk imports, the polls of monitoring's sources) through Django's tasks API: kept in the
# database by default and worked by `ttdn worker` (started by `ttdn serve`). TTDN_TASKS_BACKEND=rq keeps them in
# Redis (TTDN_RQ_URL, else TTDN_REDIS_URL, else redis://127.0.0.1:6379/0) for RQ's workers, when one machine is
# outgrown; TTDN_TASKS_BACKEND=immediate runs them in the request instead.
TASKS_BACKEND = os.environ.get("TTDN_TASKS_BACKEND", "database")
if TASKS_BACKEND not in ("database", "rq", "immediate"):
    raise ImproperlyConfigured("TTDN_TASKS_BACKEND is one of database, rq, immediate.")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {
    "default": {
        "URL": os.environ.get("TTDN_RQ_URL")
        or os.environ.get("TTDN_REDIS_URL")
        or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": 900,
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

ROOT_URLCONF = "ttdn.site.urls"
WSGI_APPLICATION = "ttdn.wsgi.application"

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
                "django.template.context_processors.i18n",
                "ttdn.site.context_processors.navigation",
            ],
        },
    }
]


def database_config() -> dict:
    url = os.environ.get("TTDN_DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'ttdn.sqlite3'}"
    # Connections are kept (a new one cost 1.3 ms a request on SQLite, 4-5 ms on PostgreSQL) and checked before
    # reuse, so a database restart costs one failed look, not an error page.
    config = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("TTDN_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Interactive pages run short queries: starting parallel workers costs more than it saves
        # (measured 40 ms on a 50-row search page; see docs/performance.md). Nor is compiling a query (JIT,
        # past a cost the search's priced words reach): 15-50 ms for a query of a few ms.
        config.setdefault("OPTIONS", {})["options"] = "-c max_parallel_workers_per_gather=0 -c jit=off"
    else:
        raise ImproperlyConfigured(f"TTDN_DATABASE_URL: unsupported database engine {config['ENGINE']}")
    return config


DATABASES = {"default": database_config()}
# an index's non-key columns (``include``: the day's counts read from the index alone on PostgreSQL) are left
# out on SQLite, which then reads the row: said once here rather than at every command
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese is the source language of the interface; English is a translation.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are served from the installed package by WhiteNoise; the production
# profile collects them into TTDN_VAR_DIR/static.
STATIC_ROOT = None
STORAGES = {
    "default": {"BACKEND": "ttdn.core.storage.StagedFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# A shared cache (TTDN_REDIS_URL) holds sessions in front of the database; without one, each process has its own
# small cache and sessions stay in the database only (a process's cache could keep a session that another
# process ended at logout).
REDIS_URL = os.environ.get("TTDN_REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ttdn"}
    ),
    # whole pages kept for their reader (ttdn.core.pagecache), apart so that they do not push the fragments out
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ttdn-pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    ),
}
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response, the admin's included: scripts and styles only from the
# site's own files, so no inline <script>, no on...= handler and no style= attribute runs or applies (the pages'
# behaviour is in static/ttdn/app.js; tests/test_csp.py reads the templates). Pictures may also be data: URLs;
# no plugin runs, nothing may frame the site, and forms post only to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
TTDN_SITE_URL = os.environ.get("TTDN_SITE_URL", "http://127.0.0.1:8000")  # links in mails lead here
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("TTDN_FROM_EMAIL", "ttdn@localhost")
TTDN_REMINDER_DAYS = tuple(
    int(d)
    for d in os.environ.get("TTDN_REMINDER_DAYS", "-7,-1,1,7").split(",")
    if d.strip().lstrip("-").isdigit()
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}

CSRF_FAILURE_VIEW = "ttdn.site.views.csrf_failure"
