"""Reading settings from the environment, with one clear sentence when a value is wrong."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

DATABASE_SCHEMES = {
    "postgres": "postgres://USER:PASSWORD@HOST:5432/NAME",
    "postgresql": "postgresql://USER:PASSWORD@HOST:5432/NAME",
    "pgsql": "pgsql://USER:PASSWORD@HOST:5432/NAME",
    "sqlite": "sqlite:///path/to/caigou.sqlite3",
}
REDIS_SCHEMES = ("redis", "rediss")


class ConfigurationError(ImproperlyConfigured):
    """A setting from the environment is missing or malformed; the message names the variable."""


def _checked_port(variable: str, parts) -> None:
    try:
        parts.port  # noqa: B018 - urllib validates the port lazily, on access
    except ValueError as exc:
        raise ConfigurationError(f"{variable} has an invalid port ({exc}).") from None


def database_config(value: str) -> dict:
    """Django DATABASES entry for a DATABASE_URL, or ConfigurationError naming the variable."""
    parts = urlsplit(value)
    if parts.scheme not in DATABASE_SCHEMES:
        shown = f"'{parts.scheme}'" if parts.scheme else "none"
        raise ConfigurationError(
            f"DATABASE_URL has an unsupported scheme ({shown}): use "
            f"{DATABASE_SCHEMES['postgres']} or {DATABASE_SCHEMES['sqlite']}."
        )
    _checked_port("DATABASE_URL", parts)
    if parts.scheme != "sqlite" and not (parts.hostname and parts.path.strip("/")):
        raise ConfigurationError(
            f"DATABASE_URL must name a host and a database, like {DATABASE_SCHEMES['postgres']}."
        )
    config = environ.Env.db_url_config(value)
    if parts.scheme == "sqlite":
        name = config.get("NAME") or ""
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
    config["CONN_MAX_AGE"] = 60 if parts.scheme != "sqlite" else 0
    config["CONN_HEALTH_CHECKS"] = parts.scheme != "sqlite"
    return config


def sqlite_for_threads(config: dict) -> None:
    """Let the development server's threads share a SQLite file: write-ahead logging (readers
    never block the writer), transactions that take the write lock when they begin (a read
    that later writes cannot fail mid-way), and 30 s of waiting for that lock."""
    if config["ENGINE"] != "django.db.backends.sqlite3" or config.get("NAME") == ":memory:":
        return
    config.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )


def redis_url(value: str) -> str:
    """The REDIS_URL itself once it is known to be usable, or ConfigurationError."""
    parts = urlsplit(value)
    if parts.scheme not in REDIS_SCHEMES or not parts.hostname:
        raise ConfigurationError(
            "REDIS_URL must look like redis://HOST:6379/0 (or rediss:// for TLS)."
        )
    _checked_port("REDIS_URL", parts)
    db = parts.path.strip("/")
    if db and not db.isdigit():
        raise ConfigurationError("REDIS_URL must end with a database number, like /0.")
    return value


def secret_key_from_file(path: Path) -> str:
    """A development secret key kept in var/, created on first use."""
    from django.core.management.utils import get_random_secret_key

    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = get_random_secret_key()
    path.write_text(key)
    path.chmod(0o600)
    return key
