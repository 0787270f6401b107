"""Celery tasks, observed through Celery's signals: each run's id and name on its log lines,
and Prometheus series of runs by task name and final state, with their durations.

A task run in the process that sent it (no broker: `make run`, the tests) runs inside the
request that sent it: it adds its id to the request's context and gives it back afterwards.
"""

from __future__ import annotations

import time
from typing import Any

from celery.signals import task_postrun, task_prerun
from prometheus_client import Counter, Histogram

from upstream import logcontext

TASK_RUNS = Counter(
    "caigou_task_runs",
    "Celery task runs by task name and final state (SUCCESS, FAILURE, RETRY...).",
    ["task", "state"],
)
TASK_SECONDS = Histogram(
    "caigou_task_seconds",
    "How long Celery task runs took, by task name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 180.0, 600.0),
)

# task id -> (when it started, the log context before it); a worker runs few tasks at once.
_running: dict[str, tuple[float, dict[str, str]]] = {}


@task_prerun.connect(dispatch_uid="caigou-task-started")
def task_started(task_id: str, task: Any, **kwargs: Any) -> None:
    _running[task_id] = (time.monotonic(), logcontext.current())
    logcontext.bind(task_id=task_id, task_name=task.name)


@task_postrun.connect(dispatch_uid="caigou-task-finished")
def task_finished(task_id: str, task: Any, state: str | None = None, **kwargs: Any) -> None:
    started, before = _running.pop(task_id, (None, {}))
    if started is not None:
        TASK_SECONDS.labels(task.name).observe(time.monotonic() - started)
    TASK_RUNS.labels(task.name, state or "UNKNOWN").inc()
    logcontext.clear()
    logcontext.bind(**before)
