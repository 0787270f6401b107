"""Caigou in its production shape, for the smoke test: a database of its own, the commands an
operator runs before the first start, then gunicorn, a Celery worker and Celery beat. Every
process runs in a session of its own, so stopping it stops its children too."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests
from django.conf import settings

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def make_database(server_url: str, name: str) -> Iterator[str]:
    """A fresh PostgreSQL database on the server of `server_url`, dropped afterwards: the URL."""
    parts = urlsplit(server_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Stack:
    work: Path
    database_url: str
    redis_url: str
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)  # on top of env(), for every process
    # One key for every process, as every machine of an installation shares it: a session or a
    # signed value made by one web process must be good on the others.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(60))
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    _logs: list[IO] = field(default_factory=list)

    @property
    def url(self) -> str:
        # localhost, not 127.0.0.1: browsers keep Secure (__Host-) cookies on http only there.
        return f"http://localhost:{self.port}"

    def env(self) -> dict[str, str]:
        dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        dropped |= {"CELERY_TASK_ALWAYS_EAGER"}
        base = {k: v for k, v in os.environ.items() if k not in dropped}
        return {
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            # Plain http on localhost: no TLS proxy in front of this gunicorn.
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "STATIC_ROOT": str(self.work / "static"),
            "MEDIA_ROOT": str(self.work / "media"),
            "UPSTREAM_SANDBOX": "true",
            "PORT": str(self.port),
            "SANDBOX_BASE_URL": self.url,
            "PANDAPON_BASE_URL": f"{self.url}/sandbox/pandapon",
            "DAJISAAS_BASE_URL": f"{self.url}/sandbox/dajisaas",
            "LOG_LEVEL": "INFO",
            **self.extra_env,
        }

    def log_path(self, name: str) -> Path:
        return self.work / f"{name}.log"

    def log(self, name: str) -> str:
        return self.log_path(name).read_text(errors="replace")

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        """`manage.py ARGS` as the operator runs it; its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env(), **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"manage.py {args[0]}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def prepare(self, *, admin: str, password: str) -> None:
        """What an operator runs before the first start."""
        self.manage("collectstatic", "--noinput")
        self.manage("migrate", "--noinput")
        self.manage(
            "createsuperuser",
            "--noinput",
            env={
                "DJANGO_SUPERUSER_USERNAME": admin,
                "DJANGO_SUPERUSER_PASSWORD": password,
                "DJANGO_SUPERUSER_EMAIL": f"{admin}@example.com",
            },
        )

    def _spawn(
        self, name: str, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        """`python -m ARGS` in `cwd`, with the stack's environment and `env` on top."""
        log = open(self.log_path(name), "w")  # noqa: SIM115 - closed in stop()
        self._logs.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=cwd,
            env={**self.env(), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start(self) -> None:
        self._spawn(
            "gunicorn",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        )
        self._spawn(
            "worker",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            # One worker for every queue here; the README runs one per queue.
            "--queues",
            ",".join(settings.CAIGOU_QUEUES),
            "--hostname",
            f"smoke-{os.getpid()}@%h",
        )
        self._spawn(
            "beat",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(self.work / "beat-schedule"),
        )
        wait_until(self._web_up, timeout=60, what="gunicorn", every=0.5)

    def _web_up(self) -> bool:
        self.check_alive()
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise AssertionError(f"{name} exited:\n{self.log(name)[-3000:]}")

    def stop(self) -> None:
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)
        # Whatever a child left behind in the group (a pool process) goes too.
        for process in self.processes.values():
            _signal_group(process, signal.SIGKILL)
        for log in self._logs:
            log.close()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)
