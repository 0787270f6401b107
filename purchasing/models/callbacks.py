"""Messages the upstream pushed to us, stored raw before anything is applied."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from purchasing.models.orders import Provider


class UpstreamMessage(models.Model):
    """One callback, verified and stored under a unique key before it is applied by a task."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Not applied yet")
        APPLIED = "applied", _("Applied")
        STALE = "stale", _("Older than what we know")
        NO_ORDER = "no_order", _("No matching order")
        UNKNOWN_TYPE = "unknown_type", _("Unknown message type")
        UNKNOWN_STATUS = "unknown_status", _("Unknown upstream status")
        AFTERSALES = "aftersales", _("Handed to after-sales")
        ERROR = "error", _("Failed to apply")
        # Signed, but its content can never be applied (a negative or fractional amount...):
        # kept with the reason, never retried.
        REFUSED = "refused", _("Refused: content not acceptable")
        # Unverified (CALLBACK_AUTH=verify_by_query): its body was not applied; the order it
        # names was read again from the upstream, which is what moved it.
        HINT = "hint", _("Unverified: the order was read from the upstream")
        # Failed to apply CAIGOU_CALLBACK_MAX_ATTEMPTS times: set aside until a person retries
        # it, so that it no longer holds up the messages behind it.
        PARKED = "parked", _("Parked after repeated failures")

    provider = models.CharField(max_length=16, verbose_name=_("provider"))
    # Unique and indexed through Meta: a field's own `unique`/`db_index` would add PostgreSQL's
    # `varchar_pattern_ops` copies too, which only `LIKE 'x%'` reads and every callback writes.
    dedupe_key = models.CharField(max_length=64, verbose_name=_("deduplication key"))
    message_type = models.CharField(max_length=80, blank=True, verbose_name=_("message type"))
    platform = models.CharField(max_length=8, blank=True, verbose_name=_("platform"))
    # The decoded message body.
    body = models.JSONField(default=dict, blank=True, verbose_name=_("body"))
    # The request body exactly as received.
    raw = models.TextField(blank=True, verbose_name=_("raw body"))
    headers = models.JSONField(default=dict, blank=True, verbose_name=_("headers"))
    # SHA-256 of the request signature where the signature does not cover the body (PandaPon
    # signs only headers): unique, so a captured signature cannot carry a second message.
    signature_hash = models.CharField(
        max_length=64, blank=True, default="", db_default="", verbose_name=_("signature hash")
    )
    verified = models.BooleanField(default=False, verbose_name=_("verified"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=_("received at"))
    applied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("applied at"))
    # The database's defaults too: the ingest's INSERT names only what a callback brings.
    outcome = models.CharField(
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        default="",
        db_default="",
        verbose_name=_("outcome"),
    )
    error = models.TextField(blank=True, default="", db_default="", verbose_name=_("error"))
    # Failed attempts to apply it, the last one's time, and when the next may be made.
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0, verbose_name=_("attempts"))
    last_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last attempt at"))
    retry_after = models.DateTimeField(null=True, blank=True, verbose_name=_("retry after"))
    order = models.ForeignKey(
        "purchasing.PurchaseOrder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        db_index=False,  # a partial index below: a message is stored before its order is known
        verbose_name=_("purchase order"),
    )

    class Meta:
        verbose_name = _("upstream message")
        verbose_name_plural = _("upstream messages")
        # Arrival order is the id's: no index of its own to write on every callback.
        ordering = ["-pk"]
        # Every index is written by every callback (bench/callbacks.py): only those a query
        # needs. The sweeper's look for messages left unapplied reads a small partial index.
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=models.Q(applied_at__isnull=True),
                name="upstream_msg_unapplied",
            ),
            models.Index(
                fields=["order"], condition=models.Q(order__isnull=False), name="upstream_msg_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="one_message_per_key"),
            models.UniqueConstraint(
                fields=["signature_hash"],
                condition=~models.Q(signature_hash=""),
                name="one_message_per_signature",
            ),
        ]

    def __str__(self) -> str:
        from purchasing.glossary import message_words  # it reads the models: imported late

        what = message_words(self.provider, self.message_type)
        return f"{self.provider_name}: {what} ({self.get_outcome_display()})"

    @property
    def provider_name(self) -> str:
        """The agent's name as people write it ("PandaPon"), not the stored code."""
        return dict(Provider.choices).get(self.provider, self.provider)
