"""Orders from push to paid through real Celery workers: wall time and orders per second.

    DATABASE_URL=postgres://USER@HOST:5432/NAME REDIS_URL=redis://HOST:6379/0 \\
        .venv/bin/python bench/orders_throughput.py [--orders 1000] [--workers 2] \\
        [--concurrency 2] [--pushers 4] [--pay-batch 20]

Makes a scratch database beside DATABASE_URL's (test_NAME, dropped at the end; NAME itself is
not touched), then starts what the fault-injection suite starts (tests/faults/harness.py): a
redis-server of its own on a free port, gunicorn serving the sandbox upstream and our callback
endpoints, and Celery workers. `--pushers` threads push orders as the staff services do
(create from items, preview, confirm: the submit task goes to the workers); this process pays
the orders awaiting payment as finance would, `--pay-batch` at a time (the pay task goes to the
workers, 1688 orders in batch calls), and stops when every order is paid. No faults. REDIS_URL
only says that Redis is installed: the run uses its own.

Prints the wall time from the first push to the last payment, orders per second, the
push-to-paid time per order (median and 95th percentile), and the upstream calls per paid order
by operation, read from the call journal (issue goal: at most 2.2 in all).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="pool size of each worker")
    parser.add_argument("--pushers", type=int, default=4, help="threads pushing orders")
    parser.add_argument(
        "--pay-batch", type=int, default=20, help="orders finance selects and pays in one go"
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before giving up")
    args = parser.parse_args()
    # A SIGTERM (a timeout's) unwinds as an exit would: the processes and scratch database go.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("set DATABASE_URL to a PostgreSQL server (a scratch database is made beside it)")

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.db import connection

    from tests.faults.harness import stop_leftovers

    stop_leftovers()  # a run killed before its cleanup holds the scratch database open
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run(args, name)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run(args: argparse.Namespace, database: str) -> int:
    from django.conf import settings
    from django.db import connection, connections
    from django.utils import timezone

    from config.celery_app import app
    from purchasing.models import PurchaseOrder
    from purchasing.services.orders.submit import LEARN_LINES_AFTER_S
    from purchasing.statuses import OrderStatus
    from tests.faults.driver import PurchaseOrderDriver, stock_up
    from tests.faults.harness import LEASE_S, READ_TIMEOUT_S, Stack, database_url
    from upstream.sandbox.catalogue import seed_catalogue

    stack = Stack(
        db_url=database_url(connection.settings_dict),
        workers=args.workers,
        concurrency=args.concurrency,
    )
    settings.PANDAPON_BASE_URL = f"{stack.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{stack.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{stack.url}/callbacks/"
    settings.UPSTREAM_READ_TIMEOUT = READ_TIMEOUT_S
    settings.CAIGOU_UPSTREAM_CALL_LEASE_SECONDS = LEASE_S
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        print(f"database {database}; starting redis-server, gunicorn, {args.workers} workers")
        stack.start()
        app.conf.broker_url = app.conf.result_backend = stack.redis_url
        app.conf.task_always_eager = False
        app.close()
        stack.wait_for_workers(app)
        seed_catalogue(products=60)
        driver = PurchaseOrderDriver(items=stock_up(), pay_batch=args.pay_batch)
        pushed: list[int] = []
        lock = threading.Lock()

        def push(index: int) -> None:
            try:
                ids = driver.push(index)
                with lock:
                    pushed.extend(ids)
            finally:
                connections.close_all()

        journal_from = timezone.now()
        started = time.monotonic()
        deadline = started + args.timeout
        with ThreadPoolExecutor(args.pushers) as pool:
            pushing = [pool.submit(push, i) for i in range(args.orders)]
            while not all(f.done() for f in pushing):
                driver.advance()
                time.sleep(0.5)
            for future in pushing:
                future.result()
        pushed_s = time.monotonic() - started
        # A split draft is cancelled once its parts stand in for it: its parts are to be paid.
        to_pay = PurchaseOrder.objects.filter(pk__in=pushed, parts__isnull=True).count()
        paid = PurchaseOrder.objects.filter(pk__in=pushed, status=OrderStatus.PAID)
        while paid.count() < to_pay:
            if time.monotonic() > deadline:
                print(f"gave up: {paid.count()} of {to_pay} paid", file=sys.stderr)
                return 1
            driver.advance()
            time.sleep(0.5)
        wall = time.monotonic() - started
        spans = sorted(
            (o.paid_at - o.created_at).total_seconds() for o in paid.only("created_at", "paid_at")
        )
        p95 = spans[max(0, round(0.95 * len(spans)) - 1)]
        print(
            f"{to_pay} orders pushed in {pushed_s:.1f} s, all paid after {wall:.1f} s: "
            f"{to_pay / wall:.1f} orders/s; push to paid median "
            f"{statistics.median(spans):.2f} s, p95 {p95:.2f} s "
            f"({args.workers} workers x {args.concurrency}, {args.pushers} pushers)"
        )
        # Reads scheduled after a create (the lines of an ids-only 1688 create) count too.
        time.sleep(LEARN_LINES_AFTER_S + 5)
        print_calls_per_order(journal_from, to_pay)
        return 0
    finally:
        stack.stop()
        app.close()


def print_calls_per_order(since, paid: int) -> None:
    """Upstream calls made since SINCE (every call is journaled, by every process), per paid
    order, by operation: what bounds push-to-paid once the upstream's rate limit is reached."""
    from django.db.models import Count

    from upstream.models import CallJournal

    rows = (
        CallJournal.objects.filter(created_at__gte=since)
        .values("operation")
        .annotate(calls=Count("id"))
        .order_by("-calls", "operation")
    )
    total = 0
    print(f"upstream calls per paid order ({paid} orders):")
    for row in rows:
        total += row["calls"]
        print(f"  {row['operation']:<36} {row['calls'] / paid:6.2f}")
    print(f"  {'all':<36} {total / paid:6.2f}  (goal: at most 2.2)")


if __name__ == "__main__":
    sys.exit(main())
