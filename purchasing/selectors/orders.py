"""Read queries over purchase orders: the exceptions queue, the work the beat tasks do, and the
cashier links of orders whose password-free payment was refused."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from purchasing.glossary import attention
from purchasing.models import PaymentAttempt, PurchaseOrder, UpstreamMessage
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
    """Orders whose create may have been lost; not those a look-up left to a person's choice
    (nothing more happens to them until that person answers)."""
    return (
        PurchaseOrder.objects.filter(status=OrderStatus.SUBMITTING, updated_at__lt=older_than)
        # has_key first: without it, a missing key makes the comparison NULL and the NOT
        # of it would leave out every order no look-up has touched.
        .exclude(Q(adoption__has_key="state") & Q(adoption__state="ask"))
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


def cashier_links(orders: Iterable[PurchaseOrder]) -> dict[int, str]:
    """Order pk -> the cashier link of each order awaiting payment whose last payment attempt
    failed with one (password-free payment refused: services/orders/cashier.py). One query."""
    waiting = [order.pk for order in orders if order.status == OrderStatus.AWAITING_PAYMENT]
    last: dict[int, tuple[str, str]] = {}
    attempts = PaymentAttempt.objects.filter(order_id__in=waiting).order_by("order_id", "pk")
    for order_id, status, pay_url in attempts.values_list("order_id", "status", "pay_url"):
        last[order_id] = (status, pay_url)
    return {
        order_id: pay_url
        for order_id, (status, pay_url) in last.items()
        if status == PaymentAttempt.Status.FAILED and pay_url
    }


@dataclass(frozen=True)
class ExceptionRow:
    """One row of the exceptions queue."""

    order: PurchaseOrder
    reason: str
    action: str
    since: datetime
    cashier_url: str = ""  # where a person pays it, when password-free payment was refused


def exceptions_queue() -> list[ExceptionRow]:
    """Every order a person must look at, with the reason and the action, oldest first."""
    now = timezone.now()
    no_ship_before = now - timedelta(days=settings.CAIGOU_NO_SHIPMENT_DAYS)
    rows: dict[int, ExceptionRow] = {}
    base = PurchaseOrder.objects.select_related("created_by", "assignee")
    for order in base.filter(needs_attention=True):
        rows[order.pk] = ExceptionRow(
            order,
            attention(order) or gettext("needs attention"),
            gettext("review and clear"),
            order.updated_at,
        )
    for order in base.filter(status=OrderStatus.FAILED):
        rows.setdefault(
            order.pk,
            ExceptionRow(
                order,
                gettext("submission failed: %(reason)s") % {"reason": order.failure_reason},
                gettext("fix and create again"),
                order.updated_at,
            ),
        )
    for order in base.filter(status=OrderStatus.AWAITING_PAYMENT):
        rows.setdefault(
            order.pk,
            ExceptionRow(
                order,
                gettext("created upstream, not paid"),
                gettext("pay or cancel"),
                order.updated_at,
            ),
        )
    for order in base.filter(status=OrderStatus.PAID, paid_at__lt=no_ship_before):
        rows.setdefault(
            order.pk,
            ExceptionRow(
                order,
                gettext("no seller shipment %(days)d days after payment")
                % {"days": settings.CAIGOU_NO_SHIPMENT_DAYS},
                gettext("contact the seller (IM link) or open a refund"),
                order.paid_at,
            ),
        )
    links = cashier_links(row.order for row in rows.values())
    for pk, url in links.items():
        rows[pk] = replace(rows[pk], cashier_url=url, action=gettext("pay at the cashier"))
    return sorted(rows.values(), key=lambda row: (row.since, row.order.pk))


def seller_names(order: PurchaseOrder) -> dict[str, str]:
    """Seller (member) id -> the shop's name, as the order's lines know it: pages name sellers,
    and the upstream's previews carry only their ids."""
    return {
        seller_id: name
        for seller_id, name in order.lines.values_list("seller_id", "seller_name")
        if seller_id and name
    }


def named_sellers(sellers: list[dict], names: dict[str, str]) -> list[dict]:
    """A preview's per-seller rows, each with the seller's name where it is known."""
    return [
        {**seller, "seller_name": names.get(str(seller.get("seller_id")), "")} for seller in sellers
    ]


def pay_hold(order: PurchaseOrder) -> str:
    """Why a part of a split draft is not paid now, or "": another part of the same draft is
    stopped for a person (its create failed, or its price moved), and the parts are one purchase,
    so none is paid until that person decides (clears the stopped part's flag or cancels it)."""
    return pay_holds([order]).get(order.pk, "")


def pay_holds(orders: Iterable[PurchaseOrder]) -> dict[int, str]:
    """`pay_hold` of each order held, by id, in one query (none when no order is a part)."""
    parts = [order for order in orders if order.split_from_id is not None]
    if not parts:
        return {}
    stopped: dict[int, list[PurchaseOrder]] = {}
    for part in (
        PurchaseOrder.objects.filter(
            split_from_id__in={order.split_from_id for order in parts}, needs_attention=True
        )
        .exclude(status=OrderStatus.CANCELLED)
        .order_by("pk")
        .only("reference", "attention_reason", "attention_words", "split_from_id")
    ):
        stopped.setdefault(part.split_from_id, []).append(part)
    holds = {}
    for order in parts:
        other = next((p for p in stopped.get(order.split_from_id, []) if p.pk != order.pk), None)
        if other is not None:
            holds[order.pk] = gettext(
                "%(part)s, another part of the same purchase, is stopped (%(reason)s): decide on "
                "it (clear its flag or cancel it) before this part is paid"
            ) % {"part": other.reference, "reason": attention(other)}
    return holds
