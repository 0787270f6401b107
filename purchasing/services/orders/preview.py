"""Create draft orders (of items chosen by id, of cart lines, or of goods in our cache), take a
line off one, and preview them against the upstream: price, freight, promotions, stock and the
split by seller. Each verb takes any actor: a person or a policy (purchasing.actors)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from purchasing.actors import person
from purchasing.models import OrderPreview, Product, PurchaseOrder, PurchaseOrderLine, Sku
from purchasing.models.orders import Source
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.routes import cart_route, route_for, route_for_platform
from purchasing.rules import can_preview
from purchasing.services.orders.common import OrderError, locked, logger, now, require
from purchasing.statuses import OrderStatus
from purchasing.variants import variant_words
from upstream.types.orders import Preview


# -- creating drafts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class NewLine:
    """One line of a new draft as its source showed it: an item read upstream, a cart line, or
    goods in our cache (the storefront's policy reads through the cache)."""

    item_id: str
    quantity: int
    unit_price_fen: int
    title: str
    seller_id: str
    seller_name: str = ""
    sku_id: str = ""
    spec_id: str = ""
    mp_id: str = ""
    mp_sku_id: str = ""
    properties: list = field(default_factory=list)
    picture: str = ""
    cart_id: str = ""
    title_en: str = ""
    cached_product: Product | None = None
    cached_sku: Sku | None = None

    @classmethod
    def of_cached(cls, product: Product, sku: Sku | None, quantity: int) -> NewLine:
        """A line of goods already in our cache (whose shop_id is the Taobao shopId or the 1688
        sellerOpenId)."""
        return cls(
            item_id=product.item_id,
            quantity=int(quantity),
            unit_price_fen=sku.price_fen if sku is not None else product.price_fen,
            title=product.title,
            title_en=product.title_en,
            seller_id=product.shop_id,
            seller_name=product.shop_name,
            sku_id=sku.sku_id if sku is not None else "",
            spec_id=sku.spec_id if sku is not None else "",
            mp_id=product.mp_id,
            mp_sku_id=sku.mp_sku_id if sku is not None else "",
            properties=sku.properties if sku is not None else [],
            picture=(product.pictures[:1] or [""])[0],
            cached_product=product,
            cached_sku=sku,
        )


@transaction.atomic
def order_create(
    *,
    platform: str,
    lines: Sequence[NewLine],
    address: Mapping[str, Any],
    actor: Any,
    source: str = Source.STAFF,
    cart_ids: Sequence[str] = (),
) -> PurchaseOrder:
    """A draft order of these lines, numbered in the order given, on the route a new order of
    the platform takes (the cart's route for cart lines)."""
    require(actor, "create_order")
    if not lines:
        raise OrderError(_("an order needs at least one line"))
    route = cart_route(platform) if source == Source.CART else route_for_platform(platform)
    order = PurchaseOrder.objects.create(
        platform=platform,
        provider=route.provider,
        source=source,
        cart_ids=list(cart_ids),
        address=dict(address),
        created_by=person(actor),
    )
    for number, line in enumerate(lines, start=1):
        PurchaseOrderLine.objects.create(
            order=order,
            line_no=number,
            cart_id=line.cart_id,
            item_id=line.item_id,
            sku_id=line.sku_id,
            spec_id=line.spec_id,
            mp_id=line.mp_id,
            mp_sku_id=line.mp_sku_id,
            seller_id=line.seller_id,
            seller_name=line.seller_name,
            title=line.title[:300],
            # A cart line has no English title: the goods cache may know it.
            title_en=(line.title_en or getattr(line.cached_product, "title_en", ""))[:300],
            properties=line.properties,
            variant=variant_words(line.properties)[:300],
            picture=line.picture[:500],
            quantity=line.quantity,
            unit_price_fen=line.unit_price_fen,
            amount_fen=line.unit_price_fen * line.quantity,
            cached_product=line.cached_product,
            cached_sku=line.cached_sku,
        )
    made = list(order.lines.all())
    if len({line.seller_id for line in made}) == 1:
        order.seller_id, order.seller_name = made[0].seller_id, made[0].seller_name
    order.quoted_goods_fen = order.quoted_total_fen = sum(line.amount_fen for line in made)
    order.save()
    order.note(_("draft created with %(n)d lines") % {"n": len(made)}, actor=actor, kind="created")
    return order


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
    item is read upstream once (or taken from a read of the last seconds: the preview prices
    the lines again), so the lines carry its title, price and seller."""
    require(actor, "create_order")
    route = route_for_platform(platform)
    products: dict[str, Any] = {}
    lines = []
    for item in items:
        item_id = str(item["item_id"])
        if item_id not in products:
            products[item_id] = route.recent_product(item_id)
        product = products[item_id]
        wanted = str(item.get("sku_id") or item.get("spec_id") or "")
        sku = next((s for s in product.skus if wanted in (s.sku_id, s.spec_id)), None)
        if sku is None and product.skus:
            raise OrderError(
                _("item %(item)s has no SKU %(sku)s") % {"item": item_id, "sku": wanted}
            )
        lines.append(
            NewLine(
                item_id=item_id,
                quantity=int(item["quantity"]),
                unit_price_fen=sku.price_fen if sku else product.price_fen,
                title=product.title,
                title_en=product.title_en,
                seller_id=product.seller_open_id or product.shop_id,
                seller_name=product.shop_name,
                sku_id=sku.sku_id if sku else "",
                spec_id=sku.spec_id if sku else "",
                mp_id=product.mp_id,
                mp_sku_id=sku.mp_sku_id if sku else "",
                properties=[asdict(p) for p in sku.properties] if sku else [],
                picture=(product.pictures[:1] or [""])[0],
                **_cached(platform, item_id, sku.sku_id if sku else ""),
            )
        )
    return order_create(platform=platform, lines=lines, address=address, actor=actor, source=source)


@transaction.atomic
def order_create_from_cart(
    *, platform: str, cart_ids: Sequence[str], address: Mapping[str, Any], actor: Any
) -> PurchaseOrder:
    """A draft order of upstream cart lines; the lines are snapshot as the cart shows them, so
    the preview can show what moved since."""
    require(actor, "create_order")
    cart = cart_route(platform).cart()
    wanted = [str(cart_id) for cart_id in cart_ids]
    found = {cart_id: cart.find(cart_id) for cart_id in wanted}
    missing = [cart_id for cart_id, item in found.items() if item is None]
    if missing or not wanted:
        raise OrderError(
            _("cart lines not found: %(lines)s") % {"lines": ", ".join(missing) or _("none chosen")}
        )
    lines = [
        NewLine(
            item_id=item.item_id,
            quantity=item.quantity,
            unit_price_fen=item.unit_price_fen,
            title=item.title,
            seller_id=item.seller_id,
            seller_name=item.seller_name,
            sku_id=item.sku_id,
            spec_id=item.spec_id,
            mp_id=item.mp_id,
            mp_sku_id=item.mp_sku_id,
            properties=item.properties,
            picture=item.picture,
            cart_id=cart_id,
            **_cached(platform, item.item_id, item.sku_id),
        )
        for cart_id, item in found.items()
    ]
    return order_create(
        platform=platform,
        lines=lines,
        address=address,
        actor=actor,
        source=Source.CART,
        cart_ids=wanted,
    )


def _cached(platform: str, item_id: str, sku_id: str) -> dict[str, Any]:
    product = Product.objects.filter(platform=platform, item_id=item_id).first()
    sku = Sku.objects.filter(product=product, sku_id=sku_id).first() if product else None
    return {"cached_product": product, "cached_sku": sku}


@transaction.atomic
def order_remove_line(*, line: PurchaseOrderLine, actor: Any, reason: str) -> PurchaseOrder:
    """Take a line off an order not sent upstream yet; an order left empty is cancelled."""
    require(actor, "create_order")
    order = locked(line.order_id)
    if not can_preview(order):
        raise OrderError(
            _("lines of an order that is %(status)s cannot be removed")
            % {"status": order.get_status_display().lower()}
        )
    described = str(line)
    PurchaseOrderLine.objects.filter(pk=line.pk).delete()
    order.note(
        _("line %(line)s removed: %(reason)s") % {"line": described, "reason": reason},
        actor=actor,
        kind="line_removed",
    )
    if not order.lines.exists():
        order.transition(
            OrderStatus.CANCELLED,
            actor=actor,
            message=_("no lines left (%(reason)s)") % {"reason": reason},
        )
    return order


# -- previewing --------------------------------------------------------------------------------
@transaction.atomic
def order_preview(*, order: PurchaseOrder, actor: Any, again: bool = False) -> OrderPreview:
    """Ask the upstream what this order would cost now and store the answer; -> previewed.
    A first preview may be one of the same goods and address taken seconds ago
    (routes/recent.py); `again` (a person asking for the upstream's numbers now) always asks.

    A new preview replaces any acceptance or approval: the person must see the new numbers."""
    require(actor, "create_order")
    order = locked(order.pk)
    if not can_preview(order):
        raise OrderError(
            _("an order that is %(status)s cannot be previewed")
            % {"status": order.get_status_display().lower()}
        )
    preview = take_preview(order, recent=not again)
    message = _("previewed: total %(total)s") % {"total": format_cny(preview.total_fen)}
    if preview.unavailable:
        message += ", " + _("%(count)d lines unavailable") % {"count": len(preview.unavailable)}
    order.transition(
        OrderStatus.PREVIEWED, actor=actor, message=message, fields=_quoted_fields(order)
    )
    return preview


def take_preview(order: PurchaseOrder, *, recent: bool = False) -> OrderPreview:
    """Ask the upstream what this order would cost and store it (no status change); `recent`
    takes the answer for the same goods and address of the last seconds where this process has
    one. Either way the answer is kept for the next order's first preview."""
    lines = list(order.lines.all())
    previews = route_for(order).recent_preview(order, lines, reuse=recent)
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
