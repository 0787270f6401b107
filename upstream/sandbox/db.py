"""The sandbox's own database.

The real upstream keeps its own books, so a Caigou transaction never waits on the upstream's
writes. With SQLite (`make run`), one file for both would make them wait on each other: a
Caigou transaction that holds a row while it calls the upstream blocks the sandbox answering it.
So `make run` gives the sandbox a `sandbox` database of its own and SandboxRouter sends its
models there. Without that alias (tests, PostgreSQL), everything stays in `default`. Sandbox
code opens transactions with `atomic` and `on_commit` from here, never `transaction`'s own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction

SANDBOX_ALIAS = "sandbox"
APP_LABEL = "sandbox"


def sandbox_db() -> str:
    """The database alias of the sandbox's models."""
    return SANDBOX_ALIAS if SANDBOX_ALIAS in settings.DATABASES else DEFAULT_DB_ALIAS


def atomic(func: Callable | None = None) -> Any:
    """`transaction.atomic` on the sandbox's database, as `with atomic():` or `@atomic`."""
    if func is None:
        return transaction.atomic(using=sandbox_db())

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic(using=sandbox_db()):
            return func(*args, **kwargs)

    return wrapper


def on_commit(callback: Callable[[], None], *, robust: bool = False) -> None:
    transaction.on_commit(callback, using=sandbox_db(), robust=robust)


class SandboxRouter:
    """The sandbox app's models read, write and migrate in sandbox_db(); the rest in default."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return sandbox_db() if model._meta.app_label == APP_LABEL else None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return sandbox_db() if model._meta.app_label == APP_LABEL else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        labels = {obj1._meta.app_label, obj2._meta.app_label}
        return None if labels == {APP_LABEL} or APP_LABEL not in labels else False

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        if sandbox_db() == DEFAULT_DB_ALIAS:
            return db == DEFAULT_DB_ALIAS
        return db == (SANDBOX_ALIAS if app_label == APP_LABEL else DEFAULT_DB_ALIAS)
