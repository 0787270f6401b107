"""Settings shared by every environment. Each value comes from the environment, with a default
that lets `make run` work with nothing set; production.py only tightens what must be set."""

from datetime import timedelta
from pathlib import Path

import environ

from config.csp import content_security_policy
from config.env import ConfigurationError, database_config, redis_url
from config.settings.caigou import *  # noqa: F403  (the business rules, below)
from config.settings.caigou import CAIGOU_BEAT_SCHEDULE
from config.settings.observability import *  # noqa: F403  (logs, metrics, errors, traces)
from config.settings.queues import *  # noqa: F403  (the Celery queues and routes)
from config.settings.storage import file_storage
from upstream import demo, signing

# ------------------------------------------------------------------------------
# PATHS
# ------------------------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

# ------------------------------------------------------------------------------
# CORE
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Staff read English or Simplified Chinese: the browser's language first, then the one a person
# chose (backoffice/language.py); the catalogue is locale/ (`make messages` refreshes it).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
if CAIGOU_SELLER_LANGUAGE not in dict(LANGUAGES):  # noqa: F405  (from caigou.py)
    raise ConfigurationError(
        f"CAIGOU_SELLER_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}, "
        f"not {CAIGOU_SELLER_LANGUAGE!r}."  # noqa: F405
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "purchasing.admin_site.CaigouAdminConfig",  # django.contrib.admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "backoffice.lockout_app.LockoutConfig",  # django-axes, named for staff
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "upstream",
    "purchasing",
    "carts",
    "aftersales",
    "logistics",
    "storefront",
    "reports",
    "backoffice",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (config/observability/web.py).
    "config.observability.web.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backoffice.language.ChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads a body; after the user and messages, which its refusal page shows.
    "config.request_size.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# ------------------------------------------------------------------------------
# DATABASE
# ------------------------------------------------------------------------------
DATABASES = {
    "default": database_config(
        env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'caigou.sqlite3'}")
    )
}
# Behind PgBouncer in transaction pooling, a server-side cursor (what `.iterator()` reads
# through) outlives its transaction on a server connection the next client may be given:
# DISABLE_SERVER_SIDE_CURSORS=true makes every `.iterator()` fetch through an ordinary cursor.
# The exports' COPY reads need no cursor either way (reports/exports/writers.py).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DISABLE_SERVER_SIDE_CURSORS", default=False
)

# ------------------------------------------------------------------------------
# CACHE AND REDIS
# ------------------------------------------------------------------------------
# With REDIS_URL set, Redis is the cache, the Celery broker and result backend, and the store
# of the upstream rate limits shared by every process. Without it, everything stays in-process.
REDIS_URL = redis_url(env.str("REDIS_URL")) if env.str("REDIS_URL", default="") else ""

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "caigou",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# ------------------------------------------------------------------------------
# CELERY
# ------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# No broker configured: tasks run in the calling process, so `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
# Far above the longest task, so Redis never hands a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# The queues by kind of work, and which task goes where: config/settings/queues.py.
# Each section adds its own periodic tasks; the business rules' come from caigou.py.
CELERY_BEAT_SCHEDULE: dict = {**CAIGOU_BEAT_SCHEDULE}

