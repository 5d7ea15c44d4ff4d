"""Settings for the Hub JIPP portal, read from the environment.

Two profiles:
- embedded (default): SQLite file in the project folder, Celery tasks run eagerly, e-mail
  printed to the console. Needs no environment at all.
- production (JIPP_PROFILE=production): refuses to start without a strong SECRET_KEY and
  ALLOWED_HOSTS, or with DEBUG on.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is optional; the environment always wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PROFILE = env.str("JIPP_PROFILE", default="embedded")
if PROFILE not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"JIPP_PROFILE must be 'embedded' or 'production', not {PROFILE!r}.")
EMBEDDED = PROFILE == "embedded"

if EMBEDDED:
    SECRET_KEY = env.str("SECRET_KEY", default="embedded-insecure-key-change-me-for-any-real-deployment")
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("The production profile needs SECRET_KEY in the environment.")
    # Django's own rule (check security.W009), enforced instead of warned: sessions, password-reset
    # links and CSRF tokens are signed with this key.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "The production profile needs a SECRET_KEY of at least 50 characters with at least 5 different "
            "ones, not starting with 'django-insecure-'. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("The production profile needs ALLOWED_HOSTS in the environment.")
    DEBUG = env.bool("DEBUG", default=False)
    if DEBUG:
        # Debug pages show settings, SQL and source to anyone who triggers an error.
        raise ImproperlyConfigured(
            "DEBUG must be off under the production profile; use JIPP_PROFILE=embedded to debug."
        )

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_htmx",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "jipp",
    "innovations",
    "catalog",
    "competitions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Keeps the request for the audit log's services (who, from which address).
    "jipp.services.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jipp.urls"
WSGI_APPLICATION = "jipp.wsgi.application"

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
                "jipp.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if USING_POSTGRES:
    # No JIT compilation: the catalogue's counts over 100,000 records are estimated costly enough to be
    # compiled, and compiling took 0.9 s of a 1.7 s query that runs in 0.7 s without it. A connection's
    # `options` replace PGOPTIONS, so those given in the environment are kept in front.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        part for part in (env.str("PGOPTIONS", default=""), _options.get("options", ""), "-c jit=off") if part
    )

AUTH_USER_MODEL = "jipp.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "jipp.permissions.AdminModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Staff come to work: after signing in (without a `next`) each role lands on its dashboard.
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Proxies in front of the site that append the client's address to X-Forwarded-For (nginx:
# proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for). 0: the header is ignored, since any
# client can send it; behind a proxy every client then shares the proxy's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Throttling of failed sign-ins: the 11th attempt for one username from one address within the
# cool-off window is refused, even with the right password; other users at that address (an office
# behind one NAT or proxy) still sign in. A looser limit on all failures from one address pauses
# trying one password on many accounts (jipp.security.SignInLockoutHandler).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "jipp.security.SignInLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "jipp.security.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password-reset e-mails: per e-mail address typed and per client address, within one window.
PASSWORD_RESET_PER_ACCOUNT = env.int("PASSWORD_RESET_PER_ACCOUNT", default=3)
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=20)
PASSWORD_RESET_WINDOW_SECONDS = 3600
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA, the time zone of Sulawesi Barat
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if EMBEDDED
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads above this stream to a temporary file instead of memory; evidence is size-checked before it
# reaches MEDIA_ROOT.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
AGREEMENT_MAX_BYTES = env.int("AGREEMENT_MAX_BYTES", default=10 * 1024 * 1024)
# A photo's width x height is read from its header and refused above this, before any decoding: a
# small compressed file can decode to gigabytes. Pillow's own guard (MAX_IMAGE_PIXELS) follows it.
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# E-mail: EMAIL_URL (e.g. smtp+tls://user:pass@host:587) or the console in embedded mode.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hub JIPP Sulawesi Barat <noreply@jipp.sulbarprov.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Without a timeout a mail server that stops answering would hold a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The portal's address as recipients reach it: the links in e-mails (acknowledgement, attachments).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Dissemination notices (jipp/services/deliveries.py). E-mails a second across all workers (0: no
# limit): a provincial mail server throttles or blocks a sender that floods it.
NOTICE_EMAILS_PER_SECOND = env.int("NOTICE_EMAILS_PER_SECOND", default=20)
# Attempts of one delivery before it fails; a temporary error waits base * 2^(attempt-1) seconds
# (at most the maximum), half of it to all of it at random, before the next one.
NOTICE_DELIVERY_MAX_ATTEMPTS = env.int("NOTICE_DELIVERY_MAX_ATTEMPTS", default=8)
NOTICE_RETRY_BASE_SECONDS = env.int("NOTICE_RETRY_BASE_SECONDS", default=30)
NOTICE_RETRY_MAX_SECONDS = env.int("NOTICE_RETRY_MAX_SECONDS", default=3600)
# How long the signed links of an e-mail (acknowledgement, attachments) stay valid.
NOTICE_LINK_DAYS = env.int("NOTICE_LINK_DAYS", default=60)

# Celery: without a broker every task runs eagerly in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = (
    env.str(
        "CELERY_RESULT_BACKEND",
        default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "",
    )
    or None
)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# The queue tasks go to unless sent elsewhere: the worker tests give their own worker a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # With acks late, a task whose worker died is handed out again after this long (Redis' default
    # is an hour). Longer than any task runs: imports write in chunks and report a heartbeat, and the
    # import sweeper below recovers a dead worker's batch sooner.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60),
    # Sending a task when the broker is down fails within about a second instead of twenty; the
    # caller keeps its work and sends it later (see jipp.broker.enqueue).
    "socket_connect_timeout": 2,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    # Imports whose worker vanished, or that could not be sent, are sent again (docs/import.md).
    "sweep-imports": {"task": "innovations.sweep_imports", "schedule": 60.0},
    # Previews of photos whose task was lost (the broker was down at upload, a worker died).
    "sweep-evidence-previews": {"task": "innovations.sweep_evidence_previews", "schedule": 900.0},
    # Notices: scheduled ones that are due, and deliveries no worker has (jipp/services/deliveries.py).
    "sweep-notices": {"task": "jipp.sweep_notices", "schedule": 60.0},
    "remind-notices": {"task": "jipp.remind_notices", "schedule": crontab(minute=20)},
    "notice-digests": {"task": "jipp.send_notice_digests", "schedule": crontab(hour=7, minute=0)},
    "clear-expired-sessions": {
        "task": "jipp.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# How long a process uses the catalogue's version it read without asking again (catalog.freshness):
# a page served from the cache then asks the database nothing; other processes' publications show
# within this bound, the process's own at once.
CATALOG_VERSION_MEMO_SECONDS = env.float("CATALOG_VERSION_MEMO_SECONDS", default=1.0)
# Room in each process for copies of the public pages it served lately (catalog.freshness), so that a
# popular page is not read from Redis and unpickled for every request; 0: none.
PAGE_COPY_BYTES = env.int("PAGE_COPY_BYTES", default=4_000_000)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis outage must not turn pages into 500s: an unreachable cache holds nothing (jipp/cache.py),
    # and gives up within a second or two instead of the system's TCP timeout.
    CACHES["default"]["BACKEND"] = "jipp.cache.TolerantRedisCache"
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        **CACHES["default"].get("OPTIONS", {}),
    }

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # No HTTP Basic: passwords are typed only into the sign-in page, where axes throttles them; an API
    # for staff would ride on their session (with its CSRF check).
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # Errors stay JSON for API clients, a database outage included (503).
    "EXCEPTION_HANDLER": "jipp.views.api_exception_handler",
    # The open-data API is public: anonymous clients are limited per address (429 with Retry-After).
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/minute")},
    # Without it DRF takes the client's address from X-Forwarded-For as sent, so a client could
    # dodge the rate limit by writing a new address in every request.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hub JIPP Sulawesi Barat API",
    "VERSION": "1.0.0",
    # The docs pages use Swagger UI and Redoc from drf-spectacular-sidecar: served by us, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema and docs are public like the API: they read no session or credentials.
    "SERVE_AUTHENTICATION": [],
    # Besides the default enum hook: an empty query value means "not given" (catalog/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "catalog.openapi.allow_empty_query_values",
    ],
    # Several models have a "kind" or "status" field with different choices: name each enum once.
    "ENUM_NAME_OVERRIDES": {
        "InnovationKindEnum": "innovations.models.Kind",
        "EvidenceKindEnum": "innovations.models.Evidence.Kind",
        "InstitutionKindEnum": "jipp.models.Institution.Kind",
        "SustainabilityStatusEnum": "innovations.models.SustainabilityStatus",
        "InnovationStageEnum": "innovations.models.Stage",
        "CompetitionStageEnum": "competitions.models.Stage.Kind",
    },
}

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from this site, and
# nothing inline: templates keep code in static/js and styles in static/css, and htmx runs without
# eval (templates/base.html). The API docs pages add what Swagger UI and Redoc need
# (catalog/urls_neutral.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Django's default, stated: a page this site opens in another window cannot reach back into it.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not EMBEDDED:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Off by default: a government proxy often terminates TLS and redirects itself, and HSTS cannot be
    # taken back once browsers have seen it. Turn both on once the site is served only over HTTPS.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    # HSTS covers the portal's own subdomains (none are served over plain HTTP). Preloading is for a
    # registrable domain that its owner submits to the browsers' list (sulbarprov.go.id, not the
    # portal's host), so it stays off and its deploy warning is silenced unless it is turned on.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if SESSION_COOKIE_SECURE:
        # __Host- cookies are accepted by browsers only when Secure, for the whole site (Path=/) and
        # without a Domain: a sibling subdomain or a plain-HTTP page cannot plant or overwrite them.
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

SITE_NAME = _("Hub JIPP Sulawesi Barat")
