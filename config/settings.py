"""Bồi Dưỡng settings: one file, read from the environment.

With no environment at all it runs on SQLite with eager Celery tasks and a
local-memory cache, so `make demo` needs no other service. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=False.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# `make bench` only: mounts the hello-world ceiling view (config/bench.py).
BENCHMARK = env.bool("BENCHMARK", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-dev-only-key-change-me" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Unset, the address follows the server's HOST and PORT (`make demo PORT=8111`), so
# the links and QR codes the demo prints and embeds point at the server it runs.
SITE_URL = env.str(
    "SITE_URL",
    default=f"http://{env.str('HOST', default='127.0.0.1')}:{env.str('PORT', default='8000')}",
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "treebeard",
    "axes",
    "csp",
    "accounts",
    "courses",
    "courses.reports",
    "courses.certificates",
    "quizzes",
    "training",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.fastauth.CachedUserAuthenticationMiddleware",  # request.user without a query
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.CachedPolicyCSPMiddleware",  # django-csp, its header built once
    "axes.middleware.AxesMiddleware",
    # Last: sees the view's exception first (a dropped database connection -> 503).
    "config.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL from DATABASE_URL. Persistent
# connections with health checks: no reconnect per request, and a connection
# killed under us is replaced on the next request instead of failing it.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction pooling a server-side cursor cannot outlive its
# transaction's server connection: set this to True there (README, capacity guide).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DISABLE_SERVER_SIDE_CURSORS", default=False
)
# The exam wave's hot statements (save, start, submit: config.sql.server_binding_cursor)
# are prepared once per connection; psycopg drops the least used beyond 100. Behind
# PgBouncer in transaction pooling that needs PgBouncer 1.21+ with
# max_prepared_statements set, else DATABASE_PREPARED=False (README, capacity guide).
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        0 if env.bool("DATABASE_PREPARED", default=True) else None
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# Redis: Celery broker and cache. Absent: eager tasks and a local cache.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a request when Redis is down: fail fast, the
# sweepers pick up whatever was not enqueued.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    # How long an unacknowledged (acks_late) message waits before Redis hands
    # it to another worker after its worker died; the worker tests shorten it.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
CELERY_BEAT_SCHEDULE["certificates-sweep"] = {
    "task": "courses.certificates.tasks.sweep_certificates",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["certificates-expiry"] = {
    "task": "courses.certificates.tasks.send_expiry_reminders",
    "schedule": 6 * 3600.0,
}
CELERY_BEAT_SCHEDULE["reports-purge-exports"] = {
    "task": "courses.reports.tasks.purge_exports",
    "schedule": 3600.0,
}
# Learners waiting for a quiz to open are let in over this many seconds after
# the open time (each page picks its moment at random): a cohort of N arrives
# at about N / spread starts per second.
QUIZ_OPEN_SPREAD_SECONDS = env.int("QUIZ_OPEN_SPREAD_SECONDS", default=10)
# Report files (gradebook, roll-up...) hold personal data: kept this long, then deleted.
REPORT_EXPORT_TTL_HOURS = env.int("REPORT_EXPORT_TTL_HOURS", default=24)
# Optional Celery queue for report exports (big XLSX files): dedicated workers.
REPORTS_QUEUE = env.str("REPORTS_QUEUE", default="")
CELERY_BEAT_SCHEDULE["courses-deadline-reminders"] = {
    # Daily at 07:00 (CELERY_TIMEZONE); safe to run more often: nothing is sent twice.
    "task": "courses.tasks.send_deadline_reminders",
    "schedule": crontab(hour=7, minute=0),
}
CELERY_BEAT_SCHEDULE["courses-sweep-completions"] = {
    # Passes whose completion task was never published (courses.services.sweep_completions).
    "task": "courses.tasks.sweep_completions",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["training-session-reminders"] = {
    # The day-before reminder of training sessions; each registration is reminded
    # once per start time, so running hourly (or twice) sends nothing twice.
    "task": "training.tasks.send_session_reminders",
    "schedule": crontab(minute=5),
}
CELERY_BEAT_SCHEDULE["quizzes-finalise-overdue"] = {
    # Attempts whose time ran out are also finalised lazily when next touched.
    "task": "quizzes.tasks.finalise_overdue_attempts",
    "schedule": 30.0,
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # Our users have one full_name, not first/last names.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "email"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "frontend:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions live in a signed cookie: no database or Redis round trip on any
# request (the answer-save hot path included), and logins survive a Redis
# outage. Password changes still end every session (session auth hash).
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login lockout per username and per client address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Certificates: the Ed25519 signing key (PEM text, or a PEM file; in DEBUG a
# key is generated into the file on first use) and an optional Celery queue
# for the PDF work. PDFs go to STORAGES["certificates"] when defined (e.g. a
# private S3 bucket), else MEDIA_ROOT/private.
CERTIFICATE_SIGNING_KEY = env.str("CERTIFICATE_SIGNING_KEY", default="")
CERTIFICATE_SIGNING_KEY_FILE = env.str(
    "CERTIFICATE_SIGNING_KEY_FILE",
    default=str(MEDIA_ROOT / "private" / "certificate-signing-key.pem"),
)
CERTIFICATES_QUEUE = env.str("CERTIFICATES_QUEUE", default="")
# PDF rendering on a queue of its own keeps issuing fast during an exam wave.
CERTIFICATES_RENDER_QUEUE = env.str("CERTIFICATES_RENDER_QUEUE", default="")
CERTIFICATE_VERIFY_RATE = env.int("CERTIFICATE_VERIFY_RATE", default=30)  # lookups/minute/client

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Bồi Dưỡng <no-reply@boiduong.local>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a bad token is a 401 with WWW-Authenticate, not a 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"verify": "30/min", "token": "20/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bồi Dưỡng API",
    "DESCRIPTION": "Courses, quizzes and certificates for newly appointed party committee members.",
    "VERSION": "1.0.0",
    "PATH_CONVERTER_OVERRIDES": {"id": int},  # config.ids.IdConverter: an integer id
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {"ReviewWhenEnum": "quizzes.models.quiz.ReviewWhen"},
}

# Content-Security-Policy: no inline script anywhere; htmx is configured
# (meta htmx-config) not to inject styles or evaluate code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
