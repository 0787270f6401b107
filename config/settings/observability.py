"""Logs, metrics, error reports and traces: how each process tells its operators what it does.
Star-imported by base.py; the code is in config/observability/, the how-to in the README
(Production)."""

import ipaddress
import os

import environ

from config.env import ConfigurationError

env = environ.Env()

# ------------------------------------------------------------------------------
# LOGGING
# ------------------------------------------------------------------------------
# `plain` (the default) for a person at a terminal; `json`, one object per line with the
# request id, user, order reference and task id where known, for a log collector.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="plain").lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ConfigurationError(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.observability.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.observability.logs.json_formatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes notes every successful sign-in at INFO; lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}
# A Celery worker replaces the root logger's handlers with its own format unless told not to:
# with JSON logs, its lines go through the handler above like everyone else's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# ------------------------------------------------------------------------------
# METRICS (/metrics, config/observability/metrics.py)
# ------------------------------------------------------------------------------
# A scraper proves itself with `Authorization: Bearer <METRICS_TOKEN>` or by its address; with
# neither set, /metrics answers 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ConfigurationError("METRICS_TOKEN must be at least 32 random characters.")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
for _network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ConfigurationError(
            f"METRICS_ALLOWED_IPS must list addresses or networks, not {_network!r}."
        ) from None
# The same empty directory for every process of one machine (gunicorn's and Celery's workers),
# emptied before they start: prometheus_client then adds up their counters at each scrape.
# prometheus_client reads the variable itself; Caigou reads it to choose how to answer.
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
if PROMETHEUS_MULTIPROC_DIR and not (
    os.path.isdir(PROMETHEUS_MULTIPROC_DIR) and os.access(PROMETHEUS_MULTIPROC_DIR, os.W_OK)
):
    # Caught here rather than at the first counted upstream call or callback.
    raise ConfigurationError(
        "PROMETHEUS_MULTIPROC_DIR must be an existing directory this process can write to."
    )

# ------------------------------------------------------------------------------
# ERROR REPORTS (Sentry)
# ------------------------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")
# Share of requests and tasks Sentry also traces (0: errors only; OpenTelemetry does traces).
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    # Here, while the settings load, as the Django integration asks: every process (web,
    # workers, beat, manage.py) reports from its first line on.
    from config.observability.errors import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

# Traces (OpenTelemetry) are configured by the standard OTEL_* variables alone:
# config/observability/telemetry.py.
