"""Arrivals at the warehouse of Taobao orders.

1688 says so with a status (`success` maps to at_warehouse); Taobao has none after
WAIT_BUYER_CONFIRM_GOODS ("shipped"). What tells us the goods arrived is the domestic parcel's
trace in the Taobao logistics detail (upstream-api.md 1.5.2, `logisticsTraces[].status`): the
carrier's SIGN event, the parcel signed for at the warehouse address the order ships to (the
trace statuses are CONSIGN, ACCEPT, TRANSPORT, DELIVERING and SIGN, as in 1688's
LOGISTICS_BUYER_VIEW_TRACE, upstream-api.md 3.5). An order is at the warehouse once every line
sent upstream has a parcel and every parcel is signed for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from logistics.services.common import logger
from purchasing.models import Platform, PurchaseOrder
from purchasing.services.orders.events import advance_to
from purchasing.statuses import OrderStatus
from upstream import accounts
from upstream.errors import UpstreamError
from upstream.types.orders import LogisticsTrace

SIGNED = "SIGN"  # the carrier's "signed for" trace status
CHECK_AT_MOST = 100  # orders a page refresh checks at once; the sweeper checks all


@dataclass
class Arrivals:
    """What one check found: orders moved to at_warehouse, checked, and those it could not read."""

    moved: list[str]
    checked: int
    problems: list[str]


def awaiting_arrival() -> QuerySet[PurchaseOrder]:
    """Taobao orders the seller shipped that have not reached the warehouse, oldest first."""
    return PurchaseOrder.objects.filter(
        platform=Platform.TAOBAO, status=OrderStatus.SHIPPED
    ).order_by("updated_at", "pk")


def _signed(trace: LogisticsTrace) -> str | None:
    """How the trace says the parcel was signed for, or None while it is on its way."""
    event = next((e for e in reversed(trace.events) if e.status == SIGNED), None)
    if event is None:
        return None
    when = f" {event.time:%Y-%m-%d %H:%M}" if event.time else ""
    return f"{trace.carrier} {trace.tracking_no} signed for{when}".strip()


def order_arrival_check(*, order_id: int) -> bool:
    """Read the domestic traces of a shipped Taobao order and move it to at_warehouse when
    every parcel is signed for. True when it moved; safe to run any number of times."""
    order = PurchaseOrder.objects.filter(pk=order_id).first()
    if order is None or order.platform != Platform.TAOBAO or order.status != OrderStatus.SHIPPED:
        return False
    lines = list(order.lines.exclude(upstream_sub_order_id=""))
    if not lines:
        return False
    signed = []
    taobao = accounts.pandapon().taobao_orders
    for line in lines:
        traces = taobao.logistics(sub_order_id=line.upstream_sub_order_id)
        found = [_signed(trace) for trace in traces]
        if not found or None in found:
            return False
        signed += found
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
        if order.status != OrderStatus.SHIPPED:
            logger.info(
                "order %s: %s meanwhile; arrival not applied", order.reference, order.status
            )
            return False
        message = "at the warehouse: " + "; ".join(dict.fromkeys(signed))
        return advance_to(order, OrderStatus.AT_WAREHOUSE, actor_label="warehouse", message=message)


def arrivals_check(*, limit: int | None = CHECK_AT_MOST) -> Arrivals:
    """Check the shipped Taobao orders (the longest waiting first, at most `limit`)."""
    ids = list(awaiting_arrival().values_list("pk", "reference"))
    if limit is not None:
        ids = ids[:limit]
    result = Arrivals(moved=[], checked=0, problems=[])
    for order_id, reference in ids:
        try:
            moved = order_arrival_check(order_id=order_id)
        except UpstreamError as exc:
            logger.info("order %s: arrival not read: %s", reference, exc)
            result.problems.append(reference)
            continue
        result.checked += 1
        if moved:
            result.moved.append(reference)
    return result
