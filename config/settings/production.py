"""Production: every secret from the environment, HTTPS only, static files from WhiteNoise.
`python manage.py check --deploy` passes with the variables of the README's table set."""

from config.csp import content_security_policy
from config.env import ConfigurationError
from config.settings.storage import file_storage

from .base import *  # noqa: F403
from .base import CSP_IMG_SOURCES, INSTALLED_APPS, SANDBOX_BASE_URL, env, sandbox_fenced

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    raise ConfigurationError(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must list the host names Caigou is served on.")

# ------------------------------------------------------------------------------
# SECURITY
# ------------------------------------------------------------------------------
# Behind a TLS-terminating proxy, Django learns the request was https from this header, which
# the proxy must set (and strip from clients). SECURE_PROXY_SSL_HEADER="" when Caigou serves
# TLS itself.
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER", default="HTTP_X_FORWARDED_PROTO")
SECURE_PROXY_SSL_HEADER = (_proxy_header, "https") if _proxy_header else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer's health checks, and a scraper inside the network (README, Production),
# speak plain http to the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# __Host- cookies: https only, this host only, whole site; a subdomain cannot plant one.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-caigou-session"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-caigou-csrf"

# ------------------------------------------------------------------------------
# UPSTREAM
# ------------------------------------------------------------------------------
UPSTREAM_SANDBOX = env.bool("UPSTREAM_SANDBOX", default=False)
INSTALLED_APPS, DATABASE_ROUTERS = sandbox_fenced(INSTALLED_APPS, UPSTREAM_SANDBOX)
PANDAPON_BASE_URL = env.str("PANDAPON_BASE_URL", default="https://api.pandapon.com")
DAJISAAS_BASE_URL = env.str("DAJISAAS_BASE_URL", default="https://openapi.dajisaas.com")
# Built again now that the sandbox switch is known: base.py assumed the sandbox is on.
CONTENT_SECURITY_POLICY = content_security_policy(
    CSP_IMG_SOURCES, SANDBOX_BASE_URL if UPSTREAM_SANDBOX else None
)

# ------------------------------------------------------------------------------
# FILES
# ------------------------------------------------------------------------------
# Stored files on local disk or in a bucket (config/settings/storage.py): on more than one
# machine, set AWS_STORAGE_BUCKET_NAME. Static files come from WhiteNoise.
STORAGES = {
    "default": file_storage(env),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
