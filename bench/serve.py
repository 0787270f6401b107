"""What the load benchmarks share: a PostgreSQL database of their own, gunicorn serving Caigou
(with a bare view beside it, bench/site_urls.py), and wrk driving it with a Lua script.

The benchmarks need PostgreSQL and Redis (DATABASE_URL and REDIS_URL, with local defaults) and
wrk on the PATH.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/caigou_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
# The table of the one-INSERT yardstick (bench/site_urls.py), made and dropped by each run.
FLOOR_TABLE = "bench_ingest_floor"


def environment() -> dict[str, str]:
    """The environment of every process a benchmark starts."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    env["DJANGO_SETTINGS_MODULE"] = "bench.site_settings"
    env["PYTHONPATH"] = str(ROOT)
    return env


def require_tools() -> None:
    if shutil.which("wrk") is None:
        sys.exit("This benchmark needs wrk on the PATH (Debian: apt-get install wrk).")


def prepare_database(env: dict[str, str]) -> None:
    """Create the benchmark database if it is missing, and migrate it."""
    import psycopg

    url = urlparse(env["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", env=env)


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 1) -> Iterator[str]:
    """gunicorn serving Caigou on a free port (`threads` > 1: the gthread worker); yields its
    base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--workers={workers}",
            f"--threads={threads}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(port, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start (exit {process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    sys.exit("gunicorn did not start within 30 s")


@dataclass
class Load:
    requests: int
    seconds: float
    non_2xx: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


REPORT = r"""
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %.3f %.3f %.3f\n",
    summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    0, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def wrk(url: str, script: str, *, seconds: int, connections: int, threads: int = 2) -> Load:
    """Run wrk against `url` with `script` (Lua) and the summary reporter appended."""
    path = ROOT / "var" / "bench" / "load.lua"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script + REPORT)
    output = subprocess.run(
        [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=5s",
            f"--script={path}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (\d+) (\d+) (\d+) \d+ ([\d.]+) ([\d.]+) ([\d.]+)", output)
    if match is None:
        sys.exit(f"wrk printed no summary:\n{output}")
    requests, duration_us, errors = (int(match.group(i)) for i in (1, 2, 3))
    p50, p95, p99 = (float(match.group(i)) for i in (4, 5, 6))
    return Load(requests, duration_us / 1e6, errors, p50, p95, p99)
