"""`manage.py` run in a fresh process, and the environment production settings read."""

from __future__ import annotations

import os
import subprocess
import sys
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
}
