"""Exports behind PgBouncer in transaction pooling: with DISABLE_SERVER_SIDE_CURSORS on, no
export declares a server-side cursor and every file is the same as with it off."""

from __future__ import annotations

import contextlib
import signal

import openpyxl
import pytest
from django.db import connection

from purchasing.models import PurchaseOrder
from reports import services
from reports.exports import writers
from reports.models import ExportFile
from tests.orders.factories import PurchaseOrderFactory

ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def named_cursors(monkeypatch) -> list[str]:
    """The names of the server-side cursors the connection opens from now on."""
    names: list[str] = []
    create = connection.create_cursor

    def spying(name=None):
        if name:
            names.append(name)
        return create(name)

    monkeypatch.setattr(connection, "create_cursor", spying)
    return names


def background_export(actor, file_format: str) -> bytes | list[tuple]:
    """A background export written by its task's service: the CSV bytes, or the XLSX cells."""
    export = services.export_start(actor=actor, data={"report": "lines"}, file_format=file_format)
    export = services.export_write(export_id=export.pk)
    assert export.status == ExportFile.Status.DONE, export.error
    with export.file.open("rb") as stored:
        if file_format == "csv":
            return stored.read()
        sheet = openpyxl.load_workbook(stored, read_only=True).active
        return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_with_server_side_cursors_disabled_open_none_and_write_the_same_file(
    history, staff_user, settings, tmp_path, monkeypatch, named_cursors, file_format
):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    finance = staff_user("finance")
    with_cursors = background_export(finance, file_format)
    if ON_POSTGRESQL and file_format == "xlsx":
        # The spy sees them: the XLSX rows come through `.iterator()`'s server-side cursor.
        assert named_cursors
    named_cursors.clear()

    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    without = background_export(finance, file_format)

    assert named_cursors == []
    assert without == with_cursors
    assert len(without if file_format == "xlsx" else without.splitlines()) == 1 + 3


def test_expired_exports_are_purged_with_server_side_cursors_disabled(
    history, staff_user, settings, tmp_path, monkeypatch, named_cursors
):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    export = services.export_start(
        actor=staff_user("finance"), data={"report": "orders"}, file_format="csv"
    )
    export = services.export_write(export_id=export.pk)

    assert services.export_purge(now=export.expires_at) == 1
    assert named_cursors == []
    assert not (tmp_path / export.file.name).exists()


@contextlib.contextmanager
def at_most(seconds: int):
    """Fail a call that waits for ever (a lock never released) instead of hanging the run."""

    def expired(signum, frame):
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="COPY is PostgreSQL's")
def test_a_background_csv_export_saves_its_progress_without_waiting_on_its_own_copy(
    staff_user, settings, tmp_path, monkeypatch
):
    # Progress is saved after every piece of the COPY's output, on the export's connection.
    monkeypatch.setattr(services, "PROGRESS_EVERY_S", 0)
    monkeypatch.setattr(writers, "COPY_CHUNK_BYTES", 256)
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    PurchaseOrderFactory.create_batch(60)
    export = services.export_start(
        actor=staff_user("finance"), data={"report": "orders"}, file_format="csv"
    )

    with at_most(30):
        export = services.export_write(export_id=export.pk)

    assert export.status == ExportFile.Status.DONE
    assert export.rows_done == PurchaseOrder.objects.count() == 60
    with export.file.open("rb") as stored:
        assert stored.read().count(b"\n") == 1 + 60
