"""A customer order's status, derived from what it was bought with.

Each line follows its purchase line: the purchase order's status (paid -> purchased, shipped,
at warehouse, dispatched, delivered; cancelled or failed -> cancelled), the line's parcel
abroad, and refunds (a succeeded refund case covering it -> refunded). The order is as far as
its least advanced live line; before anything is bought it says whether it waits for the
customer, for a person or for the upstream. Every change is announced to the storefront with an
`order.status_changed` webhook.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from aftersales.models import CaseLine, CaseStatus
from logistics.models import Parcel, ParcelStatus
from purchasing.deadlines import is_reminder
from purchasing.models import PurchaseOrder
from purchasing.statuses import OrderStatus
from storefront.models import (
    CustomerLineStatus,
    CustomerOrder,
    CustomerOrderLine,
    CustomerOrderStatus,
)
from storefront.services.webhooks import webhook_emit

STATUS_CHANGED = "order.status_changed"
DECISION_REQUIRED = "order.decision_required"
CREATED = "order.created"

LINE_FROM_PURCHASE: dict[str, str] = {
    OrderStatus.PAID: CustomerLineStatus.PURCHASED,
    OrderStatus.SHIPPED: CustomerLineStatus.SHIPPED,
    OrderStatus.AT_WAREHOUSE: CustomerLineStatus.AT_WAREHOUSE,
    OrderStatus.DISPATCHED: CustomerLineStatus.DISPATCHED,
    OrderStatus.DELIVERED: CustomerLineStatus.DELIVERED,
    OrderStatus.CANCELLED: CustomerLineStatus.CANCELLED,
    OrderStatus.FAILED: CustomerLineStatus.CANCELLED,
}
LINE_FROM_PARCEL: dict[str, str] = {
    ParcelStatus.BOOKED: CustomerLineStatus.DISPATCHED,
    ParcelStatus.IN_TRANSIT: CustomerLineStatus.DISPATCHED,
    ParcelStatus.DELIVERED: CustomerLineStatus.DELIVERED,
}
LINE_RANK = {
    CustomerLineStatus.PENDING: 0,
    CustomerLineStatus.NEEDS_DECISION: 0,
    CustomerLineStatus.PURCHASED: 1,
    CustomerLineStatus.SHIPPED: 2,
    CustomerLineStatus.AT_WAREHOUSE: 3,
    CustomerLineStatus.DISPATCHED: 4,
    CustomerLineStatus.DELIVERED: 5,
}
ORDER_FROM_LINE = {
    CustomerLineStatus.PURCHASED: CustomerOrderStatus.PURCHASED,
    CustomerLineStatus.SHIPPED: CustomerOrderStatus.SHIPPED,
    CustomerLineStatus.AT_WAREHOUSE: CustomerOrderStatus.AT_WAREHOUSE,
    CustomerLineStatus.DISPATCHED: CustomerOrderStatus.DISPATCHED,
    CustomerLineStatus.DELIVERED: CustomerOrderStatus.DELIVERED,
}
# The order's progress; before a purchase, who it waits for decides between equals.
ORDER_RANK = {
    CustomerOrderStatus.NEEDS_DECISION: 0,
    CustomerOrderStatus.ON_HOLD: 1,
    CustomerOrderStatus.RECEIVED: 2,
    CustomerOrderStatus.PURCHASING: 3,
    CustomerOrderStatus.PURCHASED: 4,
    CustomerOrderStatus.SHIPPED: 5,
    CustomerOrderStatus.AT_WAREHOUSE: 6,
    CustomerOrderStatus.DISPATCHED: 7,
    CustomerOrderStatus.DELIVERED: 8,
}
CLOSED = (CustomerOrderStatus.CANCELLED, CustomerOrderStatus.FAILED)
DEAD_LINES = (CustomerLineStatus.DROPPED, CustomerLineStatus.CANCELLED)
ORDERING_UPSTREAM = (OrderStatus.SUBMITTING, OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYING)


def set_status(
    order: CustomerOrder,
    status: str,
    reason: str = "",
    *,
    event_type: str = STATUS_CHANGED,
    announce: bool = False,
) -> bool:
    """Save the order's status and reason (caller holds the row lock); a new status, or
    `announce` (a line changed), sends `event_type`. True when the status changed."""
    changed = order.status != status
    if changed or order.status_reason != reason:
        order.status, order.status_reason = status, reason[:2000]
        order.save(update_fields=["status", "status_reason", "updated_at"])
    if changed or announce:
        webhook_emit(order, event_type)
    return changed


def customer_order_sync(*, customer_order_id: int) -> CustomerOrder | None:
    """Derive the lines' and the order's status again and announce what changed (the status
    task's work: it runs after every purchase-order event; safe to run any number of times)."""
    started = timezone.now()
    with transaction.atomic():
        order = CustomerOrder.objects.select_for_update().filter(pk=customer_order_id).first()
        if order is None:
            return None
        lines = _lines(order)
        refunded = _refunded_line_ids(lines)
        changed = []
        for line in lines:
            status = line_status(line, refunded)
            if status != line.status:
                line.status = status
                changed.append(line)
        if changed:
            CustomerOrderLine.objects.bulk_update(changed, ["status"])
        CustomerOrder.objects.filter(pk=order.pk).update(synced_at=started)
        if order.status in CLOSED:
            if changed:
                webhook_emit(order, STATUS_CHANGED)
            return order
        status, reason = order_status(order, lines)
        set_status(order, status, reason, announce=bool(changed))
        return order


def _lines(order: CustomerOrder) -> list[CustomerOrderLine]:
    live_parcels = Parcel.objects.exclude(status=ParcelStatus.CANCELLED).order_by("-created_at")
    return list(
        order.lines.select_related("purchase_line__order")
        .prefetch_related(Prefetch("purchase_line__parcels", queryset=live_parcels))
        .order_by("line_no")
    )


def _refunded_line_ids(lines: list[CustomerOrderLine]) -> set[int]:
    bought = [line.purchase_line_id for line in lines if line.purchase_line_id]
    done = CaseLine.objects.filter(line_id__in=bought, case__status=CaseStatus.REFUNDED)
    return set(done.values_list("line_id", flat=True))


def progress(line: CustomerOrderLine) -> str:
    """How far the line's goods went, refunds aside."""
    if line.status in DEAD_LINES:
        return line.status
    if line.decision_reason and not line.decision:
        return CustomerLineStatus.NEEDS_DECISION
    bought = line.purchase_line
    if bought is None:
        return CustomerLineStatus.PENDING
    status = LINE_FROM_PURCHASE.get(bought.order.status, CustomerLineStatus.PENDING)
    parcel = next(iter(bought.parcels.all()), None)
    by_parcel = LINE_FROM_PARCEL.get(parcel.status) if parcel is not None else None
    if by_parcel and status not in DEAD_LINES and LINE_RANK[by_parcel] > LINE_RANK[status]:
        status = by_parcel
    return status


def line_status(line: CustomerOrderLine, refunded: set[int]) -> str:
    status = progress(line)
    if line.purchase_line_id in refunded and status not in (
        CustomerLineStatus.DROPPED,
        CustomerLineStatus.NEEDS_DECISION,
    ):
        return CustomerLineStatus.REFUNDED
    return status


def order_status(order: CustomerOrder, lines: list[CustomerOrderLine]) -> tuple[str, str]:
    """The order's status and reason from its lines (statuses already derived)."""
    live = [line for line in lines if line.status not in DEAD_LINES]
    if not live:
        purchases = {line.purchase_line.order for line in lines if line.purchase_line}
        if any(p.status == OrderStatus.FAILED for p in purchases):
            reasons = "; ".join(p.failure_reason for p in purchases if p.failure_reason)
            return CustomerOrderStatus.FAILED, reasons or "the upstream refused the purchase"
        return CustomerOrderStatus.CANCELLED, order.status_reason
    found = [_order_status_of(order, line) for line in live]
    status, reason = min(found, key=lambda pair: ORDER_RANK[pair[0]])
    return status, reason


def orders_out_of_sync(before: datetime, limit: int = 200) -> list[int]:
    """Open customer orders with a purchase order or parcel that changed after their last sync
    and before `before`: a status task that was lost (its enqueue after the commit failed)."""
    stale = (
        Q(synced_at__isnull=True, updated_at__lt=before)
        | Q(purchase_orders__updated_at__gt=F("synced_at"), purchase_orders__updated_at__lt=before)
        | Q(
            lines__purchase_line__parcels__updated_at__gt=F("synced_at"),
            lines__purchase_line__parcels__updated_at__lt=before,
        )
    )
    open_orders = CustomerOrder.objects.exclude(
        status__in=(CustomerOrderStatus.RECEIVED, CustomerOrderStatus.DELIVERED, *CLOSED)
    )
    return list(open_orders.filter(stale).values_list("pk", flat=True).distinct()[:limit])


def _order_status_of(order: CustomerOrder, line: CustomerOrderLine) -> tuple[str, str]:
    status = progress(line)
    if status == CustomerLineStatus.NEEDS_DECISION:
        return (
            CustomerOrderStatus.NEEDS_DECISION,
            "the customer decides about a price or an unavailable line",
        )
    if status != CustomerLineStatus.PENDING:
        return ORDER_FROM_LINE[status], ""
    purchase: PurchaseOrder | None = line.purchase_line.order if line.purchase_line else None
    # A deadline's reminder holds nothing (purchasing/deadlines.py): the order goes on.
    if (
        purchase is not None
        and purchase.needs_attention
        and not is_reminder(purchase.attention_words)
    ):
        if order.status == CustomerOrderStatus.ON_HOLD and order.status_reason:
            return CustomerOrderStatus.ON_HOLD, order.status_reason
        return CustomerOrderStatus.ON_HOLD, f"{purchase.reference}: {purchase.attention_reason}"
    if purchase is not None and purchase.status in ORDERING_UPSTREAM:
        return CustomerOrderStatus.PURCHASING, ""
    if order.status in (CustomerOrderStatus.RECEIVED, CustomerOrderStatus.ON_HOLD):
        return order.status, order.status_reason
    return CustomerOrderStatus.ON_HOLD, "waiting for a person to buy it"