# ------------------------------------------------------------------------------
# STATIC FILES AND TEMPLATES
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Local disk, or an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (storage.py).
STORAGES = {
    "default": file_storage(env),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

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
                "backoffice.navigation.navigation",
                "purchasing.context_processors.display_currency",
                "aftersales.context_processors.action_needed",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# AUTH AND SESSIONS
# ------------------------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes guards every login (staff pages and admin) before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A session lasts a working day from sign-in; the cookies never reach JavaScript or another site.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
# HTMX sends the token from the page (hx-headers on <body>), so no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# ------------------------------------------------------------------------------
# LOGIN THROTTLING (django-axes)
# ------------------------------------------------------------------------------
# After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# locked for the cool-off; an admin unlocks it sooner under Admin -> Axes -> Access attempts.
# Keyed on username and address together, so a stranger cannot lock a colleague out from afar.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A failure while locked does not restart the cool-off: the page can say when to come back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The address is the socket's unless the operator says how many proxies in front append to
# X-Forwarded-For (config/client_ip.py): a header anyone can send never picks the address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ConfigurationError("TRUSTED_PROXY_COUNT must be 0 or the number of proxies in front.")
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# ------------------------------------------------------------------------------
# REQUEST SIZE
# ------------------------------------------------------------------------------
# The whole body of any request, files included: a larger one is answered 413 before it is read
# (config/request_size.py). The reverse proxy may cap it lower still (see README, Security).
CAIGOU_MAX_UPLOAD_BYTES = env.int("CAIGOU_MAX_UPLOAD_BYTES", default=16 * 1024 * 1024)
# Form and JSON bodies (uploaded files are counted apart, and each upload form checks its own
# limit); a larger body is refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# An uploaded file larger than this goes to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=20)
# Upstream callbacks are small JSON or form posts; a larger one is refused with 413 unread.
CAIGOU_CALLBACK_MAX_BYTES = env.int("CAIGOU_CALLBACK_MAX_BYTES", default=256 * 1024)
# How pushes are trusted. `signed` (the default): a push whose signature does not verify is
# refused with 401. `verify_by_query`, should the upstream's pushes turn out unsigned: such a push
# is stored and answered, never applied; it only makes Caigou read that order from the upstream.
CALLBACK_AUTH = env.str("CALLBACK_AUTH", default="signed").lower()
if CALLBACK_AUTH not in ("signed", "verify_by_query"):
    raise ConfigurationError(
        f"CALLBACK_AUTH must be signed or verify_by_query, not {CALLBACK_AUTH!r}."
    )
# A stored callback that fails to apply this many times is parked for a person (the admin and
# the exceptions queue list it, with a retry button) instead of being tried again for ever.
CAIGOU_CALLBACK_MAX_ATTEMPTS = max(1, env.int("CAIGOU_CALLBACK_MAX_ATTEMPTS", default=4))
# Handled callbacks are deleted this many days after they came, once a day; parked and
# unapplied ones stay until a person has dealt with them.
CAIGOU_CALLBACK_KEEP_DAYS = max(1, env.int("CAIGOU_CALLBACK_KEEP_DAYS", default=30))
CELERY_BEAT_SCHEDULE["purchasing-purge-upstream-messages"] = {
    "task": "purchasing.purge_upstream_messages",
    "schedule": 24 * 3600,
}

# ------------------------------------------------------------------------------
# UPSTREAM
# ------------------------------------------------------------------------------
# Without credentials, both providers point at the sandbox mounted in this same server, with
# demo credentials. The sandbox accepts whatever account these settings name.
PORT = env.int("PORT", default=8000)
UPSTREAM_SANDBOX = env.bool("UPSTREAM_SANDBOX", default=True)


def sandbox_fenced(apps: list[str], on: bool) -> tuple[list[str], list[str]]:
    """INSTALLED_APPS and DATABASE_ROUTERS with the simulator in them only while it is on: off,
    it is not installed, routed or migrated, so production never creates its tables. Its models
    go to a `sandbox` database when there is one (`make run`), else to default."""
    apps = [app for app in apps if app != "upstream.sandbox"]
    if not on:
        return apps, []
    return [*apps, "upstream.sandbox"], ["upstream.sandbox.db.SandboxRouter"]


INSTALLED_APPS, DATABASE_ROUTERS = sandbox_fenced(INSTALLED_APPS, UPSTREAM_SANDBOX)
SANDBOX_BASE_URL = env.str("SANDBOX_BASE_URL", default=f"http://127.0.0.1:{PORT}")
PANDAPON_BASE_URL = env.str("PANDAPON_BASE_URL", default=f"{SANDBOX_BASE_URL}/sandbox/pandapon")
# The demo account (upstream/demo.py): the sandbox accepts it, and start-up refuses it when
# the sandbox is off (upstream/checks.py).
PANDAPON_ACCESS_KEY = env.str("PANDAPON_ACCESS_KEY", default=demo.PANDAPON_ACCESS_KEY)
PANDAPON_SECRET = env.str("PANDAPON_SECRET", default=demo.PANDAPON_SECRET)
PANDAPON_USER_ID = env.str("PANDAPON_USER_ID", default=demo.SAMPLE_USER_ID)
# How PandaPon signatures are built (upstream-api.md 1.3 and 6.1): settings, so a fix needs no
# code. The fields as written in the string (header names or camelCase), the secret's name
# (empty: the bare secret), where it goes (end, start, both) and the digest's case. The three
# secret settings are kept as one SecretForm, `key:position:case`, which the client, the
# callback view and the sandbox all read.
try:
    PANDAPON_SIGN_FIELDS = signing.sign_fields(
        env.list("PANDAPON_SIGN_FIELDS", default=list(signing.DEFAULT_PANDAPON_SIGN_FIELDS))
    )
    PANDAPON_SIGN_SECRET_KEY = signing.secret_form(
        env.str("PANDAPON_SIGN_SECRET_KEY", default=signing.DEFAULT_PANDAPON_SECRET_KEY),
        env.str("PANDAPON_SIGN_SECRET_POSITION", default="end"),
        env.str("PANDAPON_SIGN_HEX_CASE", default="upper"),
    )
except signing.SignRuleError as exc:
    raise ConfigurationError(str(exc)) from None
DAJISAAS_BASE_URL = env.str("DAJISAAS_BASE_URL", default=f"{SANDBOX_BASE_URL}/sandbox/dajisaas")
DAJISAAS_APP_KEY = env.str("DAJISAAS_APP_KEY", default=demo.DAJISAAS_APP_KEY)
DAJISAAS_APP_SECRET = env.str("DAJISAAS_APP_SECRET", default=demo.DAJISAAS_APP_SECRET)
# `sign` (upstream-api.md 2.2) or `app_secret`: the documented debug form, the secret itself in
# every request, for an account where the sign rule is refused.
DAJISAAS_AUTH = env.str("DAJISAAS_AUTH", default="sign").lower()
if DAJISAAS_AUTH not in signing.DAJISAAS_AUTH_FORMS:
    raise ConfigurationError(f"DAJISAAS_AUTH must be sign or app_secret, not {DAJISAAS_AUTH!r}.")
UPSTREAM_PROVIDER_1688 = env.str("UPSTREAM_PROVIDER_1688", default="pandapon")
UPSTREAM_CONNECT_TIMEOUT = env.float("UPSTREAM_CONNECT_TIMEOUT", default=3.05)
UPSTREAM_READ_TIMEOUT = env.float("UPSTREAM_READ_TIMEOUT", default=15.0)
UPSTREAM_READ_ATTEMPTS = env.int("UPSTREAM_READ_ATTEMPTS", default=3)
UPSTREAM_RATE_LIMIT_PER_S = env.float("UPSTREAM_RATE_LIMIT_PER_S", default=10.0)
UPSTREAM_RATE_LIMIT_WAIT_S = env.float("UPSTREAM_RATE_LIMIT_WAIT_S", default=2.0)
UPSTREAM_JOURNAL_DAYS = env.int("UPSTREAM_JOURNAL_DAYS", default=30)
# Once a day, Celery beat deletes call journal entries older than UPSTREAM_JOURNAL_DAYS.
CELERY_BEAT_SCHEDULE["upstream-purge-call-journal"] = {
    "task": "upstream.purge_call_journal",
    "schedule": 24 * 3600,
}
# Where the sandbox posts its callbacks (the provider's name is appended), and how fast it
# retries them: seconds here where the real upstream waits 30 minutes.
SANDBOX_CALLBACK_URL = env.str("SANDBOX_CALLBACK_URL", default=f"{SANDBOX_BASE_URL}/callbacks/")
# Scripts and tests reach the sandbox's control API with this as `Authorization: Bearer ...`;
# empty (the default), only a signed-in administrator can.
SANDBOX_CONTROL_TOKEN = env.str("SANDBOX_CONTROL_TOKEN", default="")
SANDBOX_CALLBACK_RETRY_S = env.float("SANDBOX_CALLBACK_RETRY_S", default=2.0)
# Off: callbacks are stored in the sandbox outbox but not sent (tests turn delivery on per test).
SANDBOX_CALLBACKS_ENABLED = env.bool("SANDBOX_CALLBACKS_ENABLED", default=True)
# `rich`: the sandbox keeps our contract (upstream-api.md 6); `documented`: only what the pages
# document (7.1), and orders placed by others on the account (upstream/sandbox/profile.py).
SANDBOX_PROFILE = env.str("SANDBOX_PROFILE", default="rich")

# ------------------------------------------------------------------------------
# CONTENT SECURITY POLICY
# ------------------------------------------------------------------------------
# Pages run only our own script and style files: no inline script, <style>, style= or on*=
# attribute anywhere (HTMX is told not to inject its indicator style, see base.html). Product
# pictures come from the upstream's CDNs over https (many hosts, changing), so any https
# image is allowed (an image runs no code); the sandbox serves its own pictures from
# SANDBOX_BASE_URL, which may be another origin than the page (127.0.0.1 against localhost),
# allowed only while the sandbox is on (production builds the policy again after its own
# switch). data: and blob: are the picture-search preview.
CSP_IMG_SOURCES = env.list("CSP_IMG_SOURCES", default=["https:"])
CONTENT_SECURITY_POLICY = content_security_policy(
    CSP_IMG_SOURCES, SANDBOX_BASE_URL if UPSTREAM_SANDBOX else None
)

# ------------------------------------------------------------------------------
# STOREFRONT API
# ------------------------------------------------------------------------------
# The storefront's REST API (/api/v1/): its own key authentication, one error shape, per-key
# throttling. Staff pages do not use DRF.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Caigou storefront API",
    "DESCRIPTION": "Push customer orders in, follow them, look up goods and freight.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Requests per key to the storefront API; above it, 429 with Retry-After.
CAIGOU_STOREFRONT_API_RATE = env.str("CAIGOU_STOREFRONT_API_RATE", default="120/min")
