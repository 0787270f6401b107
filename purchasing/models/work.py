"""Who works on what: an order or an after-sales case assigned to a person, or claimed by one,
and the reasons recorded for an order that waited past its time (the work queue, README)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchasing.models.timeline import AppendOnly


class TakenHow(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")  # an approver gave it to a person: it stays theirs
    CLAIMED = "claimed", _("Claimed")  # a person took it: it goes back to the queue when idle


class Workable(models.Model):
    """The fields of a piece of work someone holds; the order and the case both carry them, so
    a claim is taken under the row lock of the thing itself (no second row to race on)."""

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assignee"),
    )
    taken_how = models.CharField(
        max_length=10, choices=TakenHow.choices, blank=True, verbose_name=_("how taken")
    )
    taken_at = models.DateTimeField(null=True, blank=True, verbose_name=_("taken at"))
    # The last time the holder did something to it (taking it counts); a claim idle past
    # CAIGOU_CLAIM_EXPIRES_MINUTES from here goes back to the queue.
    last_action_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("last action at")
    )

    class Meta:
        abstract = True


class WaitReason(models.TextChoices):
    WAITING_SELLER = "waiting_seller", _("Waiting for the seller")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting for the customer")
    PRICE_CHECK = "price_check", _("Price check")
    STOCK_CHECK = "stock_check", _("Stock check")
    OTHER = "other", _("Other")


class OrderWait(AppendOnly):
    """Why an order waited past CAIGOU_ORDER_SLA_HOURS, as a person said (counted in reports)."""

    order = models.ForeignKey(
        "purchasing.PurchaseOrder",
        on_delete=models.PROTECT,
        related_name="waits",
        verbose_name=_("purchase order"),
    )
    reason = models.CharField(max_length=20, choices=WaitReason.choices, verbose_name=_("reason"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("order wait")
        verbose_name_plural = _("order waits")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order.reference}: {self.get_reason_display()}"
