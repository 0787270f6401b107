"""Bulk data for tests that need a long-running job: rows copied in the database itself."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def copies_of(row: Model, count: int, **overrides: str) -> None:
    """Insert `count` copies of `row` in one statement (PostgreSQL): unique text columns get
    the copy's number appended; `overrides` are literal values for other columns."""
    fields = [field for field in row._meta.concrete_fields if not field.primary_key]
    columns, values, params = [], [], []
    for field in fields:
        columns.append(connection.ops.quote_name(field.column))
        if field.name in overrides:
            values.append("%s")
            params.append(overrides[field.name])
        elif field.unique:
            values.append(f"{connection.ops.quote_name(field.column)} || '-' || n")
        else:
            values.append(connection.ops.quote_name(field.column))
    table = connection.ops.quote_name(row._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {table}, generate_series(1, %s) AS n "
            f"WHERE {table}.id = %s",
            [*params, count, row.pk],
        )
