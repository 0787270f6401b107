"""LOG_FORMAT=json in a real Celery worker: the worker's own lines and a task's, each one JSON
object, the task's with its id and name. Needs PostgreSQL and Redis (skipped without them,
failed in CI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from config.celery_app import app as celery_app
from tests.config.factories import ROOT


def worker_env(settings) -> dict[str, str]:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db.get("PASSWORD") else "")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "LOG_FORMAT": "json",
        "PYTHONWARNINGS": "ignore",  # Python's own warnings are not log lines
    }


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_worker_writes_json_lines_with_the_task_id(transactional_db, settings, tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("a real worker needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("default")
    stderr = tmp_path / "worker.err"
    with stderr.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "--quiet", "worker", "--pool=solo",
             "--queues=default", "--loglevel=INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat",
             "--hostname", f"json-logs-{os.getpid()}@%h"],
            cwd=ROOT, env=worker_env(settings), stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        try:
            sent = celery_app.send_task("purchasing.sweep_orders", queue="default")
            deadline = time.monotonic() + 60
            while sent.id not in stderr.read_text() and time.monotonic() < deadline:
                assert process.poll() is None, stderr.read_text()
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=20)

    lines = [json.loads(line) for line in stderr.read_text().splitlines() if line.strip()]
    assert any(line["message"].endswith("ready.") for line in lines)
    done = [line for line in lines if line.get("task_id") == sent.id]
    assert done and {line["task_name"] for line in done} == {"purchasing.sweep_orders"}
    assert all({"timestamp", "level", "logger", "message"} <= set(line) for line in lines)
