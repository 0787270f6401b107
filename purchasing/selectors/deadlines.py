"""Deadlines read from the database: when each order entered each status (its timeline), and
the next deadline of a page of orders in one query (purchasing/deadlines.py computes them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, Min
from django.utils import timezone

from purchasing.deadlines import Clocks, Deadline, next_deadline
from purchasing.models import OrderEvent, PurchaseOrder
from purchasing.statuses import OrderStatus


def status_times(orders: Iterable[PurchaseOrder]) -> dict[int, dict[str, datetime]]:
    """{order id: {status: the first time the order entered it}}, from the timeline; the paid
    time the order itself records wins for `paid` (a skipped step writes no event of its own)."""
    orders = list(orders)
    times: dict[int, dict[str, datetime]] = {order.pk: {} for order in orders}
    rows = (
        OrderEvent.objects.filter(order_id__in=list(times))
        .exclude(from_status=F("to_status"))
        .values("order_id", "to_status")
        .annotate(at=Min("created_at"))
    )
    for row in rows:
        times[row["order_id"]][row["to_status"]] = row["at"]
    for order in orders:
        if order.paid_at is not None:
            times[order.pk][OrderStatus.PAID] = order.paid_at
    return times


def deadlines_of(
    orders: Iterable[PurchaseOrder], *, now: datetime | None = None
) -> dict[int, Deadline]:
    """{order id: next deadline} for the orders that have one (one query for all of them)."""
    orders = list(orders)
    now = now or timezone.now()
    clocks = Clocks.from_settings()
    found = {}
    times = status_times(orders)
    for order in orders:
        deadline = next_deadline(
            status=order.status, entered=times[order.pk], clocks=clocks, now=now
        )
        if deadline is not None:
            found[order.pk] = deadline
    return found
