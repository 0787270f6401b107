"""The Celery application: `celery -A config worker` and `celery -A config beat`."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init, worker_process_init

from config.observability import tasks as _observed  # noqa: F401 - connects the task signals
from config.observability import telemetry

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("caigou")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_worker(**kwargs) -> None:
    from config.startup import refuse_unsafe_start

    refuse_unsafe_start("the worker")


@beat_init.connect
def _refuse_unsafe_beat(**kwargs) -> None:
    from config.startup import refuse_unsafe_start

    refuse_unsafe_start("beat")


@worker_process_init.connect(dispatch_uid="caigou-telemetry-prefork")
def _trace_pool_process(**kwargs: object) -> None:
    """Each prefork pool process starts its own exporter after the fork."""
    telemetry.init_from_environment()


@worker_init.connect(dispatch_uid="caigou-telemetry-worker")
def _trace_worker(sender: object = None, **kwargs: object) -> None:
    """Pools that do not fork (solo, threads) run tasks in the worker's own process."""
    if "prefork" not in str(getattr(sender, "pool_cls", "prefork")):
        telemetry.init_from_environment()
