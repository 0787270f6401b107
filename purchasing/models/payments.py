"""Pay calls, each committed before it is made (DESIGN.md, rule 2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchasing.models.orders import PurchaseOrder
from purchasing.phrases import recorded


class PaymentAttempt(models.Model):
    """One pay call for one order, committed before the call (DESIGN.md, rule 2)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")  # committed; the call is about to be, or being, made
        SUCCEEDED = "succeeded", _("Succeeded")  # the upstream has the money
        FAILED = "failed", _("Failed")  # the upstream refused, or said the order is unpaid
        UNKNOWN = "unknown", _("Unknown")  # the call may have paid: read the order before anything

    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("purchase order"),
    )
    key = models.CharField(max_length=64, unique=True, verbose_name=_("key"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name=_("status")
    )
    amount_fen = models.BigIntegerField(default=0, verbose_name=_("amount (fen)"))
    operation = models.CharField(max_length=60, blank=True, verbose_name=_("operation"))
    upstream_request_id = models.CharField(
        max_length=64, blank=True, verbose_name=_("upstream request id")
    )
    pay_url = models.URLField(max_length=1000, blank=True, verbose_name=_("cashier link"))
    # In the site's language; its words are kept too
    error = models.TextField(blank=True, verbose_name=_("error"))
    # purchasing/phrases.py
    error_words = models.JSONField(null=True, blank=True, verbose_name=_("error words"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # A call may be in flight
    lease_until = models.DateTimeField(null=True, blank=True, verbose_name=_("lease until"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")
        ordering = ["created_at", "pk"]
        constraints = [
            # At most one payment may be under way or done per order.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status__in=["pending", "succeeded", "unknown"]),
                name="one_live_payment_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.get_status_display()}"

    @property
    def may_still_land(self) -> bool:
        """Its call's lease has not run out: the call may still be worked on upstream, so the
        order is not paid again yet, whatever a read says (upstream-api.md 6.4)."""
        return bool(self.lease_until and self.lease_until > timezone.now())

    def keep_error(self, why: str) -> None:
        """What befell the attempt, kept in the site's language with its words, so that each
        reader reads it in theirs (the caller saves `error` and `error_words`)."""
        text, self.error_words = recorded(why)
        self.error = text[:2000]
