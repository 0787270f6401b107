"""Submit and pay through a real Celery worker on Redis, against the sandbox over HTTP.

Needs PostgreSQL (the worker and the test share the test database) and Redis: skipped with
the reason when DATABASE_URL (postgres) and REDIS_URL are not both set, and failed in CI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from purchasing.models import PaymentAttempt
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from purchasing.tasks import submit_order
from tests.orders.conftest import submitted_order
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Payment

ROOT = Path(__file__).resolve().parents[2]


def _missing() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL is not a PostgreSQL URL"
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    return ""


@pytest.fixture
def worker(live, settings):
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the real worker test needs PostgreSQL and Redis in CI: {missing}")
        pytest.skip(f"real Celery worker test: {missing}")
    from config.celery_app import app

    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    database_url = (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "PANDAPON_BASE_URL": django_settings.PANDAPON_BASE_URL,
        "DAJISAAS_BASE_URL": django_settings.DAJISAAS_BASE_URL,
    }
    app.conf.task_always_eager = False
    app.control.purge()  # nothing of an earlier run
    log = open(ROOT / "var" / "test-worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"orders-test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not start; see {log.name}")
        yield process
    finally:
        app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_for(order, status: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        order.refresh_from_db()
        if order.status == status:
            return
        time.sleep(0.2)
    raise AssertionError(f"{order.reference} is {order.status}, not {status}")


def test_submit_and_pay_through_a_real_worker(worker, live, people):
    order = submitted_order(people)  # the submit task goes to Redis, the worker runs it
    wait_for(order, OrderStatus.AWAITING_PAYMENT)

    submit_order.delay(order_id=order.pk)  # delivered twice: nothing more happens
    order_pay(orders=[order], actor=people.finance)
    wait_for(order, OrderStatus.PAID)
    time.sleep(1.0)  # the second submit has run by now (one solo worker, in order)

    assert SandboxOrder.objects.filter(outer_ref=order.reference).count() == 1
    assert len(live.creates(order.reference)) == 1
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
    assert order.payments.get().status == PaymentAttempt.Status.SUCCEEDED
    assert order.upstream_order_id and order.paid_by == people.finance
