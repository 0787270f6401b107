"""The staff order list and GET /api/v1/orders/ at 100,000 orders, plain and searched by what
was bought: p95 latency and query count.

    .venv/bin/python bench/order_lists.py [--orders 100000] [--seconds 10] [--connections 8]

Seeds the orders once in a fresh database (purchase orders with a line each, of goods from a
small catalogue, and as many storefront customer orders pointing at them), then measures each
page's first page under wrk against gunicorn, and counts its queries once through Django's test
client. Then it prints the plan PostgreSQL chose for each search. Goals: the same query count
at any size, and a search's p95 under 3x the plain list's.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import environment, gunicorn, prepare_database, require_tools, wrk

BATCH = 5_000
# Goods the seeded lines are of, in turn: each word below matches one line in len(GOODS).
GOODS = [
    (
        f"{kind}{colour_zh}款 {n}号",
        f"{kind_en} {colour_en} no. {n}",
        f"{shop}旗舰店",
        colour_zh,
        colour_en,
    )
    for n, (kind, kind_en, shop) in enumerate(
        [
            ("加厚瑜伽垫", "thick yoga mat", "静心运动"),
            ("不锈钢保温杯", "steel vacuum flask", "杯子工厂"),
            ("纯棉短袖T恤", "cotton T-shirt", "棉花田"),
            ("无线蓝牙耳机", "wireless earbuds", "声音小铺"),
            ("儿童积木玩具", "building blocks", "童趣屋"),
            ("陶瓷马克杯", "ceramic mug", "瓷器坊"),
            ("登山背包", "hiking backpack", "山野户外"),
            ("手机支架", "phone stand", "数码配件"),
            ("真丝围巾", "silk scarf", "丝绸之路"),
            ("跑步鞋", "running shoes", "疾风体育"),
        ]
    )
    for colour_zh, colour_en in [
        ("蓝色", "blue"),
        ("黑色", "black"),
        ("白色", "white"),
        ("红色", "red"),
    ]
]
SEARCHES = {
    "瑜伽": "a 2-character Chinese title word",
    "yoga": "an English title word",
    "静心运动": "a shop's name",
}


def line_of(order, number: int):
    """The seeded line of order `number`: goods in turn from GOODS, its own item id."""
    from purchasing.models import PurchaseOrderLine

    title, title_en, shop, colour, colour_en = GOODS[number % len(GOODS)]
    return PurchaseOrderLine(
        order=order,
        item_id=str(600_000_000_000 + number),
        sku_id=str(number % 7 + 1),
        quantity=1,
        title=title,
        title_en=title_en,
        seller_name=shop,
        variant=f"颜色分类: {colour} ({colour_en})",
        picture=f"https://img.example.com/{number % len(GOODS)}.jpg",
    )


def plans(queries: list[str]) -> None:
    """The plans of the staff list's two queries for each search (its first page, and the
    paginator's count): whether the trigram index is read, and how long PostgreSQL takes."""
    from django.db import connection

    from purchasing.forms_orders import OrderFilterForm
    from purchasing.views.orders.listing import PAGE_SIZE, filtered_orders

    for q in queries:
        rows = filtered_orders(OrderFilterForm({"q": q}))
        page_sql, page_params = rows[:PAGE_SIZE].query.sql_with_params()
        count_sql, count_params = rows.order_by().values("pk").query.sql_with_params()
        for name, sql, params in (
            ("page", page_sql, page_params),
            ("count", f"SELECT COUNT(*) FROM ({count_sql}) counted", count_params),
        ):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE) {sql}", params)
                plan = [row[0] for row in cursor.fetchall()]
            used = any("po_line_search_trgm" in line for line in plan)
            timing = next(line for line in plan if line.startswith("Execution Time"))
            print(f"  q={q!r} {name}: trigram index {'read' if used else 'not read'}; {timing}")


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
            line_of(o, start + i) for i, o in enumerate(orders)
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
    staff = {"sessionid": session}
    api = {"Authorization": f"Bearer {key}"}
    rare = str(600_000_000_000 + args.orders // 2)  # the item id of one order
    pages = {
        "staff /orders/": ("/orders/", {}, staff),
        **{f"staff ?q={q}": (f"/orders/?q={quote(q)}", {}, staff) for q in SEARCHES},
        "staff ?q=<item id>": (f"/orders/?q={rare}", {}, staff),
        "GET /api/v1/orders/": ("/api/v1/orders/", api, {}),
        "GET /api/v1/orders/?q=yoga": ("/api/v1/orders/?q=yoga", api, {}),
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
    print(f"{heading[0]:<28}" + "".join(f"{h:>9}" for h in heading[1:]))
    for name, load in results.items():
        status, count = counts[name]
        print(
            f"{name:<28}{status:>9}{count:>9}{load.rate:>9.0f}{load.p50_ms:>9.1f}"
            f"{load.p95_ms:>9.1f}{load.non_2xx:>9}"
        )
    plain, api_plain = results["staff /orders/"], results["GET /api/v1/orders/"]
    print("\nsearch p95 / plain list p95 (goal < 3):")
    for name, load in results.items():
        if "?q=" in name:
            base = api_plain if name.startswith("GET") else plain
            print(f"  {name:<26}{load.p95_ms / base.p95_ms:>6.2f}")
    print("\nplans of the staff list's searches:")
    plans([*SEARCHES, rare])


if __name__ == "__main__":
    main()
