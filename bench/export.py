"""Export throughput: the CSV export next to PostgreSQL's own COPY, and the XLSX export next to
a bare xlsxwriter loop, over the same N order lines (the "Order lines" report, unfiltered).

    DATABASE_URL=postgres://USER@HOST:5432/DB .venv/bin/python bench/export.py [--rows N]

Seeds N order lines (default 1,000,000 on PostgreSQL, 100,000 on SQLite; 10 per order) into
the database DATABASE_URL names, replacing earlier bench data (rows whose reference starts with
BENCH), then measures, each in a child process so that its peak memory is its own:

- csv: the export as users get it (`csv_chunks`): on PostgreSQL, COPY of the report's query
  with every cell formatted by the database; on SQLite, the Python row writer;
- copy: `COPY (<the same filtered query, raw values>) TO STDOUT WITH CSV`, PostgreSQL only;
- rows: the Python row writer, for comparison (what SQLite and Python-made columns use);
- xlsx: the XLSX export (xlsxwriter, constant memory) and a bare xlsxwriter constant-memory
  loop writing the same raw rows with `write_row`.

Goals: CSV at least 0.5 of COPY's rate, peak memory under 150 MB whatever N; XLSX at least 0.8
of the bare loop. Without DATABASE_URL it runs on SQLite in var/bench/export.sqlite3.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES_PER_ORDER = 10
PREFIX = "BENCH"


def _django() -> None:
    if not os.environ.get("DATABASE_URL"):
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'export.sqlite3'}"
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="false")
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own memory map;
    getrusage's maxrss would carry the parent's peak across fork and exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- seeding -----------------------------------------------------------------------------------
def _insert_select(model, source: str, overrides: dict[str, str], params: list) -> None:
    """INSERT INTO model (every column) SELECT ... FROM source: the overrides are SQL, every
    other column gets its field default as a parameter."""
    from django.db import connection

    columns, values, args = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in overrides:
            values.append(overrides[field.name].replace("%", "%%"))  # SQL, not placeholders
        else:
            default = None if field.null and not field.has_default() else field.get_default()
            values.append("%s")
            args.append(field.get_db_prep_save(default, connection))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, args + params)


def seed(rows: int) -> None:
    """N bench lines in N/10 bench orders (paid, with freight, spread over 90 days)."""
    from django.db import connection, transaction

    from purchasing.models import PurchaseOrder, PurchaseOrderLine

    bench_orders = PurchaseOrder.objects.filter(reference__startswith=PREFIX)
    have = PurchaseOrderLine.objects.filter(order__in=bench_orders).count()
    if have == rows:
        print(f"seed: {rows:,} bench lines already there")
        return
    started = time.monotonic()
    orders = rows // LINES_PER_ORDER
    with transaction.atomic():
        PurchaseOrderLine.objects.filter(order__in=bench_orders).delete()
        bench_orders.delete()
        if connection.vendor == "postgresql":
            _seed_postgresql(orders)
        else:
            _seed_python(orders)
    print(f"seed: {orders * LINES_PER_ORDER:,} lines in {time.monotonic() - started:.1f} s")


def _seed_postgresql(orders: int) -> None:
    from purchasing.models import PurchaseOrder, PurchaseOrderLine

    _insert_select(
        PurchaseOrder,
        "generate_series(1, %s) AS g",
        {
            "reference": f"'{PREFIX}' || lpad(g::text, 12, '0')",
            "platform": "CASE WHEN g % 3 = 0 THEN '1688' ELSE 'taobao' END",
            "provider": "'pandapon'",
            "status": "'paid'",
            "seller_name": "'Seller ' || (g % 97)::text",
            "quoted_goods_fen": "100000",
            "quoted_freight_fen": "1200",
            "quoted_total_fen": "101200",
            "actual_fen": "101200",
            "created_at": "now() - (g % 90) * interval '1 day'",
            "updated_at": "now()",
            "paid_at": "now() - (g % 90) * interval '1 day' + interval '2 hours'",
        },
        [orders],
    )
    _insert_select(
        PurchaseOrderLine,
        f"{PurchaseOrder._meta.db_table} o CROSS JOIN generate_series(1, {LINES_PER_ORDER}) AS g"
        f" WHERE o.reference LIKE '{PREFIX}%%'",
        {
            "order": "o.id",
            "line_no": "g",
            "item_id": "(600000 + o.id % 5000)::text",
            "sku_id": "(900000 + g)::text",
            "seller_name": "o.seller_name",
            "title": "'Bench item ' || g::text || ', colour ' || (o.id % 7)::text",
            "quantity": "1 + g % 3",
            "unit_price_fen": "10000",
            "amount_fen": "10000 * (1 + g % 3)",
        },
        [],
    )


def _seed_python(orders: int) -> None:
    from django.utils import timezone

    from purchasing.models import PurchaseOrder, PurchaseOrderLine

    now = timezone.now()
    batch = 2000
    for start in range(0, orders, batch):
        made = PurchaseOrder.objects.bulk_create(
            PurchaseOrder(
                reference=f"{PREFIX}{n:012d}",
                platform="taobao",
                provider="pandapon",
                status="paid",
                seller_name=f"Seller {n % 97}",
                quoted_goods_fen=100_000,
                quoted_freight_fen=1_200,
                quoted_total_fen=101_200,
                actual_fen=101_200,
                paid_at=now,
            )
            for n in range(start, min(orders, start + batch))
        )
        PurchaseOrderLine.objects.bulk_create(
            PurchaseOrderLine(
                order=order,
                line_no=g,
                item_id=str(600000 + order.pk % 5000),
                sku_id=str(900000 + g),
                seller_name=order.seller_name,
                title=f"Bench item {g}",
                quantity=1 + g % 3,
                unit_price_fen=10_000,
                amount_fen=10_000 * (1 + g % 3),
            )
            for order in made
            for g in range(1, LINES_PER_ORDER + 1)
        )


# -- measurements (each in its own process) ----------------------------------------------------
def _rows():
    from purchasing.models import PurchaseOrder
    from reports.exports.reports import REPORTS

    report = REPORTS["lines"]
    bench = PurchaseOrder.objects.filter(reference__startswith=PREFIX).values("pk")
    return report, report.queryset({}).filter(order__in=bench)


def measure(kind: str) -> dict:
    from django.db import connection

    from reports.exports import writers

    report, rows = _rows()
    count = 0
    started = time.monotonic()
    if kind == "csv":
        for chunk in writers.csv_chunks(report, rows):
            count += chunk.count(b"\n")
        count -= 1  # the header
    elif kind == "rows":
        for _chunk, n in writers.row_chunks(report, rows):
            count += n
    elif kind == "copy":
        statement, params = writers.copy_sql(report, rows, formatted=False)
        with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
            for data in copy:
                count += bytes(data).count(b"\n")
    elif kind == "xlsx":
        with tempfile.TemporaryFile() as out:
            count = writers.write_xlsx(report, rows, out)
    elif kind == "xlsx-bare":
        import xlsxwriter

        with tempfile.TemporaryFile() as out:
            book = xlsxwriter.Workbook(out, {"constant_memory": True, "remove_timezone": True})
            sheet = book.add_worksheet()
            sheet.write_row(0, 0, report.headers())
            for count, values in enumerate(report.values(rows).iterator(chunk_size=2000), 1):
                sheet.write_row(count, 0, values)
            book.close()
    seconds = time.monotonic() - started
    return {"kind": kind, "rows": count, "seconds": seconds, "peak_mb": _peak_mb()}


def _child(kind: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="order lines to seed (default by database)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX measurements")
    args = parser.parse_args()
    _django()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    postgres = connection.vendor == "postgresql"
    rows = args.rows or (1_000_000 if postgres else 100_000)
    print(f"database: {connection.vendor}, {rows:,} order lines")
    seed(rows)
    connection.close()

    results = {}
    kinds = (
        ["csv", "rows"]
        + (["copy"] if postgres else [])
        + ([] if args.no_xlsx else ["xlsx", "xlsx-bare"])
    )
    for kind in kinds:
        result = results[kind] = _child(kind)
        rate = result["rows"] / result["seconds"] if result["seconds"] else 0
        result["rate"] = rate
        print(
            f"{kind:>10}: {result['rows']:>10,} rows in {result['seconds']:6.2f} s = "
            f"{rate:>11,.0f} rows/s, peak memory {result['peak_mb']:6.1f} MB"
        )
    if postgres:
        ratio = results["csv"]["rate"] / results["copy"]["rate"]
        print(f"CSV export / COPY: {ratio:.2f} (goal >= 0.5)")
        print(f"row writer / COPY: {results['rows']['rate'] / results['copy']['rate']:.2f}")
    if "xlsx" in results:
        ratio = results["xlsx"]["rate"] / results["xlsx-bare"]["rate"]
        print(f"XLSX export / bare xlsxwriter: {ratio:.2f} (goal >= 0.8)")
    peak = max(r["peak_mb"] for k, r in results.items() if k in ("csv", "copy"))
    print(f"CSV peak memory: {peak:.1f} MB (goal < 150 MB)")


if __name__ == "__main__":
    main()
