"""Going live: with the sandbox off, start-up refuses the demo account, the docs' sample user
id and the demo warehouse, each with one sentence naming its variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from purchasing.warehouse import DEMO_WAREHOUSE_ADDRESS
from tests.config.factories import PRODUCTION_ENV, ROOT, run_manage
from upstream import demo


def check(**env: str):
    return run_manage("check", **{**PRODUCTION_ENV, **env})


def test_production_with_a_real_account_and_warehouse_passes():
    result = check()

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PANDAPON_ACCESS_KEY", demo.PANDAPON_ACCESS_KEY),
        ("PANDAPON_SECRET", demo.PANDAPON_SECRET),
        ("PANDAPON_USER_ID", demo.SAMPLE_USER_ID),
    ],
)
def test_each_demo_value_is_refused_naming_its_variable(variable, value):
    result = check(**{variable: value})

    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "upstream.E" in line]
    assert len(errors) == 1 and variable in errors[0]
    assert f"Set {variable} to" in result.stderr


def test_the_demo_values_are_refused_when_nothing_is_set():
    unset = ("PANDAPON_ACCESS_KEY", "PANDAPON_SECRET", "PANDAPON_USER_ID")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in unset}
    result = run_manage("check", **env, UPSTREAM_PROVIDER_1688="dajisaas")

    for variable in (*unset, "DAJISAAS_APP_KEY", "DAJISAAS_APP_SECRET"):
        assert f"{variable} is the sandbox's demo value" in result.stderr
    assert result.returncode == 1


def test_dajisaas_demo_credentials_pass_while_dajisaas_buys_nothing():
    result = check(DAJISAAS_APP_KEY=demo.DAJISAAS_APP_KEY)

    assert result.returncode == 0, result.stderr


def test_the_demo_warehouse_is_refused_naming_the_variable():
    result = check(CAIGOU_WAREHOUSE_ADDRESS=json.dumps(DEMO_WAREHOUSE_ADDRESS))

    assert result.returncode == 1
    assert "purchasing.E001" in result.stderr
    assert "CAIGOU_WAREHOUSE_ADDRESS is the demo warehouse" in result.stderr


def test_no_warehouse_at_all_is_refused_once_the_address_book_can_be_read(tmp_path):
    database = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    env = {**PRODUCTION_ENV, "DATABASE_URL": database, "CAIGOU_WAREHOUSE_ADDRESS": ""}
    before = run_manage("check", **env)
    migrated = run_manage("migrate", "--noinput", **env)
    after = run_manage("check", **env)

    assert before.returncode == 0 and "purchasing.W001" in before.stderr
    assert migrated.returncode == 0, migrated.stderr
    assert after.returncode == 1 and "purchasing.E002" in after.stderr
    assert "CAIGOU_WAREHOUSE_ADDRESS" in after.stderr


def test_the_sandbox_on_accepts_every_demo_value():
    result = run_manage(
        "check",
        **{
            **PRODUCTION_ENV,
            "UPSTREAM_SANDBOX": "true",
            "PANDAPON_ACCESS_KEY": demo.PANDAPON_ACCESS_KEY,
            "CAIGOU_WAREHOUSE_ADDRESS": json.dumps(DEMO_WAREHOUSE_ADDRESS),
        },
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "value",
    ['{"name": "仓"', '["a"]', '{"name": "仓", "floor": "3"}', '{"name": "仓", "mobile": ""}'],
)
def test_a_warehouse_address_that_is_not_one_stops_startup_with_one_sentence(value):
    result = check(CAIGOU_WAREHOUSE_ADDRESS=value)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "CAIGOU_WAREHOUSE_ADDRESS" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "gunicorn", "config.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"],
        ["-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-mingle"],
        ["-m", "celery", "-A", "config", "beat", "--schedule", "/tmp/caigou-beat-refused"],
    ],
    ids=["gunicorn", "celery worker", "celery beat"],
)
def test_gunicorn_and_celery_refuse_to_start_with_the_demo_account(command):
    # Neither runs Django's system checks by itself: Caigou runs its own before serving or
    # consuming anything (config/startup.py), and the broker is never reached.
    env = {**PRODUCTION_ENV, "PANDAPON_SECRET": demo.PANDAPON_SECRET}
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "Caigou cannot start" in result.stderr
    assert "PANDAPON_SECRET is the sandbox's demo value" in result.stderr
