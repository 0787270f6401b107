"""Find sandbox orders and move them through their statuses: cancel, close, receive, advance."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from upstream.sandbox import statuses as st
from upstream.sandbox.models.catalogue import Platform, Sku
from upstream.sandbox.models.orders import Order, OrderLine
from upstream.sandbox.orders.notify import emit_status
from upstream.sandbox.orders.tracking import _ship
from upstream.sandbox.router import SandboxError


def find_order(
    ref: str, *, user_id: str = "", platform: str = "", provider: str = "", lock: bool = False
) -> Order:
    """The order whose id is `ref`, else the latest whose outer reference is `ref`; 404 if none."""
    orders = Order.objects.all()
    if lock:
        orders = orders.select_for_update()
    filters = {"user_id": user_id, "platform": platform, "provider": provider}
    orders = orders.filter(**{key: value for key, value in filters.items() if value})
    ref = str(ref or "").strip()
    order = orders.filter(order_id=ref).first() if ref else None
    if order is None and ref:
        order = orders.filter(outer_ref=ref).order_by("-created_at", "-pk").first()
    if order is None:
        raise SandboxError(404, f"order {ref} does not exist")
    return order


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def cancel(order: Order, *, reason: str = "buyerCancel") -> Order:
    """Close an unpaid order and put its stock back; 1005 once it is paid or closed."""
    order = _locked(order)
    if not st.is_cancellable(order.platform, order.status):
        raise SandboxError(
            1005, f"order {order.order_id} is {order.status}: it cannot be cancelled"
        )
    order.close_reason = (reason or "buyerCancel")[:100]
    return _move(order, st.CLOSED[order.platform])


def close_lines(order: Order, sub_order_ids: Iterable[str], *, reason: str = "") -> Order:
    """Close some lines of an unpaid order (the rest stay); the order closes with its last line."""
    order = _locked(order)
    if not st.is_cancellable(order.platform, order.status):
        raise SandboxError(
            1005, f"order {order.order_id} is {order.status}: it cannot be cancelled"
        )
    wanted = set(sub_order_ids)
    closed = st.CLOSED[order.platform]
    lines = list(order.lines.filter(sub_order_id__in=wanted).exclude(status=closed))
    if len(lines) != len(wanted):
        raise SandboxError(404, "a sub-order does not exist or is already closed")
    for line in lines:
        _restock(line)
        line.status = closed
        line.save(update_fields=["status"])
        order.goods_fen -= line.amount_fen
    order.total_fen = max(0, order.goods_fen + order.freight_fen - order.discount_fen)
    order.save(update_fields=["goods_fen", "total_fen", "updated_at"])
    if not order.lines.exclude(status=closed).exists():
        order.close_reason = (reason or "buyerCancel")[:100]
        return _move(order, closed)
    emit_status(order)
    return order


def receive_goods(order: Order) -> Order:
    """Confirm receipt of a shipped 1688 order (-> success); 1005 in any other state."""
    order = _locked(order)
    if order.platform != Platform.ALIBABA or order.status != st.Alibaba.WAIT_RECEIVE:
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: nothing to receive")
    return _move(order, st.Alibaba.SUCCESS)


def advance(order: Order, to: str) -> Order:
    """Jump to a platform status, filling in what the steps on the way would have set (paid,
    shipped with tracking numbers, arrived, completed); closing an unpaid order restocks it."""
    if to not in st.all_statuses(order.platform):
        raise SandboxError(400, f"{to} is not a {order.platform} order status")
    return _move(_locked(order), to)


def _move(order: Order, to: str) -> Order:
    now = timezone.now()
    closed = st.CLOSED[order.platform]
    if to == closed and not st.is_paid(order.platform, order.status) and order.status != closed:
        for line in order.lines.exclude(status=closed):
            _restock(line)
    if st.is_paid(order.platform, to) and order.paid_at is None:
        order.paid_at = now
    if st.is_shipped(order.platform, to) and order.shipped_at is None:
        order.shipped_at = now
        _ship(order)
    if to == st.COMPLETED.get(order.platform):
        order.arrived_at = order.arrived_at or now
        order.completed_at = order.completed_at or now
    if to == closed and not order.close_reason:
        order.close_reason = "closed"
    order.status = to
    order.save()
    order.lines.exclude(status=closed).update(status=to)
    emit_status(order)
    return order


def _restock(line: OrderLine) -> None:
    if line.sku_id is not None:
        Sku.objects.filter(pk=line.sku_id).update(stock=F("stock") + line.quantity)


def arrive(order: Order) -> Order:
    """The parcel reached the agent's warehouse (a timestamp, not a platform status)."""
    if order.shipped_at is None:
        raise SandboxError(1005, f"order {order.order_id} has not shipped")
    order.arrived_at = order.arrived_at or timezone.now()
    order.save(update_fields=["arrived_at", "updated_at"])
    return order


def line_status(line: OrderLine) -> str:
    """A line's own status (a closed line of a live order keeps TRADE_CLOSED/cancel)."""
    return line.status or line.order.status
