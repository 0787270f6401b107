"""Settings for the benchmarks' gunicorn: the local settings, DEBUG off, quiet logs, and a URLconf
that adds a bare view beside Caigou's own."""

from config.settings.local import *  # noqa: F403
from config.settings.local import LOGGING

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.site_urls"
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
