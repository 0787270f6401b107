"""The call journal: every upstream call, as the person who debugs an order needs to read it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CallJournal(models.Model):
    """One attempt of one upstream call. Bodies are redacted before they get here
    (upstream/journal.py): no secrets, no full phone numbers. Kept UPSTREAM_JOURNAL_DAYS."""

    operation = models.CharField(verbose_name=_("operation"), max_length=60)
    provider = models.CharField(verbose_name=_("provider"), max_length=16)
    # "pandapon:<access-key>", never the secret.
    account = models.CharField(verbose_name=_("account"), max_length=100)
    method = models.CharField(verbose_name=_("HTTP method"), max_length=8)
    path = models.CharField(verbose_name=_("path"), max_length=300)
    outer_ref = models.CharField(
        verbose_name=_("our reference"), max_length=100, blank=True, db_index=True
    )
    duration_ms = models.PositiveIntegerField(verbose_name=_("duration (ms)"), default=0)
    # None: no answer.
    http_status = models.PositiveSmallIntegerField(
        verbose_name=_("HTTP status"), null=True, blank=True
    )
    # The envelope's code.
    code = models.CharField(verbose_name=_("result code"), max_length=40, blank=True)
    request_id = models.CharField(
        verbose_name=_("request id"), max_length=64, blank=True, db_index=True
    )
    # Reads are retried: 1, 2, 3.
    attempt = models.PositiveSmallIntegerField(verbose_name=_("attempt number"), default=1)
    # Exception type and message; empty on success.
    error = models.TextField(verbose_name=_("error"), blank=True)
    request_body = models.JSONField(verbose_name=_("request body"), null=True, blank=True)
    response_body = models.JSONField(verbose_name=_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(
        verbose_name=_("created at"), default=timezone.now, db_index=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("upstream call")
        verbose_name_plural = _("upstream call journal")
        indexes = [models.Index(fields=["operation", "created_at"])]

    def __str__(self) -> str:
        outcome = self.error.split(":", 1)[0] if self.error else self.code or "-"
        return f"{self.operation} {outcome} ({self.duration_ms} ms)"

    @property
    def ok(self) -> bool:
        return not self.error
