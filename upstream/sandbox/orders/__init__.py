"""Sandbox order services: create, pay, cancel, move through the platform statuses, change the
price. Handlers, carts, after-sales and the control API all go through these functions.
"""

from __future__ import annotations

from upstream.sandbox import statuses as st
from upstream.sandbox.db import atomic
from upstream.sandbox.models.catalogue import Platform
from upstream.sandbox.models.orders import FOREIGN_PREFIX, Order
from upstream.sandbox.orders.create import SKU_LIMIT, create_orders
from upstream.sandbox.orders.lifecycle import (
    _locked,
    _move,
    advance,
    arrive,
    cancel,
    close_lines,
    find_order,
    line_status,
    receive_goods,
)
from upstream.sandbox.orders.notify import ALIBABA_TOPICS, emit_price, emit_status
from upstream.sandbox.orders.payment import change_price, pay, seller_freight
from upstream.sandbox.orders.tracking import (
    CARRIER_CODES,
    CARRIERS,
    CHINA,
    china_time,
    trace_events,
)
from upstream.sandbox.router import tick_step

__all__ = [
    "ALIBABA_TOPICS",
    "CARRIERS",
    "CARRIER_CODES",
    "CHINA",
    "SKU_LIMIT",
    "advance",
    "arrive",
    "cancel",
    "change_price",
    "china_time",
    "close_lines",
    "complete_arrived_orders",
    "create_orders",
    "deliver_shipped_orders",
    "emit_price",
    "emit_status",
    "find_order",
    "line_status",
    "pay",
    "receive_goods",
    "seller_freight",
    "ship_paid_orders",
    "trace_events",
]


def _ours():
    """Orders placed through the sandbox's API: the foreign ones (orders/foreign.py) stand still,
    so they send no pushes."""
    return Order.objects.exclude(created_by__startswith=FOREIGN_PREFIX)


# The tick steps stay in this module: control.tick() names a step after its module's last part
# ("orders.ship_paid_orders").
# Registered last step first, so one tick moves each order by one step only.
@tick_step
def complete_arrived_orders() -> int:
    """1688 orders that arrived at the warehouse are confirmed automatically."""
    moved = 0
    for order in _ours().filter(
        platform=Platform.ALIBABA, status=st.Alibaba.WAIT_RECEIVE, arrived_at__isnull=False
    ):
        with atomic():
            _move(_locked(order), st.Alibaba.SUCCESS)
        moved += 1
    return moved


@tick_step
def deliver_shipped_orders() -> int:
    """Shipped parcels arrive at the warehouse."""
    moved = 0
    shipped = [st.Taobao.WAIT_CONFIRM, st.Alibaba.WAIT_RECEIVE]
    for order in _ours().filter(status__in=shipped, arrived_at__isnull=True):
        with atomic():
            arrive(_locked(order))
        moved += 1
    return moved


@tick_step
def ship_paid_orders() -> int:
    """Sellers ship paid orders (tracking number and carrier on every line)."""
    moved = 0
    for order in _ours().filter(status__in=[st.Taobao.WAIT_SEND, st.Alibaba.WAIT_SEND]):
        with atomic():
            _move(_locked(order), st.SHIPPED[order.platform])
        moved += 1
    return moved
