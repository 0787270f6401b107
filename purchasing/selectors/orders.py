"""Read queries over purchase orders: the exceptions queue, and the work the beat tasks do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from purchasing.models import PurchaseOrder, UpstreamMessage
from purchasing.statuses import OrderStatus

# Created upstream and not finished: what the reconciler keeps in step with the upstream.
OPEN_UPSTREAM = (
    OrderStatus.AWAITING_PAYMENT,
    OrderStatus.PAYING,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
)


def orders_to_reconcile(*, older_than: datetime) -> QuerySet:
    """Ids of open upstream orders not heard of since `older_than`, oldest first."""
    stale = Q(upstream_synced_at__isnull=True) | Q(upstream_synced_at__lt=older_than)
    return (
        PurchaseOrder.objects.filter(status__in=OPEN_UPSTREAM)
        .exclude(upstream_order_id="")
        .filter(stale)
        .order_by("upstream_synced_at", "pk")
        .values_list("pk", flat=True)
    )


def orders_submitting_stuck(*, older_than: datetime) -> QuerySet:
    return (
        PurchaseOrder.objects.filter(status=OrderStatus.SUBMITTING, updated_at__lt=older_than)
        .order_by("updated_at")
        .values_list("pk", flat=True)
    )


def orders_paying_stuck(*, older_than: datetime) -> QuerySet:
    return (
        PurchaseOrder.objects.filter(status=OrderStatus.PAYING, updated_at__lt=older_than)
        .order_by("updated_at")
        .values_list("pk", flat=True)
    )


def messages_unapplied(*, older_than: datetime) -> QuerySet:
    """Ids of stored messages still to apply: not parked, not waiting out the pause after a
    failure; those never tried first, so a failing message cannot hold up the rest."""
    due = Q(retry_after__isnull=True) | Q(retry_after__lte=timezone.now())
    return (
        UpstreamMessage.objects.filter(applied_at__isnull=True, received_at__lt=older_than)
        .exclude(outcome=UpstreamMessage.Outcome.PARKED)
        .filter(due)
        .order_by("attempts", "received_at", "pk")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class ExceptionRow:
    """One row of the exceptions queue."""

    order: PurchaseOrder
    reason: str
    action: str
    since: datetime


def exceptions_queue() -> list[ExceptionRow]:
    """Every order a person must look at, with the reason and the action, oldest first."""
    now = timezone.now()
    no_ship_before = now - timedelta(days=settings.CAIGOU_NO_SHIPMENT_DAYS)
    rows: dict[int, ExceptionRow] = {}
    base = PurchaseOrder.objects.select_related("created_by")
    for order in base.filter(needs_attention=True):
        rows[order.pk] = ExceptionRow(
            order, order.attention_reason or "needs attention", "review and clear", order.updated_at
        )
    for order in base.filter(status=OrderStatus.FAILED):
        rows.setdefault(
            order.pk,
            ExceptionRow(
                order,
                f"submission failed: {order.failure_reason}",
                "fix and create again",
                order.updated_at,
            ),
        )
    for order in base.filter(status=OrderStatus.AWAITING_PAYMENT):
        rows.setdefault(
            order.pk,
            ExceptionRow(order, "created upstream, not paid", "pay or cancel", order.updated_at),
        )
    for order in base.filter(status=OrderStatus.PAID, paid_at__lt=no_ship_before):
        rows.setdefault(
            order.pk,
            ExceptionRow(
                order,
                f"no seller shipment {settings.CAIGOU_NO_SHIPMENT_DAYS} days after payment",
                "contact the seller (IM link) or open a refund",
                order.paid_at,
            ),
        )
    return sorted(rows.values(), key=lambda row: (row.since, row.order.pk))
