"""The in-process beat of `make run`: due entries run, others wait, a failure is only logged."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from celery.schedules import maybe_schedule
from django.utils import timezone

from backoffice import beat as demo_beat
from config.celery_app import app

CALLS: list[str] = []


@app.task(name="tests.demo_beat_probe")
def probe(label: str) -> None:
    if label == "boom":
        raise RuntimeError("boom")
    CALLS.append(label)


def test_due_entries_run_and_others_wait(caplog, db) -> None:
    CALLS.clear()
    long_ago = timezone.now() - timedelta(hours=1)
    schedules = {
        "due": ("tests.demo_beat_probe", maybe_schedule(60), {"label": "due"}),
        "later": ("tests.demo_beat_probe", maybe_schedule(7200), {"label": "later"}),
        "failing": ("tests.demo_beat_probe", maybe_schedule(60), {"label": "boom"}),
    }
    last_run = {"due": long_ago, "later": long_ago, "failing": long_ago}

    ran = demo_beat.run_due(schedules, last_run)

    assert ran == ["due", "failing"]
    assert CALLS == ["due"]
    assert last_run["due"] > long_ago and last_run["later"] == long_ago
    assert "scheduled task tests.demo_beat_probe failed" in caplog.text
    assert demo_beat.run_due(schedules, last_run) == []


def test_off_unless_the_setting_says_so(settings) -> None:
    settings.CAIGOU_BEAT_IN_PROCESS = False
    assert demo_beat.start() is False


def test_every_scheduled_task_is_registered_in_a_fresh_web_process() -> None:
    """The development server imports no tasks module on its own: the beat thread must."""
    code = (
        "import django; django.setup();"
        "from config.celery_app import app;"
        "from backoffice.beat import beat_schedules;"
        "from django.conf import settings;"
        "names = {task for task, _, _ in beat_schedules().values()};"
        "missing = sorted(names - set(app.tasks));"
        "print(len(names), missing)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    count, missing = done.stdout.strip().split(" ", 1)
    assert int(count) >= 5
    assert missing == "[]"
