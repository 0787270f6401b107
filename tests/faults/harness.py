"""The production shape, in separate processes on this machine: a Redis of our own (so it can
be restarted mid-run without touching anyone else's), gunicorn serving the staff site, the
sandbox upstream and our callback endpoints, and Celery workers (prefork), all on the test
database. Logs go to var/faults/.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from redis import exceptions as redis_errors

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "var" / "faults"
PIDS = ROOT / "var" / "faults-pids"  # not under LOGS, which each run empties
# Short, so a run is minutes: a call may be in flight for connect (3.05 s) + read (4 s) at
# most, and the lease (how long before another run may look a call up) stays above that.
READ_TIMEOUT_S = 4
LEASE_S = 12


def _started_at(pid: int) -> str:
    """The process's start time since boot (/proc/PID/stat), "" when there is no such process:
    with the pid it names one process, never a later one given the same pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def stop_leftovers() -> None:
    """Kill what a run stopped without its cleanup (SIGKILLed, a machine's timeout) left running:
    its Redis, gunicorn and workers keep the scratch database open, so the next run could not
    drop it. Each run lists what it starts under PIDS/<its pid>-<its start>; a list whose run is
    gone is acted on, so that a run going on beside this one is left alone."""
    for listing in PIDS.glob("*") if PIDS.is_dir() else ():
        owner, _, started = listing.name.partition("-")
        if owner.isdigit() and _started_at(int(owner)) == started:
            continue
        for line in listing.read_text().splitlines():
            pid, _, started = line.partition(" ")
            if pid.isdigit() and started and _started_at(int(pid)) == started:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(int(pid), signal.SIGKILL)
        listing.unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for the database Django is connected to (pytest-django's test one)."""
    auth = quote(settings_dict["USER"] or "")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"])
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


@dataclass
class Worker:
    name: str
    process: subprocess.Popen

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Stack:
    """Start with `start()`, stop with `stop()`; everything it started, it stops."""

    db_url: str
    workers: int = 2
    concurrency: int = 2
    redis_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    redis: subprocess.Popen | None = None
    web: subprocess.Popen | None = None
    running: dict[str, Worker] = field(default_factory=dict)
    started: int = 0
    _logs: list[Any] = field(default_factory=list)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
            "DATABASE_URL": self.db_url,
            "REDIS_URL": self.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PORT": str(self.web_port),
            "SANDBOX_BASE_URL": self.url,
            "PANDAPON_BASE_URL": f"{self.url}/sandbox/pandapon",
            "DAJISAAS_BASE_URL": f"{self.url}/sandbox/dajisaas",
            "SANDBOX_CALLBACK_URL": f"{self.url}/callbacks/",
            "SANDBOX_CALLBACK_RETRY_S": "1",
            "UPSTREAM_READ_TIMEOUT": str(READ_TIMEOUT_S),
            "CAIGOU_UPSTREAM_CALL_LEASE_SECONDS": str(LEASE_S),
            "PYTHONUNBUFFERED": "1",
        }

    def _listed(self, process: subprocess.Popen) -> subprocess.Popen:
        """Note a process group this run started, for stop_leftovers() should the run die."""
        PIDS.mkdir(parents=True, exist_ok=True)
        with self._listing.open("a") as listing:
            listing.write(f"{process.pid} {_started_at(process.pid)}\n")
        return process

    @property
    def _listing(self) -> Path:
        return PIDS / f"{os.getpid()}-{_started_at(os.getpid())}"

    def _log(self, name: str):
        LOGS.mkdir(parents=True, exist_ok=True)
        log = open(LOGS / f"{name}.log", "a")  # noqa: SIM115 (closed in stop())
        self._logs.append(log)
        return log

    # -- processes ---------------------------------------------------------------------------
    def start(self) -> Stack:
        stop_leftovers()
        shutil.rmtree(LOGS, ignore_errors=True)
        self.start_redis()
        self.start_web()
        for n in range(self.workers):
            self.start_worker(f"w{n + 1}")
        return self

    def start_redis(self) -> None:
        # No persistence: a restart loses every queued message, the harshest case; the
        # database, not the broker, is the record of work to do (DESIGN.md, rule 3).
        self.redis = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=self._log("redis"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._listed(self.redis)
        wait_until(self._redis_up, timeout=20, what="redis-server")

    def _redis_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def restart_redis(self, down_s: float = 1.0) -> None:
        """Kill Redis (losing what it held) and start it again on the same port."""
        if self.redis is not None:
            self.redis.kill()
            self.redis.wait(timeout=10)
        time.sleep(down_s)
        self.start_redis()

    def start_web(self) -> None:
        # gthread workers with keep-alive off: a dropped response breaks at once, and slow
        # answers (latency, timeout after commit) do not hold up everything else.
        self.web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--keep-alive",
                "0",
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=self._log("web"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._listed(self.web)

        def up() -> bool:
            if self.web.poll() is not None:
                raise AssertionError(f"gunicorn exited; see {LOGS / 'web.log'}")
            try:
                return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(up, timeout=60, what="gunicorn", every=0.5)

    def start_worker(self, name: str) -> Worker:
        self.started += 1
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                # Every worker reads every queue: a killed one's work is taken up by the rest.
                "--queues",
                ",".join(settings.CAIGOU_QUEUES),
                "--hostname",
                f"faults-{name}-{self.started}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=self._log(f"worker-{name}"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = Worker(name, self._listed(process))
        self.running[name] = worker
        return worker

    def wait_for_workers(self, app) -> None:
        def all_answer() -> bool:
            for worker in self.running.values():
                if not worker.alive:
                    raise AssertionError(f"worker {worker.name} exited; see {LOGS}")
            return len(app.control.ping(timeout=1.0) or []) >= len(self.running)

        wait_until(all_answer, timeout=90, what="the Celery workers", every=0.5)

    def kill_worker(self, name: str) -> None:
        """SIGKILL a whole worker (main process and pool), as a machine losing power would."""
        worker = self.running.pop(name)
        _killpg(worker.process, signal.SIGKILL)
        worker.process.wait(timeout=10)

    def stop(self) -> None:
        for worker in list(self.running.values()):
            _killpg(worker.process, signal.SIGTERM)
        for worker in list(self.running.values()):
            _wait_or_kill(worker.process, 20)
        self.running.clear()
        for process in (self.web, self.redis):
            if process is not None and process.poll() is None:
                _killpg(process, signal.SIGTERM)
                _wait_or_kill(process, 15)
        for log in self._logs:
            log.close()
        self._listing.unlink(missing_ok=True)

    # -- the sandbox's control API -----------------------------------------------------------
    def control(self, endpoint: str, method: str = "post", **payload: Any) -> Any:
        response = requests.request(
            method,
            f"{self.url}/sandbox/_control/{endpoint}",
            json=payload or None,
            # The server runs the test settings too, so it knows the same token.
            headers={"Authorization": f"Bearer {settings.SANDBOX_CONTROL_TOKEN}"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()


def active_tasks(app) -> list[dict[str, Any]]:
    """What every worker is running now. A connection that died with a restarted Redis is
    dropped and made again."""
    for attempt in range(3):
        try:
            active = app.control.inspect(timeout=1.0).active() or {}
            return [task for tasks in active.values() for task in tasks]
        except (ConnectionError, OSError, redis_errors.ConnectionError):
            app.close()
            time.sleep(0.5 * (attempt + 1))
    return []


def _killpg(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _wait_or_kill(process: subprocess.Popen, timeout: float) -> None:
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _killpg(process, signal.SIGKILL)
        process.wait(timeout=10)
