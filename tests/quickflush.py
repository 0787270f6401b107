"""A transactional test (a live server, a real worker) ends by emptying the database. Django's
flush TRUNCATEs every table, which on PostgreSQL makes new files for each, then sends post_migrate
again to make the content types, permissions and the roles' groups anew: about 0.6 s a test, a
large share of the suite's time. This ends in the same state in one round trip: every table's
rows deleted (foreign keys checked at the commit, when nothing is left to point at), and the rows
post_migrate makes copied back from a copy taken once, after a real flush."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TransactionTestCase

KEPT = "test_kept_"  # prefix of the copies; not Django's tables, so no flush touches them


def emptying_sql() -> str:
    """Flush for real (post_migrate included), copy the tables that are not empty then, and
    return the SQL that brings the database back to that state."""
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    quote = connection.ops.quote_name
    kept = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
            if cursor.fetchone()[0]:
                copy = quote(KEPT + table)
                cursor.execute(f"DROP TABLE IF EXISTS {copy}")
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {quote(table)}")
                kept.append(table)
    return ";\n".join(
        ["SET CONSTRAINTS ALL DEFERRED"]
        + [f"DELETE FROM {quote(table)}" for table in tables]
        + [f"INSERT INTO {quote(table)} SELECT * FROM {quote(KEPT + table)}" for table in kept]
    )


def install() -> Callable[[], None]:
    """Make transactional tests on the default PostgreSQL database end this way; returns the
    undo. A test that flushes a subset of apps or rolls back serialized data keeps Django's."""
    sql = emptying_sql()
    django_teardown = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self: TransactionTestCase) -> None:
        if (
            self.available_apps is not None
            or self.serialized_rollback
            or set(self._databases_names(include_mirrors=False)) != {"default"}
        ):
            django_teardown(self)
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)

    TransactionTestCase._fixture_teardown = _fixture_teardown

    def undo() -> None:
        TransactionTestCase._fixture_teardown = django_teardown

    return undo
