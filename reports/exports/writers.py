"""One base that writes any report as CSV or XLSX.

CSV: on PostgreSQL, `COPY (<the filtered query>) TO STDOUT WITH CSV` writes rows formatted by
the database (an order of magnitude faster than Python; safe behind PgBouncer, see
`copy_chunks`); elsewhere, and for words a reader of another language must read (`uses_copy`),
the row writer formats each `.iterator()` row in Python. Both write the same bytes for the same
rows. XLSX: xlsxwriter in constant-memory mode (rows are flushed to
disk as written), every string cell written as a string, never as a formula, its rows read
through `.iterator()`: a server-side cursor, or with DISABLE_SERVER_SIDE_CURSORS on (PgBouncer)
an ordinary one, which holds the filtered rows in the worker's memory while it writes them.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

import xlsxwriter
from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone, translation

from reports.exports.base import Report
from reports.exports.columns import (
    BOOL,
    CHOICE,
    DATETIME,
    INT,
    MONEY,
    TEXT,
    WORDS,
    Column,
    said_again,
)

BOM = "\ufeff"  # so that spreadsheets read the file as UTF-8 (Chinese titles, sellers)
BATCH = 1000  # rows per chunk handed to the response or the file
COPY_CHUNK_BYTES = 64 * 1024  # a COPY's output is handed on in pieces of this size
Progress = Callable[[int], None]


def uses_copy(report: Report, rows: QuerySet) -> bool:
    """COPY on PostgreSQL, unless a column's words must be said in another language than the
    site's, in which it stores them (COPY writes them as stored)."""
    if connections[rows.db].vendor != "postgresql":
        return False
    words = any(column.kind == WORDS for column in report.columns)
    return not words or translation.get_language() == settings.LANGUAGE_CODE


def _header(report: Report) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(report.headers())
    return (BOM + buffer.getvalue()).encode()


def csv_chunks(report: Report, rows: QuerySet, progress: Progress | None = None) -> Iterator[bytes]:
    """The whole CSV file, chunk by chunk: memory stays flat whatever the row count."""
    yield _header(report)
    chunks = copy_chunks(report, rows) if uses_copy(report, rows) else row_chunks(report, rows)
    done = 0
    for chunk, count in chunks:
        yield chunk
        done += count
        if progress:
            progress(done)


class _Lines:
    """The row writer's output. csv writes each row with one write() call; its "\r\n"
    terminator makes the writer quote cells with a carriage return as well as a newline (as
    COPY does), and is kept here as "\n", COPY's line end."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, line: str) -> None:
        self.parts.append(line[:-2] + "\n")

    def take(self) -> bytes:
        data = "".join(self.parts).encode()
        self.parts.clear()
        return data


def row_chunks(report: Report, rows: QuerySet) -> Iterator[tuple[bytes, int]]:
    """The row writer: `.iterator()` rows formatted in Python, BATCH rows per chunk."""
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    pending = 0
    for row in report.rows(rows):
        writer.writerow(row)
        pending += 1
        if pending == BATCH:
            yield lines.take(), pending
            pending = 0
    if pending:
        yield lines.take(), pending


def copy_sql(report: Report, rows: QuerySet, *, formatted: bool = True) -> tuple[str, tuple]:
    """The COPY statement for the filtered rows: the queryset's own SQL and parameters."""
    values = report.sql_values(rows) if formatted else report.values(rows)
    sql, params = values.query.get_compiler(using=values.db).as_sql()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params


def copy_chunks(report: Report, rows: QuerySet) -> Iterator[tuple[bytes, int]]:
    """PostgreSQL writes the CSV; the row count is the newlines (a quoted newline inside a cell
    counts too, so it is an estimate that the caller only uses for progress).

    The whole COPY is read into a temporary file (memory stays flat) before the first chunk is
    handed on. While a COPY runs its connection can do nothing else, and a background export
    saves its progress between chunks on that same connection: handed on mid-COPY, that save
    would wait for the COPY for ever. It also frees the connection as soon as the database is
    done, not when a slow client has downloaded the file.

    Behind PgBouncer in transaction pooling (DISABLE_SERVER_SIDE_CURSORS on), COPY stays, and
    stays correct: it is one statement, its own transaction in autocommit, read to its end
    before anything else is sent; it declares no cursor, prepares nothing (Django binds the
    parameters in the client) and reads no session setting (times are converted with an
    explicit zone, `columns._LocalText`).
    """
    statement, params = copy_sql(report, rows)
    with tempfile.TemporaryFile() as spool:
        with connections[rows.db].cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
            for data in copy:
                spool.write(data)
        spool.seek(0)
        while chunk := spool.read(COPY_CHUNK_BYTES):
            yield chunk, chunk.count(b"\n")


def write_csv(
    report: Report, rows: QuerySet, out: IO[bytes], progress: Progress | None = None
) -> None:
    for chunk in csv_chunks(report, rows, progress):
        out.write(chunk)


def _xlsx_cell(sheet, column: Column, money, stamp) -> tuple:
    """(convert or None, write method, format) for one column. The worksheet's undecorated
    typed writers are what its own write_row uses; the public ones parse "A1" arguments on
    every cell, a third of the time of a large export."""
    if column.kind == MONEY:
        return (lambda fen: fen / 100), sheet._write_number, money
    if column.kind == DATETIME:
        zone = timezone.get_current_timezone()
        return (lambda value: value.astimezone(zone)), sheet._write_datetime, stamp
    if column.kind == INT:
        return None, sheet._write_number, None
    if column.kind in (CHOICE, BOOL):
        return column.label, sheet._write_string, None
    if column.kind == WORDS:
        return said_again, sheet._write_string, None
    return (None if column.kind == TEXT else str), sheet._write_string, None


def write_xlsx(
    report: Report, rows: QuerySet, out: IO[bytes] | str, progress: Progress | None = None
) -> int:
    """Write the report as one XLSX sheet; returns the number of rows written."""
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,  # datetimes are converted to local time first
        },
    )
    sheet = workbook.add_worksheet(str(report.title)[:31])
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    plan = [
        (index, *_xlsx_cell(sheet, column, money, stamp))
        for index, column in enumerate(report.columns)
    ]
    for index, column in enumerate(report.columns):
        sheet.set_column(index, index, 20 if column.kind == DATETIME else 14)
    sheet.write_row(0, 0, report.headers(), bold)
    sheet.freeze_panes(1, 0)
    row_no = 0
    for row_no, values in enumerate(report.values(rows).iterator(chunk_size=2000), start=1):
        for index, convert, method, fmt in plan:
            value = values[index]
            if value is not None:
                method(row_no, index, convert(value) if convert else value, fmt)
        if progress and row_no % BATCH == 0:
            progress(row_no)
    workbook.close()
    if progress:
        progress(row_no)
    return row_no
