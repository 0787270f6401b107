"""Orders someone else placed on the same upstream account: another tool, another member of
staff. The account is shared (upstream-api.md 7.1), so a list that ignores our reference
filter returns these too, and only positive evidence tells ours apart.

A foreign order is like one of ours: the same seller and goods, the same delivery address, a
quantity or two more per line (so the amounts are close, not equal), placed a little before
ours: half within two minutes, the rest within the hour. Some were paid by whoever placed them.
They carry no reference of ours, send no pushes and take no stock: nobody on our side made
them, and nobody on our side should act on them.
"""

from __future__ import annotations

import random
from datetime import timedelta

from upstream.sandbox import statuses as st
from upstream.sandbox.ids import new_id
from upstream.sandbox.models.catalogue import Platform
from upstream.sandbox.models.orders import FOREIGN_PREFIX, Order, OrderLine

PLACED_BY = ("erp-sync", "mobile-app", "staff-li.wei", "staff-zhang.min")
PAID_SHARE = 1 / 3
_rng = random.Random()


def shadow(order: Order, *, rng: random.Random | None = None) -> Order:
    """Place, on `order`'s account, an order someone else made for similar goods."""
    rng = rng or _rng
    lines = list(order.lines.select_related("product", "sku").order_by("pk"))
    more = rng.choice((1, 2))
    goods = sum((line.quantity + more) * line.unit_price_fen for line in lines)
    paid = rng.random() < PAID_SHARE
    minutes = rng.uniform(0.2, 2) if rng.random() < 0.5 else rng.uniform(2, 60)
    placed = order.created_at - timedelta(minutes=minutes)
    status = (st.PAID if paid else st.AWAITING_PAYMENT)[order.platform]
    foreign = Order.objects.create(
        provider=order.provider,
        platform=order.platform,
        user_id=order.user_id,
        order_id=new_id(),
        order_no=new_id() if order.platform == Platform.TAOBAO else "",
        ref_ignored=True,
        created_by=f"{FOREIGN_PREFIX}{rng.choice(PLACED_BY)}",
        status=status,
        flow=order.flow,
        trade_type=order.trade_type,
        shop=order.shop,
        address=dict(order.address),
        goods_fen=goods,
        freight_fen=order.freight_fen,
        total_fen=goods + order.freight_fen,
        paid_at=placed + timedelta(seconds=30) if paid else None,
    )
    if not foreign.order_no:
        foreign.order_no = foreign.order_id
    # created_at is set on insert; someone else placed it earlier than ours.
    Order.objects.filter(pk=foreign.pk).update(created_at=placed, order_no=foreign.order_no)
    for line in lines:
        quantity = line.quantity + more
        OrderLine.objects.create(
            order=foreign,
            sub_order_id=new_id(),
            order_line_no=line.order_line_no,
            product=line.product,
            sku=line.sku,
            quantity=quantity,
            unit_price_fen=line.unit_price_fen,
            amount_fen=quantity * line.unit_price_fen,
            status=status,
        )
    foreign.refresh_from_db()
    return foreign


def place_like(order: Order, count: int = 1) -> list[Order]:
    """`count` foreign orders like `order` (the control API's `foreign-orders`)."""
    return [shadow(order) for _ in range(count)]
