"""Export files: one row per export, streamed or written in the background. The row is also the
export log (who, which report, which filters, how many rows), kept after its file expires."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def export_path(instance: ExportFile, filename: str) -> str:
    """Where an export's file is stored: under a long random folder, so that a name cannot be
    guessed from the report and the time. Files are only ever served by the download view,
    which checks the user; the random name is a second wall, not the first."""
    return f"exports/{secrets.token_urlsafe(24)}/{filename}"


class ExportFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")  # committed; the task is about to run
        RUNNING = "running", _("Running")  # the task is writing the file
        DONE = "done", _("Ready")  # the file can be downloaded (or the stream was sent)
        FAILED = "failed", _("Failed")  # the task gave up; `error` says why
        EXPIRED = "expired", _("Expired")  # the file was deleted after its days; the log stays

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")

    class Mode(models.TextChoices):
        STREAM = "stream", _("Streamed")  # sent straight to the browser
        FILE = "file", _("Background file")  # written by a task, kept for download

    report = models.CharField(verbose_name=_("report"), max_length=20)
    format = models.CharField(verbose_name=_("format"), max_length=4, choices=Format.choices)
    mode = models.CharField(verbose_name=_("mode"), max_length=6, choices=Mode.choices)
    # The filter form's data, as on screen.
    filters = models.JSONField(verbose_name=_("filters"), default=dict, blank=True)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=8,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    rows_total = models.PositiveIntegerField(verbose_name=_("total rows"), default=0)
    rows_done = models.PositiveIntegerField(verbose_name=_("rows written"), default=0)
    file = models.FileField(verbose_name=_("file"), upload_to=export_path, blank=True)
    error = models.TextField(verbose_name=_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(
        verbose_name=_("created at"), auto_now_add=True, db_index=True
    )
    finished_at = models.DateTimeField(verbose_name=_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(
        verbose_name=_("expires at"), null=True, blank=True, db_index=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export file")
        verbose_name_plural = _("export files")

    def __str__(self) -> str:
        return f"{self.report}.{self.format} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def filename(self) -> str:
        stamp = timezone.localtime(self.created_at)
        return f"caigou-{self.report}-{stamp:%Y%m%d-%H%M}.{self.format}"
