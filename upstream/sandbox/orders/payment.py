"""Money on a sandbox order: pay it, change its price, split its freight by seller."""

from __future__ import annotations

from upstream.sandbox import pricing
from upstream.sandbox import statuses as st
from upstream.sandbox.ids import new_id
from upstream.sandbox.models.orders import Order, Payment
from upstream.sandbox.orders.lifecycle import _locked, _move
from upstream.sandbox.orders.notify import _lines, emit_price
from upstream.sandbox.router import SandboxCall, SandboxError


def pay(*, call: SandboxCall, order: Order) -> Payment:
    """Take the order's total. Records a Payment every time (no dedupe, upstream-api.md 6.4):
    a paid order that has not shipped is charged again. Refuses 1005 otherwise."""
    order = _locked(order)
    if not st.is_payable(order.platform, order.status):
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: it cannot be paid")
    payment = Payment.objects.create(
        order=order, pay_id=new_id(), amount_fen=order.total_fen, operation=call.op.name
    )
    if st.is_awaiting_payment(order.platform, order.status):
        _move(order, st.PAID[order.platform])
    call.ledger_ids.append(order.order_id)
    return payment


def change_price(order: Order, delta_fen: int) -> Order:
    """The seller changes an unpaid order's price: a cut is a discount, a rise goes on the
    freight. 1005 once paid; 400 if the total would drop below 1 fen."""
    order = _locked(order)
    if not st.is_awaiting_payment(order.platform, order.status):
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: price is fixed")
    if order.total_fen + delta_fen < 1:
        raise SandboxError(400, "the new total must be at least 1 fen")
    if delta_fen < 0:
        order.discount_fen += -delta_fen
    else:
        order.freight_fen += delta_fen
    order.total_fen = order.goods_fen + order.freight_fen - order.discount_fen
    order.price_modified = True
    order.save()
    emit_price(order)
    return order


def seller_freight(order: Order) -> dict[int, int]:
    """Freight per seller (shop pk) of an order's lines, by the preview's rule."""
    by_shop: dict[int, list[pricing.PreviewLine]] = {}
    for line in _lines(order):
        preview_line = pricing.PreviewLine(
            product=line.product,
            sku=line.sku,
            quantity=line.quantity,
            unit_price_fen=line.unit_price_fen,
            amount_fen=line.amount_fen,
            available=line.status != st.CLOSED[order.platform],
        )
        by_shop.setdefault(line.product.shop_id, []).append(preview_line)
    return {shop: pricing.freight_fen(order.platform, lines) for shop, lines in by_shop.items()}
