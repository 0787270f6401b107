"""Configuration comes from the environment; a bad value stops start-up with one sentence."""

from __future__ import annotations

import pytest

from config.env import ConfigurationError, database_config, redis_url, secret_key_from_file
from tests.config.factories import PRODUCTION_ENV, run_manage


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mongodb://db.example.com/caigou"),
        ("DATABASE_URL", "postgres://user@db.example.com:notaport/caigou"),
        ("DATABASE_URL", "postgres://"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_URL", "redis://127.0.0.1:port/0"),
        ("REDIS_URL", "redis://127.0.0.1:6379/cache"),
    ],
)
def test_malformed_url_stops_startup_with_one_sentence_naming_it(variable, value):
    result = run_manage("check", **{variable: value})

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Caigou cannot start: ")
    assert variable in lines[0]


def test_database_url_password_is_not_echoed_in_the_error():
    with pytest.raises(ConfigurationError) as caught:
        database_config("postgres://user:s3cret-pass@db.example.com:badport/caigou")
    assert "s3cret-pass" not in str(caught.value)


def test_postgres_url_becomes_a_postgresql_database():
    config = database_config("postgres://caigou:pw@db.example.com:5433/caigou")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example.com", 5433, "caigou")


def test_sqlite_url_creates_the_folder_of_the_file(tmp_path):
    target = tmp_path / "deeper" / "caigou.sqlite3"
    config = database_config(f"sqlite:///{target}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert target.parent.is_dir()


def test_redis_url_is_kept_as_given_when_valid():
    assert redis_url("redis://127.0.0.1:6379/3") == "redis://127.0.0.1:6379/3"


def test_development_secret_key_is_generated_once_and_kept(tmp_path):
    path = tmp_path / "secret_key"
    first = secret_key_from_file(path)
    second = secret_key_from_file(path)
    assert len(first) >= 50
    assert first == second
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_variable(missing):
    env = {**PRODUCTION_ENV, missing: ""}
    result = run_manage("check", **env)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert missing in result.stderr
