"""Sandbox control state: the ledger of creates and payments, faults, callbacks, and what each
upstream account has agreed to."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

__all__ = ["Account", "Callback", "Fault", "LedgerEntry"]


class LedgerEntry(models.Model):
    """One create or pay call the sandbox carried out. The sandbox never deduplicates
    (upstream-api.md 6.4), so a test counts entries per outer reference."""

    operation = models.CharField(max_length=60)
    kind = models.CharField(max_length=10)  # "create" or "pay"
    path = models.CharField(max_length=200)  # as requested, e.g. /pandapon/open/order
    # The outer reference of what the call created or paid; a payment of several orders has
    # each of theirs, comma-separated (however many: a batch is paid in one call).
    outer_ref = models.TextField(blank=True)
    upstream_ids = models.JSONField(default=list)  # what the call produced (order ids, pay ids)
    user_id = models.CharField(max_length=64)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.operation} {self.outer_ref or '-'} -> {', '.join(self.upstream_ids)}"


class Fault(models.Model):
    """A fault injected into matching calls (or callbacks) until its count runs out."""

    class Mode(models.TextChoices):
        LATENCY = "latency", "Latency: sleep ms before the handler"
        ERROR = "error", "Error: HTTP 500 before the handler"
        TIMEOUT_AFTER_COMMIT = (
            "timeout_after_commit",
            "Timeout after commit: the handler commits, the answer comes too late",
        )
        RATE_LIMIT = "rate_limit", "Rate limit: HTTP 429 with Retry-After"
        DROP_RESPONSE = (
            "drop_response",
            "Drop response: the handler commits, the connection breaks mid-answer",
        )
        DUPLICATE_CALLBACK = "duplicate_callback", "Duplicate callback: delivered twice"
        REORDER_CALLBACKS = (
            "reorder_callbacks",
            "Reorder callbacks: held, then delivered newest first",
        )
        UNSIGNED_CALLBACKS = (
            "unsigned_callbacks",
            "Unsigned callbacks: pushed without signature headers",
        )
        IGNORE_REFERENCES = (
            "ignore_references",
            "Ignore references: our reference fields and list filters do nothing",
        )
        FOREIGN_ORDERS = (
            "foreign_orders",
            "Foreign orders: someone else orders similar goods on the account",
        )

    # Matched (fnmatch) against the operation's path, the requested path, "/<provider><path>"
    # and the operation's name; for callback faults against the message type and provider.
    path = models.CharField(max_length=200, default="*")
    mode = models.CharField(max_length=30, choices=Mode.choices)
    rate = models.FloatField(default=1.0)  # chance that a matching call is hit, 0..1
    count = models.PositiveIntegerField(null=True, blank=True)  # hits left; null: no end
    ms = models.PositiveIntegerField(null=True, blank=True)  # latency, delay or hold window
    hits = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        left = "∞" if self.count is None else self.count
        return f"{self.mode} on {self.path} (rate {self.rate}, {left} left)"


class Callback(models.Model):
    """The outbox of messages the sandbox pushes to Caigou, with their delivery state."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # waiting for its first or next attempt
        DELIVERED = "delivered", "Delivered"  # answered HTTP 200
        FAILED = "failed", "Failed"  # every retry answered something else

    provider = models.CharField(max_length=16)
    message_type = models.CharField(max_length=80)
    body = models.JSONField(default=dict)
    platform = models.CharField(max_length=8)  # "taobao" or "1688"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    held = models.BooleanField(default=False)  # kept back by a reorder_callbacks fault
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.provider} {self.message_type} ({self.status})"


class Account(models.Model):
    """What the sandbox's account at one provider has agreed to. No row: everything signed."""

    provider = models.CharField(max_length=16, unique=True)  # pandapon or dajisaas
    # Off: the account has not signed the password-free (protocol) payment agreement, so a
    # protocol pay moves no money and a person pays at the cashier.
    protocol_pay = models.BooleanField(default=True)
    # The code a refused Dajisaas protocol pay answers with (its codes are undocumented).
    refusal_code = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        signed = "signed" if self.protocol_pay else "not signed"
        return f"{self.provider} account: password-free payment {signed}"
