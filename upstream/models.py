"""The call journal: every upstream call, as the person who debugs an order needs to read it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class CallJournal(models.Model):
    """One attempt of one upstream call. Bodies are redacted before they get here
    (upstream/journal.py): no secrets, no full phone numbers. Kept UPSTREAM_JOURNAL_DAYS."""

    operation = models.CharField(max_length=60)
    provider = models.CharField(max_length=16)
    account = models.CharField(max_length=100)  # "pandapon:<access-key>", never the secret
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    outer_ref = models.CharField(max_length=100, blank=True, db_index=True)
    duration_ms = models.PositiveIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)  # none: no answer
    code = models.CharField(max_length=40, blank=True)  # the envelope's code
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    attempt = models.PositiveSmallIntegerField(default=1)  # reads are retried: 1, 2, 3
    error = models.TextField(blank=True)  # exception type and message; empty on success
    request_body = models.JSONField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "upstream call"
        verbose_name_plural = "upstream call journal"
        indexes = [models.Index(fields=["operation", "created_at"])]

    def __str__(self) -> str:
        outcome = self.error.split(":", 1)[0] if self.error else self.code or "-"
        return f"{self.operation} {outcome} ({self.duration_ms} ms)"

    @property
    def ok(self) -> bool:
        return not self.error
