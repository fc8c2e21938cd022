"""Settings for the Council Plan performance tracker, all read from the environment.

Every variable is listed in README.md. Production needs SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL; the demo (`make run`) and the tests need none of them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from stockport_plan.env import env_bool, env_int, env_list, env_pairs, env_str
from stockport_plan.file_storage import default_storage_from_env, storage_kind

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# DEMO marks a machine that runs on synthetic demo data (set by `make run`): pages say so.
DEMO = env_bool("DEMO", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or DEMO):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
            "or set DEBUG=1 for a development machine."
        )
    # Only with DEBUG or DEMO on (see above); production refuses to start without its own key.
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105 - dev only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "axes",
    "stockport_plan",
    "core",
    "ambitions",
    "measures",
    "portfolios",
    "agreements",
    "resources",
    "dashboards",
    "scrutiny",
    "reports",
    "accounts",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SignInExpiry",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "stockport_plan.security.SecurityHeadersMiddleware",
    "stockport_plan.busy.DatabaseBusyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while locked out
    # Passwords: refuses inactive accounts, and with LOCAL_SIGN_IN=administrators everyone else.
    "accounts.backends.PasswordBackend",
]

ROOT_URLCONF = "stockport_plan.urls"
WSGI_APPLICATION = "stockport_plan.wsgi.application"

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
                "stockport_plan.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the write lock when their transaction begins and wait up to 20 s for it,
    # instead of failing at once with "database is locked" when two save at the same moment;
    # WAL lets pages be read while someone saves. Anything that still cannot get the lock is
    # answered with a "try again" page (stockport_plan.busy), never a server error.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Reports, uploads and open data: local disk, Azure Blob Storage or S3 (file_storage.py).
    "default": default_storage_from_env(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
FILE_STORAGE = storage_kind()

# Where `load_plan` reads the plan from (see fixtures/README.md).
PLAN_FIXTURES_DIR = Path(env_str("PLAN_FIXTURES_DIR", str(BASE_DIR / "fixtures")))

# Celery: with no REDIS_URL, tasks run in-process so the demo needs no broker or worker.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Behind a TLS-terminating proxy, set HTTPS=1: cookies become secure and HTTP redirects to HTTPS.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe each node over plain HTTP on the private network: answer, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Sessions end after SESSION_IDLE_SECONDS without a request, at sign-out, and when the browser
# closes; Django gives a new session key at every sign-in.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in protection (django-axes): 5 failures for one username from one address lock that
# pair out for AXES_COOLOFF_MINUTES. Locking the pair means an attacker cannot lock a person
# out from everywhere, and the address comes from security.client_ip, which a forged
# X-Forwarded-For cannot change (set TRUSTED_PROXY_COUNT behind a load balancer).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "stockport_plan.security.axes_client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_WHITELIST_CALLABLE = "accounts.sso.not_a_password_sign_in"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "measures:start"
LOGOUT_REDIRECT_URL = "ambitions:home"

# Single sign-on with the council's accounts (OpenID Connect, accounts/sso.py; SECURITY.md):
# off unless OIDC_ISSUER is set. The endpoints come from the issuer's discovery document.
OIDC_ISSUER = env_str("OIDC_ISSUER").strip().rstrip("/")
SSO_ENABLED = bool(OIDC_ISSUER)
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
_LOOPBACK = ("http://127.0.0.1", "http://localhost")  # a provider on this machine (tests)
if SSO_ENABLED and not DEBUG and not OIDC_ISSUER.startswith(("https://", *_LOOPBACK)):
    raise ImproperlyConfigured("OIDC_ISSUER must be https:// (the client secret crosses it).")
if SSO_ENABLED and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # for RP-initiated logout's id_token_hint
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 120)
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_ROLES = env_pairs("OIDC_GROUP_ROLES")
_ROLE_KEYS = {"officer", "performance_team", "councillor", "scrutiny_member", "administrator"}
if unknown := sorted(set(OIDC_GROUP_ROLES.values()) - _ROLE_KEYS):
    raise ImproperlyConfigured(
        f"OIDC_GROUP_ROLES names no such role: {', '.join(unknown)} "
        f"(use {', '.join(sorted(_ROLE_KEYS))})."
    )
OIDC_COMMITTEE_GROUPS = env_pairs("OIDC_COMMITTEE_GROUPS")
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USERS", True)
LOCAL_SIGN_IN = env_str("LOCAL_SIGN_IN", "everyone").strip().lower()
if LOCAL_SIGN_IN not in ("everyone", "administrators"):
    raise ImproperlyConfigured(f"LOCAL_SIGN_IN={LOCAL_SIGN_IN!r}: use everyone or administrators.")
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.sso.CouncilAccountBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint, fontTools and the Azure SDK (every HTTP request) narrate at INFO: only their
    # warnings are news.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "azure")},
}

# Returns for a period are due this many days after it ends (each period's deadline is editable).
READING_DEADLINE_DAYS = env_int("READING_DEADLINE_DAYS", 30)
# Bulk upload limits, checked before a file is parsed.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 20000)
# Uploaded files and their rows are deleted this many days after upload (the record stays).
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 30)
# Report requests one person may make in an hour (the same report already being made is not
# made again, however often it is asked for).
REPORT_REQUESTS_PER_HOUR = env_int("REPORT_REQUESTS_PER_HOUR", 20)

# Scrutiny reports (Celery): a run queued or running this long without finishing is re-sent
# by the sweeper; after REPORT_MAX_ATTEMPTS it is failed with a message.
REPORT_STUCK_AFTER_SECONDS = env_int("REPORT_STUCK_AFTER_SECONDS", 600)
REPORT_MAX_ATTEMPTS = env_int("REPORT_MAX_ATTEMPTS", 3)
REPORT_RETRY_BASE_SECONDS = env_int("REPORT_RETRY_BASE_SECONDS", 10)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "stockport_plan")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-reports": {
        "task": "reports.tasks.reports_sweep",
        "schedule": float(env_int("REPORT_SWEEP_SECONDS", 60)),
    },
    "remind-officers": {
        "task": "measures.tasks.reminders_send",
        "schedule": crontab(hour=8, minute=0),
    },
    "performance-team-digest": {
        "task": "measures.tasks.digest_send",
        "schedule": crontab(hour=7, minute=30),
    },
    "open-data-nightly": {
        "task": "dashboards.tasks.open_data_publish",
        "schedule": crontab(hour=3, minute=0),
    },
    "purge-old-uploads": {
        "task": "measures.tasks.uploads_purge",
        "schedule": crontab(hour=2, minute=15),
    },
}

# Email: reminders and digests. The console backend prints them (the demo's default).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # filebased backend
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "performance@council.invalid")
# Officers are reminded this many days before a deadline, and chased every day after it.
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 7)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
