"""Exports: start one (streamed now, or a file written by a task), write it, purge old files.

Every export writes an ExportFile row first: it is the log of who exported which report with
which filters and how many rows, for streamed and background exports alike.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.exports.writers import csv_chunks, write_csv, write_xlsx
from reports.forms import ReportFilterForm
from reports.models import ExportFile

logger = logging.getLogger("reports")
EXPORT = "purchasing.export_reports"
PROGRESS_EVERY_S = 0.5  # how often a background export saves its progress


def sync_max_rows() -> int:
    """Exports up to this many rows stream at once; bigger ones are written in the background."""
    return settings.CAIGOU_EXPORT_SYNC_MAX_ROWS


def keep_days() -> int:
    """How long a background export's file stays downloadable."""
    return settings.CAIGOU_EXPORT_KEEP_DAYS


class ExportError(Exception):
    """The export cannot start (bad filters); the message says why."""


@transaction.atomic
def export_start(
    *, actor: Any, data: dict[str, Any], file_format: str, language: str | None = None
) -> ExportFile:
    """Log the export and decide how it runs: up to CAIGOU_EXPORT_SYNC_MAX_ROWS rows stream now
    (mode STREAM), more are written by a task (mode FILE) after commit, in `language` (the
    person's, so a background file has the headers a streamed one would have)."""
    if not actor.has_perm(EXPORT):
        raise PermissionDenied("Exporting reports needs the export permission.")
    if file_format not in ExportFile.Format.values:
        raise ExportError(_("Choose CSV or XLSX."))
    form = ReportFilterForm(data)
    if not form.is_valid():
        raise ExportError(_("Correct the filters before exporting."))
    report = form.chosen
    total = report.queryset(form.filters()).count()
    stream = total <= sync_max_rows()
    export = ExportFile.objects.create(
        report=report.slug,
        format=file_format,
        mode=ExportFile.Mode.STREAM if stream else ExportFile.Mode.FILE,
        filters=form.as_stored(),
        rows_total=total,
        created_by=actor,
        status=ExportFile.Status.RUNNING if stream else ExportFile.Status.QUEUED,
    )
    logger.info(
        "export %s: %s %s by %s, %s rows, filters %s",
        export.pk,
        report.slug,
        file_format,
        actor,
        total,
        export.filters,
    )
    if not stream:
        from reports.tasks import write_export

        transaction.on_commit(lambda: write_export.delay(export_id=export.pk, language=language))
    return export


def _rows_for(export: ExportFile):
    form = ReportFilterForm(export.filters)
    return form.chosen, form.chosen.queryset(form.filters())


def export_stream(*, export: ExportFile) -> Iterator[bytes]:
    """The CSV of a streamed export, chunk by chunk; the log row is finished at the end."""
    report, rows = _rows_for(export)
    done = 0

    def counted(n: int) -> None:
        nonlocal done
        done = n

    yield from csv_chunks(report, rows, counted)
    _finish(export.pk, rows_done=min(done, export.rows_total) or export.rows_total)


def export_xlsx_bytes(*, export: ExportFile) -> tempfile.SpooledTemporaryFile:
    """A small XLSX written whole (the format cannot be streamed), rewound for the response."""
    report, rows = _rows_for(export)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - the response closes it
    written = write_xlsx(report, rows, out)
    out.seek(0)
    _finish(export.pk, rows_done=written)
    return out


def _finish(export_id: int, *, rows_done: int) -> None:
    now = timezone.now()
    ExportFile.objects.filter(pk=export_id).update(
        status=ExportFile.Status.DONE, rows_done=rows_done, finished_at=now
    )


def export_write(*, export_id: int) -> ExportFile | None:
    """The background export: write the file to storage, saving progress as it goes. Safe to
    run twice: a finished export is left alone, an interrupted one is written again."""
    with transaction.atomic():
        export = ExportFile.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status not in (
            ExportFile.Status.QUEUED,
            ExportFile.Status.RUNNING,
        ):
            logger.info(
                "export %s: nothing to write (gone or already %s)",
                export_id,
                getattr(export, "status", "deleted"),
            )
            return export
        export.status, export.rows_done = ExportFile.Status.RUNNING, 0
        export.save(update_fields=["status", "rows_done"])
    report, rows = _rows_for(export)
    last = time.monotonic()

    def progress(done: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY_S:
            last = time.monotonic()
            ExportFile.objects.filter(pk=export_id).update(rows_done=min(done, export.rows_total))

    try:
        with tempfile.TemporaryFile() as out:
            if export.format == ExportFile.Format.XLSX:
                written = write_xlsx(report, rows, out, progress)
            else:
                write_csv(report, rows, out, progress)
                written = export.rows_total
            out.seek(0)
            export.file.save(export.filename, File(out), save=False)
    except Exception as exc:
        logger.exception("export %s failed", export_id)
        ExportFile.objects.filter(pk=export_id).update(
            status=ExportFile.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        # The row says it failed and why; the page tells the person to start it again.
        return ExportFile.objects.get(pk=export_id)
    now = timezone.now()
    export.status, export.rows_done, export.finished_at = ExportFile.Status.DONE, written, now
    export.expires_at = now + timedelta(days=keep_days())
    export.save(update_fields=["status", "rows_done", "finished_at", "expires_at", "file"])
    return export


def export_purge(*, now: Any = None) -> int:
    """Delete the files of exports past their days; the rows stay as the export log."""
    now = now or timezone.now()
    purged = 0
    for export in ExportFile.objects.filter(
        status=ExportFile.Status.DONE, expires_at__lte=now
    ).iterator():
        if export.file:
            _delete(export.file)
        export.status = ExportFile.Status.EXPIRED
        export.save(update_fields=["status", "file"])
        purged += 1
    return purged


def _delete(file: Any) -> None:
    """The file, and on local disk its random folder (`export_path`), which holds nothing else."""
    name, storage = file.name, file.storage
    file.delete(save=False)
    try:
        folder = Path(storage.path(name)).parent
    except NotImplementedError:  # object storage: no folders to leave behind
        return
    with contextlib.suppress(OSError):  # not empty after all, or gone: left as it is
        folder.rmdir()
