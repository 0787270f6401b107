"""Calls per second through the upstream client next to bare `requests`, against the sandbox.

    .venv/bin/python bench/upstream_client.py [--seconds 3] [--products 50]

Starts the sandbox in a child process (Django's threaded development server on a free port,
SQLite under var/bench/, tables made from the models, a small seeded catalogue), then calls one
read operation (`taobao_product_get`) over a kept-alive connection, one call at a time:

- bare `requests`: the same signed request, signed once and replayed, its JSON decoded;
- the client: `Transport.call`, which signs every call, maps the envelope to a Reply or an
  error; no rate limit (it would measure the limit), no journal;
- the client with its journal: as above, and a redacted CallJournal row per call (SQLite).

Each measurement runs for a few seconds after a warm-up. The sandbox's own time is in every
line, so the ratio is the client's overhead on a local round trip, its worst case.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
OPERATION = "taobao_product_get"
READY = "SANDBOX READY"


def _django(db_path: Path, **env: str) -> None:
    """Set Django up on its own SQLite file, every table made from the models (no migrations)."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{db_path}",
        DEBUG="false",  # DEBUG keeps every query in memory
        UPSTREAM_SANDBOX="true",
        UPSTREAM_RATE_LIMIT_PER_S="0",
        **env,
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    # Tables straight from the models, as `pytest --nomigrations` makes them.
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}

    call_command("migrate", run_syncdb=True, verbosity=0)


# -- the sandbox, in the child ---------------------------------------------------------------
def serve(port: int, db_path: Path, products: int) -> None:
    import logging

    _django(db_path, PORT=str(port))
    logging.disable(logging.INFO)  # no line per request
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, get_internal_wsgi_application, run

    class NoDelayServer(WSGIServer):
        """Answers without Nagle's delay: the development server writes headers and body
        separately, and the second write would wait ~40 ms for the client's delayed ACK."""

        def get_request(self):
            connection, address = super().get_request()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection, address

    from upstream.sandbox import router
    from upstream.sandbox.models import Product

    item_id = ""
    try:
        call_command("sandbox_seed", products=products, verbosity=0)
        product = Product.objects.filter(platform="taobao").order_by("id").first()
        item_id = product.item_id if product else ""
    except Exception as exc:  # noqa: BLE001 - no catalogue yet: measure the front door alone
        print(f"(no catalogue: {exc})", file=sys.stderr)
    if not item_id or OPERATION not in router.HANDLERS:
        router.HANDLERS[OPERATION] = lambda call: {"itemId": call.params["itemId"], "echo": True}
        item_id = item_id or "652874251412"
    print(f"{READY} {item_id}", flush=True)
    run(
        "127.0.0.1", port, get_internal_wsgi_application(), threading=True, server_cls=NoDelayServer
    )


# -- the measurements, in the parent ---------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure(call: Callable[[], object], seconds: float, warmup: int = 20) -> tuple[int, float]:
    for _ in range(warmup):
        call()
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        call()
        count += 1
    return count, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement (default 3)")
    parser.add_argument("--products", type=int, default=50, help="catalogue size (default 50)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # child mode: the port
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, BENCH_DIR / "sandbox.sqlite3", args.products)
        return 0

    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--products", str(args.products)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        return run_bench(child, port, args.seconds)
    finally:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()


def run_bench(child: subprocess.Popen, port: int, seconds: float) -> int:
    started = time.monotonic()
    line = ""
    while not line.startswith(READY):
        line = child.stdout.readline() if child.stdout else ""
        if child.poll() is not None or time.monotonic() - started > 120:
            print("The sandbox did not start.", file=sys.stderr)
            return 1
    item_id = line.split()[-1]
    _wait_for_port(port)

    base = f"http://127.0.0.1:{port}/sandbox/pandapon"
    _django(BENCH_DIR / "journal.sqlite3", PORT=str(port), PANDAPON_BASE_URL=base)
    import requests
    from django.conf import settings

    from upstream.accounts import pandapon_account
    from upstream.client import Transport
    from upstream.journal import DatabaseJournal
    from upstream.models import CallJournal
    from upstream.operations import operation
    from upstream.signing import pandapon_headers

    account = pandapon_account()
    params = {"itemId": item_id}
    timeouts = (settings.UPSTREAM_CONNECT_TIMEOUT, settings.UPSTREAM_READ_TIMEOUT)

    session = requests.Session()
    headers = pandapon_headers(account.key, account.secret, account.user_id)
    url = base + operation(OPERATION).path

    def bare() -> object:
        response = session.get(url, params=params, headers=headers, timeout=timeouts)
        body = response.json()
        assert body["code"] == 200, body
        return body

    client = Transport(account, connect_timeout=timeouts[0], read_timeout=timeouts[1])
    journaled = Transport(
        account, connect_timeout=timeouts[0], read_timeout=timeouts[1], journal=DatabaseJournal()
    )

    print(f"Sandbox at {base}, {OPERATION} of item {item_id}, {seconds:g} s per measurement.")
    results = {}
    for label, call in (
        ("bare requests", bare),
        ("client", lambda: client.call(OPERATION, params)),
        ("client + journal", lambda: journaled.call(OPERATION, params)),
    ):
        count, elapsed = measure(call, seconds)
        results[label] = count / elapsed
        print(
            f"  {label:<18} {count / elapsed:8.1f} calls/s  "
            f"({elapsed / count * 1000:.2f} ms per call, {count} calls)"
        )
    rows = CallJournal.objects.count()
    ratio = results["client"] / results["bare requests"]
    ratio_journal = results["client + journal"] / results["bare requests"]
    print(f"client / bare requests:           {ratio:.2f}")
    print(f"client + journal / bare requests: {ratio_journal:.2f}  ({rows} journal rows)")
    return 0


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit("The sandbox did not open its port.")


if __name__ == "__main__":
    raise SystemExit(main())
