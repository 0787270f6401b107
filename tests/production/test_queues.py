"""Queues by kind of work, with real workers: a payment goes through while a long export keeps
the exports worker busy, because the money worker never waits behind it.

Needs PostgreSQL (the workers and the test share the test database) and Redis: skipped with
the reason when DATABASE_URL (postgres) and REDIS_URL are not both set, and failed in CI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from purchasing.models import PurchaseOrder
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from reports import services as exports
from reports.models import ExportFile
from tests.orders.conftest import Live, People, submitted_order
from tests.production.factories import copies_of
from tests.purchasing.factories import StaffUserFactory
from upstream import accounts
from upstream.sandbox.catalogue import seed_catalogue

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
# Enough orders that writing them as XLSX keeps the exports worker busy for many seconds on a
# loaded machine; a payment takes well under one.
EXPORT_ROWS = 300_000


def _missing() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL is not a PostgreSQL URL"
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    return ""


@pytest.fixture
def people(db) -> People:
    return People(
        purchaser=StaffUserFactory(role="purchaser"),
        approver=StaffUserFactory(role="approver"),
        finance=StaffUserFactory(role="finance"),
    )


@pytest.fixture
def live(live_server, settings, transactional_db) -> Iterator[Live]:
    """The upstream clients pointed at the sandbox that live_server serves."""
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    seed_catalogue(products=60)
    yield Live(live_server.url)
    accounts.close_sessions(live_server.url)


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(live, tmp_path) -> Iterator[Callable[[str], None]]:
    """`start_worker(queue)`: a real Celery worker (solo pool: one task at a time) reading
    that one queue, as the README's Production section runs them."""
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the queue test needs PostgreSQL and Redis in CI: {missing}")
        pytest.skip(f"queue test with real workers: {missing}")
    from config.celery_app import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PANDAPON_BASE_URL": django_settings.PANDAPON_BASE_URL,
        "DAJISAAS_BASE_URL": django_settings.DAJISAAS_BASE_URL,
    }
    app.control.purge()  # nothing of an earlier run
    started: list[tuple[subprocess.Popen, object]] = []

    def start(queue: str) -> None:
        log = open(ROOT / "var" / f"test-worker-{queue}.log", "w")  # noqa: SIM115 - closed below
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
        command += ["--loglevel=INFO", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat", "--queues", queue]
        command += ["--hostname", f"{queue}-{os.getpid()}@%h"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=1.0) or []) < len(started):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the {queue} worker did not start; see {log.name}")

    app.conf.task_always_eager = False
    try:
        yield start
    finally:
        app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
        for process, _log in started:
            # Cold shutdown: the export still running goes back to its queue, purged below.
            process.send_signal(signal.SIGQUIT)
        for process, log in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
        app.control.purge()  # what went to queues no worker here reads


def wait_for(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def test_a_payment_goes_through_while_a_long_export_occupies_the_exports_worker(
    live, people, start_worker
):
    start_worker("money")
    order = submitted_order(people)
    wait_for(
        lambda: PurchaseOrder.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT,
        "the money worker to submit the order",
    )
    copies_of(order, EXPORT_ROWS, status=OrderStatus.CANCELLED, upstream_order_id="")
    start_worker("exports")

    export = exports.export_start(
        actor=people.approver, data={"report": "orders"}, file_format="xlsx"
    )
    assert export.mode == ExportFile.Mode.FILE
    wait_for(
        lambda: ExportFile.objects.get(pk=export.pk).status == ExportFile.Status.RUNNING,
        "the exports worker to start the export",
    )

    order_pay(orders=[order], actor=people.finance)
    wait_for(
        lambda: PurchaseOrder.objects.get(pk=order.pk).status == OrderStatus.PAID,
        "the money worker to pay the order",
    )

    export.refresh_from_db()
    assert export.status == ExportFile.Status.RUNNING, "the export ended before the payment"
    assert export.rows_total == EXPORT_ROWS + 1
    order.refresh_from_db()
    assert order.paid_by == people.finance and order.payments.get().status == "succeeded"
