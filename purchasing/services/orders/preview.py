"""Create draft orders (from a cart selection or from items a person chose) and preview them
against the upstream: price, freight, promotions, stock and the split by seller."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from purchasing.models import OrderPreview, Product, PurchaseOrder, PurchaseOrderLine, Sku
from purchasing.models.orders import Source
from purchasing.routes import cart_route, route_for, route_for_platform
from purchasing.services.orders.common import OrderError, locked, logger, now, require
from purchasing.statuses import OrderStatus
from upstream.types.orders import Preview

PREVIEWABLE = (
    OrderStatus.DRAFT,
    OrderStatus.PREVIEWED,
    OrderStatus.AWAITING_APPROVAL,
    OrderStatus.APPROVED,
)


# -- creating drafts ---------------------------------------------------------------------------
@transaction.atomic
def order_create_from_items(
    *,
    platform: str,
    items: Sequence[Mapping[str, Any]],
    address: Mapping[str, Any],
    actor: Any,
    source: str = Source.STAFF,
) -> PurchaseOrder:
    """A draft order of items chosen by id: `[{item_id, sku_id or spec_id, quantity}]`. Each
    item is read upstream once, so the lines carry its title, price and seller."""
    require(actor, "create_order")
    if not items:
        raise OrderError("an order needs at least one line")
    route = route_for_platform(platform)
    order = PurchaseOrder.objects.create(
        platform=platform,
        provider=route.provider,
        source=source,
        address=dict(address),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    products: dict[str, Any] = {}
    for number, item in enumerate(items, start=1):
        item_id = str(item["item_id"])
        if item_id not in products:
            products[item_id] = route.product(item_id)
        product = products[item_id]
        wanted = str(item.get("sku_id") or item.get("spec_id") or "")
        sku = next((s for s in product.skus if wanted in (s.sku_id, s.spec_id)), None)
        if sku is None and product.skus:
            raise OrderError(f"item {item_id} has no SKU {wanted}")
        quantity = int(item["quantity"])
        unit = sku.price_fen if sku else product.price_fen
        PurchaseOrderLine.objects.create(
            order=order,
            line_no=number,
            item_id=item_id,
            sku_id=sku.sku_id if sku else "",
            spec_id=sku.spec_id if sku else "",
            mp_id=product.mp_id,
            mp_sku_id=sku.mp_sku_id if sku else "",
            seller_id=product.seller_open_id or product.shop_id,
            seller_name=product.shop_name,
            title=product.title[:300],
            properties=[asdict(p) for p in sku.properties] if sku else [],
            picture=(product.pictures[:1] or [""])[0][:500],
            quantity=quantity,
            unit_price_fen=unit,
            amount_fen=unit * quantity,
            **_cached(platform, item_id, sku.sku_id if sku else ""),
        )
    _note_created(order, actor)
    return order


@transaction.atomic
def order_create_from_cart(
    *, platform: str, cart_ids: Sequence[str], address: Mapping[str, Any], actor: Any
) -> PurchaseOrder:
    """A draft order of upstream cart lines; the lines are snapshot as the cart shows them, so
    the preview can show what moved since."""
    require(actor, "create_order")
    route = cart_route(platform)
    cart = route.cart()
    wanted = [str(cart_id) for cart_id in cart_ids]
    found = {cart_id: cart.find(cart_id) for cart_id in wanted}
    missing = [cart_id for cart_id, item in found.items() if item is None]
    if missing or not wanted:
        raise OrderError(f"cart lines not found: {', '.join(missing) or 'none chosen'}")
    order = PurchaseOrder.objects.create(
        platform=platform,
        provider=route.provider,
        source=Source.CART,
        cart_ids=wanted,
        address=dict(address),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for number, cart_id in enumerate(wanted, start=1):
        item = found[cart_id]
        PurchaseOrderLine.objects.create(
            order=order,
            line_no=number,
            cart_id=cart_id,
            item_id=item.item_id,
            sku_id=item.sku_id,
            spec_id=item.spec_id,
            mp_id=item.mp_id,
            mp_sku_id=item.mp_sku_id,
            seller_id=item.seller_id,
            seller_name=item.seller_name,
            title=item.title[:300],
            properties=item.properties,
            picture=item.picture[:500],
            quantity=item.quantity,
            unit_price_fen=item.unit_price_fen,
            amount_fen=item.unit_price_fen * item.quantity,
            **_cached(platform, item.item_id, item.sku_id),
        )
    _note_created(order, actor)
    return order


def _note_created(order: PurchaseOrder, actor: Any) -> None:
    lines = order.lines.all()
    sellers = {line.seller_id for line in lines}
    if len(sellers) == 1:
        first = lines[0]
        order.seller_id, order.seller_name = first.seller_id, first.seller_name
    order.quoted_goods_fen = order.quoted_total_fen = sum(line.amount_fen for line in lines)
    order.save()
    order.note(f"draft created with {len(lines)} lines", actor=actor, kind="created")


def _cached(platform: str, item_id: str, sku_id: str) -> dict[str, Any]:
    product = Product.objects.filter(platform=platform, item_id=item_id).first()
    sku = Sku.objects.filter(product=product, sku_id=sku_id).first() if product else None
    return {"cached_product": product, "cached_sku": sku}


# -- previewing --------------------------------------------------------------------------------
@transaction.atomic
def order_preview(*, order: PurchaseOrder, actor: Any) -> OrderPreview:
    """Ask the upstream what this order would cost now and store the answer; -> previewed.

    A new preview replaces any acceptance or approval: the person must see the new numbers."""
    require(actor, "create_order")
    order = locked(order.pk)
    if order.status not in PREVIEWABLE:
        raise OrderError(f"an order that is {order.get_status_display()} cannot be previewed")
    preview = take_preview(order)
    message = f"previewed: total {preview.total_fen} fen"
    if preview.unavailable:
        message += f", {len(preview.unavailable)} lines unavailable"
    order.transition(
        OrderStatus.PREVIEWED, actor=actor, message=message, fields=_quoted_fields(order)
    )
    return preview


def take_preview(order: PurchaseOrder) -> OrderPreview:
    """Call the upstream preview for this order and store it (no status change)."""
    lines = list(order.lines.all())
    previews = route_for(order).preview(order, lines)
    unavailable = [
        {"item_id": pl.item_id, "sku_id": pl.sku_id or pl.spec_id, "reason": pl.reason}
        for p in previews
        for pl in p.lines
        if not pl.available
    ]
    for p in previews:
        if not p.success and not p.unavailable and p.error_message:
            unavailable.append({"seller_id": p.seller_id, "reason": p.error_message})
    preview = OrderPreview.objects.create(
        order=order,
        response=[p.raw for p in previews],
        sellers=[_seller_summary(p) for p in previews],
        goods_fen=sum(p.goods_fen for p in previews),
        freight_fen=sum(p.freight_fen for p in previews),
        discount_fen=sum(p.discount_fen for p in previews),
        total_fen=sum(p.total_fen for p in previews),
        unavailable=unavailable,
        differences=_differences(lines, previews),
        expires_at=now() + timedelta(minutes=settings.CAIGOU_PREVIEW_TTL_MINUTES),
    )
    order.quoted_goods_fen = preview.goods_fen
    order.quoted_freight_fen = preview.freight_fen
    order.quoted_discount_fen = preview.discount_fen
    order.quoted_total_fen = preview.total_fen
    return preview


def _quoted_fields(order: PurchaseOrder) -> tuple[str, ...]:
    return ("quoted_goods_fen", "quoted_freight_fen", "quoted_discount_fen", "quoted_total_fen")


def _seller_summary(preview: Preview) -> dict[str, Any]:
    return {
        "seller_id": preview.seller_id,
        "success": preview.success,
        "error": preview.error_message,
        "goods_fen": preview.goods_fen,
        "freight_fen": preview.freight_fen,
        "discount_fen": preview.discount_fen,
        "total_fen": preview.total_fen,
        "promotions": preview.promotions,
        "lines": [
            {
                "item_id": pl.item_id,
                "sku_id": pl.sku_id or pl.spec_id,
                "quantity": pl.quantity,
                "unit_price_fen": pl.unit_price_fen,
                "amount_fen": pl.amount_fen,
                "available": pl.available,
                "reason": pl.reason,
            }
            for pl in preview.lines
        ],
    }


def _differences(lines: list[PurchaseOrderLine], previews: list[Preview]) -> list[dict]:
    """Lines whose previewed unit price differs from what the cart or the item page showed."""
    shown = {(line.item_id, line.sku_id or line.spec_id): line for line in lines}
    found = []
    for preview in previews:
        for pl in preview.lines:
            line = shown.get((pl.item_id, pl.sku_id or pl.spec_id)) or shown.get(
                (pl.item_id, pl.spec_id)
            )
            if line is not None and pl.unit_price_fen != line.unit_price_fen:
                found.append(
                    {
                        "item_id": pl.item_id,
                        "sku_id": line.sku_id or line.spec_id,
                        "shown_fen": line.unit_price_fen,
                        "preview_fen": pl.unit_price_fen,
                        "difference_fen": pl.unit_price_fen - line.unit_price_fen,
                    }
                )
    if found:
        logger.info("preview differs from the cart on %d lines", len(found))
    return found
