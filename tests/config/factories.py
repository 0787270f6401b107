"""`manage.py` run in a fresh process, and the environment production settings read."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py ARGS` with only ENV set: the test run's own database and settings are dropped."""
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "p" * 20 + "-production-only-secret-value-0123456789-abcdef",
    "ALLOWED_HOSTS": "caigou.example.com",
    "DATABASE_URL": "postgres://caigou:pw@db.example.com:5432/caigou",
    "REDIS_URL": "redis://redis.example.com:6379/0",
    # Going live: a real account and warehouse, or start-up refuses (README, Going live).
    "PANDAPON_ACCESS_KEY": "ak-production",
    "PANDAPON_SECRET": "secret-production",
    "PANDAPON_USER_ID": "2200000000001",
    "CAIGOU_WAREHOUSE_ADDRESS": json.dumps(
        {
            "name": "义乌仓",
            "mobile": "13800000000",
            "state": "浙江省",
            "city": "金华市",
            "district": "义乌市",
            "address": "福田街道 8 号",
            "district_code": "330782",
        }
    ),
}


class Receiver(BaseHTTPRequestHandler):
    """Keeps every POST (path, body unzipped) and answers 200: a stand-in for Sentry or an
    OpenTelemetry collector. `receiver()` gives each server its own list."""

    received: list[tuple[str, bytes]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def receiver() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """A local HTTP server on a free port: (its base URL, what it received)."""
    received: list[tuple[str, bytes]] = []
    handler = type("Handler", (Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()
        server.server_close()
