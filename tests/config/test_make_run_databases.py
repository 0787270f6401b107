"""`make run`'s SQLite set-up, in a process of its own with the development settings: the
sandbox keeps its books in its own file, and threads that read then write never fail with
"database is locked" (the development server answers the sandbox's callbacks on other threads
while a request is still working)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import sqlite3, sys, threading, time
import django
django.setup()
from django.contrib.auth.models import Group
from django.db import connections, transaction
from upstream.sandbox.db import atomic as sandbox_atomic
from upstream.sandbox.models import Fault

caigou, sandbox = sys.argv[1], sys.argv[2]

def tables(path):
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("select name from sqlite_master where type='table'")}

print("sandbox tables apart:", "sandbox_fault" in tables(sandbox)
      and "sandbox_fault" not in tables(caigou) and "auth_group" not in tables(sandbox))

Group.objects.create(name="counter")
failures = []

def read_then_write(label):
    try:
        with transaction.atomic():
            Group.objects.get(name="counter")  # a read first...
            time.sleep(0.3)
            Group.objects.create(name=label)  # ...then a write, as a service does
    except Exception as exc:
        failures.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=read_then_write, args=(f"g{n}",)) for n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("concurrent read-then-write failures:", failures)

# A Caigou transaction holds the write lock while "calling the upstream", whose write must not
# wait for it.
done = threading.Event()
def upstream_writes():
    with sandbox_atomic():
        Fault.objects.create(path="/x", mode="error")
    connections.close_all()
    done.set()

with transaction.atomic():
    Group.objects.create(name="holding")
    threading.Thread(target=upstream_writes).start()
    print("upstream wrote while Caigou held its lock:", done.wait(5))
"""


def test_make_run_sqlite_files_serve_threads(tmp_path: Path) -> None:
    caigou, sandbox = tmp_path / "caigou.sqlite3", tmp_path / "sandbox.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{caigou}",
        SANDBOX_DATABASE_URL=f"sqlite:///{sandbox}",
        SECRET_KEY="make-run-databases-test-0123456789abcdefghijklmnopqrstuvwxyz",
        CAIGOU_BEAT_IN_PROCESS="false",
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("manage.py", "migrate", "--noinput")
    run("manage.py", "migrate", "--noinput", "--database", "sandbox")
    out = run("-c", SCRIPT, str(caigou), str(sandbox))

    assert "sandbox tables apart: True" in out
    assert "concurrent read-then-write failures: []" in out
    assert "upstream wrote while Caigou held its lock: True" in out
