"""Production: every secret from the environment, HTTPS only, static files from WhiteNoise.
`python manage.py check --deploy` passes with the variables of the README's table set."""

from config.env import ConfigurationError

from .base import *  # noqa: F403
from .base import env

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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"

# ------------------------------------------------------------------------------
# UPSTREAM
# ------------------------------------------------------------------------------
UPSTREAM_SANDBOX = env.bool("UPSTREAM_SANDBOX", default=False)
PANDAPON_BASE_URL = env.str("PANDAPON_BASE_URL", default="https://api.pandapon.com")
DAJISAAS_BASE_URL = env.str("DAJISAAS_BASE_URL", default="https://openapi.dajisaas.com")

# ------------------------------------------------------------------------------
# STATIC FILES
# ------------------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
