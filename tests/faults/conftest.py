"""The fault-injection stack as a fixture. It needs PostgreSQL (every process shares the test
database), a REDIS_URL (the sign that Redis is installed: the stack runs its own redis-server
on a free port, so restarting it disturbs nobody) and gunicorn: skipped with the reason
without them, and failed in CI (CI=true)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from django.db import connection

from tests.faults.harness import LEASE_S, READ_TIMEOUT_S, Stack, database_url, stop_leftovers
from upstream import accounts


def pytest_sessionstart(session: pytest.Session) -> None:
    """A run killed before its cleanup left processes holding the test database open: stop them
    before pytest-django drops and makes it again."""
    stop_leftovers()


def _missing() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL is not a PostgreSQL URL"
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    if not shutil.which("redis-server"):
        return "redis-server is not on the PATH"
    return ""


@pytest.fixture
def stack(transactional_db, settings) -> Iterator[Stack]:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the fault-injection suite needs PostgreSQL and Redis in CI: {missing}")
        pytest.skip(f"fault-injection suite: {missing}")
    from config.celery_app import app

    stack = Stack(db_url=database_url(connection.settings_dict))
    # This process (the driver, the sweeper and reconciler runs, the checks) talks to the same
    # sandbox and broker as the processes it starts.
    settings.PANDAPON_BASE_URL = f"{stack.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{stack.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{stack.url}/callbacks/"
    settings.UPSTREAM_READ_TIMEOUT = READ_TIMEOUT_S
    settings.CAIGOU_UPSTREAM_CALL_LEASE_SECONDS = LEASE_S
    settings.CAIGOU_SWEEP_AFTER_MINUTES = 0
    settings.CAIGOU_RECONCILE_AFTER_MINUTES = 0
    settings.CELERY_TASK_ALWAYS_EAGER = False
    before = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    try:
        stack.start()
        app.conf.broker_url = app.conf.result_backend = stack.redis_url
        app.conf.task_always_eager = False
        app.close()  # forget connections made to another broker
        stack.wait_for_workers(app)
        yield stack
    finally:
        stack.stop()
        app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = before
        app.close()
        accounts.close_sessions(stack.url)
