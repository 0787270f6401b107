"""Create sandbox orders at current prices, one per seller or one for all."""

from __future__ import annotations

from django.db.models import F

from upstream.sandbox import pricing, profile
from upstream.sandbox import statuses as st
from upstream.sandbox.ids import new_id
from upstream.sandbox.models.catalogue import Platform, Sku
from upstream.sandbox.models.orders import Order, OrderLine
from upstream.sandbox.orders import foreign
from upstream.sandbox.orders.lifecycle import _move
from upstream.sandbox.orders.notify import emit_status
from upstream.sandbox.router import SandboxCall, SandboxError

SKU_LIMIT = 50  # SKUs per seller order (upstream-api.md 5.6)


def create_orders(
    *,
    call: SandboxCall,
    platform: str,
    items: list[pricing.Item],
    address: dict,
    flow: str = "",
    message: str = "",
    outer_ref: str = "",
    split_by_seller: bool = True,
    trade_type: str = "",
) -> list[Order]:
    """Create one order per seller (or one for all, `split_by_seller=False`) at current prices.

    Never deduplicates (upstream-api.md 6.4). Refuses before creating anything: 400 no items,
    1003 unavailable, 1001 out of stock, 400 under the minimum quantity, 1004 over 50 SKUs in a
    seller's order. Decrements stock, appends the order ids to `call.ledger_ids` and emits a
    status callback per order.
    """
    if not items:
        raise SandboxError(400, "no order lines")
    # Lock the SKUs so two creates cannot both take the last unit.
    sku_pks = [sku.pk for _p, sku, _q, _n in items if sku is not None]
    locked = {sku.pk: sku for sku in Sku.objects.select_for_update().filter(pk__in=sku_pks)}
    items = [(p, locked.get(s.pk, s) if s else None, q, n) for p, s, q, n in items]
    for _product, _sku, quantity, _line_no in items:
        if quantity < 1:
            raise SandboxError(400, "quantity must be at least 1")
    previews = pricing.preview(platform=platform, items=items)
    for seller in previews:
        for line in seller.unavailable_lines:
            raise SandboxError(line.code, f"{line.reason}: {_describe(line)}")
        skus = {(line.product.pk, line.sku.pk if line.sku else None) for line in seller.lines}
        if len(skus) > SKU_LIMIT:
            raise SandboxError(1004, f"more than {SKU_LIMIT} SKUs for seller {seller.shop.shop_id}")
    groups = [[seller] for seller in previews] if split_by_seller else [previews]
    orders = [
        _create_one(call, platform, group, address, flow, message, outer_ref, trade_type)
        for group in groups
    ]
    call.ledger_ids.extend(order.order_id for order in orders)
    if profile.foreign_orders_due(call):
        for order in orders:
            foreign.shadow(order)
    return orders


def _describe(line: pricing.PreviewLine) -> str:
    sku = f" sku {line.sku.sku_id}" if line.sku else ""
    return f"item {line.product.item_id}{sku} x{line.quantity}"


def _create_one(call, platform, sellers, address, flow, message, outer_ref, trade_type) -> Order:
    order_id = new_id()
    order = Order.objects.create(
        provider=call.provider,
        platform=platform,
        user_id=call.user_id,
        order_id=order_id,
        order_no=new_id() if platform == Platform.TAOBAO else order_id,
        outer_ref=outer_ref,
        outer_ref_field=call.op.outer_ref_field,
        ref_ignored=not call.reference_kept,
        created_by=call.op.name,
        status=st.initial(platform),
        flow=flow,
        trade_type=trade_type,
        shop=sellers[0].shop if len(sellers) == 1 else None,
        address=address or {},
        message=message[:500],
        goods_fen=sum(seller.goods_fen for seller in sellers),
        freight_fen=sum(seller.freight_fen for seller in sellers),
        discount_fen=sum(seller.discount_fen for seller in sellers),
        total_fen=sum(seller.total_fen for seller in sellers),
    )
    for seller in sellers:
        for line in seller.lines:
            OrderLine.objects.create(
                order=order,
                sub_order_id=new_id(),
                order_line_no=line.line_no,
                product=line.product,
                sku=line.sku,
                quantity=line.quantity,
                unit_price_fen=line.unit_price_fen,
                amount_fen=line.amount_fen,
                status=order.status,
            )
            if line.sku is not None:
                Sku.objects.filter(pk=line.sku.pk).update(stock=F("stock") - line.quantity)
    if platform == Platform.TAOBAO:
        _move(order, st.Taobao.WAIT_PAY)  # BULIDING is over before the create answers
    else:
        emit_status(order)
    return order
