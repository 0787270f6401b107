"""Thin tasks: write a background export; delete expired export files (Celery beat)."""

from __future__ import annotations

from celery import shared_task
from django.utils import translation

from reports import services


# Far above the settings' default limits (a million-row XLSX takes minutes), still below the
# broker's visibility timeout, so a running export is never handed to a second worker.
@shared_task(name="reports.write_export", acks_late=True, soft_time_limit=1800, time_limit=1900)
def write_export(export_id: int, language: str | None = None) -> None:
    # The headers and labels in the language of the person who asked (English when unknown).
    with translation.override(language):
        services.export_write(export_id=export_id)


@shared_task(name="reports.purge_exports")
def purge_exports() -> int:
    return services.export_purge()
