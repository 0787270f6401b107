"""The beat schedule, run inside the web server when there is no Celery beat.

`make run` has no broker, worker or beat: tasks run in the process that sends them. So that the
sweepers, the reconciler and webhook retries still run there, `config.wsgi` starts this thread
when CAIGOU_BEAT_IN_PROCESS is on (by default: DEBUG on and no REDIS_URL). It runs each entry of
CELERY_BEAT_SCHEDULE at its interval, one at a time, and logs a failure without stopping.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any

from celery.schedules import maybe_schedule
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger("backoffice.beat")
_started = threading.Event()


def start() -> bool:
    """Start the thread once per process; False when it is off or already running."""
    if not settings.CAIGOU_BEAT_IN_PROCESS or _started.is_set():
        return False
    _started.set()
    threading.Thread(target=_run, name="caigou-beat", daemon=True).start()
    return True


def _run() -> None:
    schedules = beat_schedules()
    last_run: dict[str, datetime] = dict.fromkeys(schedules, timezone.now())
    while True:
        time.sleep(5)
        run_due(schedules, last_run)


def beat_schedules() -> dict[str, tuple[str, Any, dict]]:
    """`{name: (task name, schedule, kwargs)}` of CELERY_BEAT_SCHEDULE, with every task
    registered: a worker imports each app's tasks module when it starts, and this process has
    no worker, so a task module nothing had imported yet would be "not registered"."""
    from celery import current_app as app

    app.loader.import_default_modules()
    return {
        name: (entry["task"], maybe_schedule(entry["schedule"]), entry.get("kwargs", {}))
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    }


def run_due(schedules: dict, last_run: dict[str, datetime]) -> list[str]:
    """Run the entries that are due (`{name: (task name, schedule, kwargs)}`), one at a time;
    update `last_run` and return the names run."""
    from celery import current_app as app

    ran = []
    for name, (task_name, schedule, kwargs) in schedules.items():
        if not schedule.is_due(last_run[name]).is_due:
            continue
        last_run[name] = timezone.now()
        ran.append(name)
        try:
            app.tasks[task_name].apply(kwargs=kwargs, throw=True)
        except Exception:
            logger.exception("scheduled task %s failed", task_name)
        finally:
            close_old_connections()
    return ran
