"""The staff order list and GET /api/v1/orders/ at 100,000 orders: p95 latency and query count.

    .venv/bin/python bench/order_lists.py [--orders 100000] [--seconds 10] [--connections 8]

Seeds the orders once (purchase orders with a line each, and as many storefront customer orders
pointing at them), then measures each page's first page under wrk against gunicorn, and counts
its queries once through Django's test client. Goal: the same query count at any size; p95
printed for orientation.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import environment, gunicorn, prepare_database, require_tools, wrk

BATCH = 5_000


def seed(count: int) -> tuple[str, str]:
    """Seed up to `count` orders; return a staff session id and a storefront API key."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from backoffice.roles import sync_roles
    from purchasing.models import PurchaseOrder, PurchaseOrderLine
    from storefront.models import (
        ALL_SCOPES,
        ApiKey,
        CustomerOrder,
        CustomerOrderLine,
        Storefront,
    )

    sync_roles(apps)
    shop, _ = Storefront.objects.get_or_create(name="Bench shop", defaults={"scopes": ALL_SCOPES})
    have = CustomerOrder.objects.filter(storefront=shop).count()
    for start in range(have, count, BATCH):
        size = min(BATCH, count - start)
        orders = PurchaseOrder.objects.bulk_create(
            PurchaseOrder(
                reference=f"BENCH{start + i:010d}",
                platform="taobao",
                provider="pandapon",
                source="storefront",
                status="paid",
                seller_name=f"Seller {(start + i) % 97}",
                quoted_total_fen=1000 + i,
            )
            for i in range(size)
        )
        lines = PurchaseOrderLine.objects.bulk_create(
            PurchaseOrderLine(order=o, item_id="1000", sku_id="1", quantity=1) for o in orders
        )
        customers = CustomerOrder.objects.bulk_create(
            CustomerOrder(
                storefront=shop,
                external_id=f"B{start + i}",
                currency="USD",
                customer_name="Bench",
                status="purchased",
            )
            for i in range(size)
        )
        CustomerOrder.purchase_orders.through.objects.bulk_create(
            CustomerOrder.purchase_orders.through(customerorder=c, purchaseorder=o)
            for c, o in zip(customers, orders, strict=True)
        )
        CustomerOrderLine.objects.bulk_create(
            CustomerOrderLine(
                order=c, line_no=1, platform="taobao", item_id="1000", quantity=1, purchase_line=ln
            )
            for c, ln in zip(customers, lines, strict=True)
        )
        print(f"  seeded {start + size} orders", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would, before the planner sees them
        cursor.execute("ANALYZE")
    user, _ = get_user_model().objects.get_or_create(username="bench-admin")
    user.groups.add(Group.objects.get(name="admin"))
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    _, key = ApiKey.issue(shop, name="bench")
    return session.session_key, key


def queries(path: str, headers: dict[str, str], cookies: dict[str, str]) -> tuple[int, int]:
    """(status, query count) of one GET through the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies.load(cookies)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    return response.status_code, len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    require_tools()
    env = environment()
    # One key makes every request here: the per-key limit would answer 429 instead of the page.
    env["CAIGOU_STOREFRONT_API_RATE"] = "1000000/min"
    prepare_database(env)
    os.environ.update(env)
    import django

    django.setup()
    session, key = seed(args.orders)
    pages = {
        "staff /orders/": ("/orders/", {}, {"sessionid": session}),
        "GET /api/v1/orders/": ("/api/v1/orders/", {"Authorization": f"Bearer {key}"}, {}),
    }
    counts = {name: queries(*page) for name, page in pages.items()}
    results = {}
    with gunicorn(env) as base:
        for name, (path, headers, cookies) in pages.items():
            lines = [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
            lines += [f'wrk.headers["Cookie"] = "{k}={v}"' for k, v in cookies.items()]
            script = "\n".join(lines) + "\n"
            # Each worker's first requests compile templates and open connections: not measured.
            wrk(f"{base}{path}", script, seconds=2, connections=args.connections)
            results[name] = wrk(
                f"{base}{path}", script, seconds=args.seconds, connections=args.connections
            )
    print(f"\n{args.orders} orders, {args.connections} connections, {args.seconds} s per page")
    heading = ("page", "status", "queries", "req/s", "p50 ms", "p95 ms", "errors")
    print(f"{heading[0]:<24}" + "".join(f"{h:>9}" for h in heading[1:]))
    for name, load in results.items():
        status, count = counts[name]
        print(
            f"{name:<24}{status:>9}{count:>9}{load.rate:>9.0f}{load.p50_ms:>9.1f}"
            f"{load.p95_ms:>9.1f}{load.non_2xx:>9}"
        )


if __name__ == "__main__":
    main()
