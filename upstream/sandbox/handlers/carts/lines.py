"""The caller's cart lines: add, edit, delete, select, and price them as one order would be."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet

from upstream.sandbox import images, pricing
from upstream.sandbox.models import CartItem, Platform, Product, Shop, Sku
from upstream.sandbox.router import SandboxCall, SandboxError

TAOBAO = Platform.TAOBAO.value
ALIBABA = Platform.ALIBABA.value


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# -- cart lines -----------------------------------------------------------------------------
def _new_cart_id() -> str:
    while True:
        cart_id = str(secrets.randbelow(9 * 10**8) + 10**8)
        if not CartItem.objects.filter(cart_id=cart_id).exists():
            return cart_id


def _quantity(value: Any) -> int:
    try:
        quantity = int(str(value))
    except (TypeError, ValueError) as exc:
        raise SandboxError(400, "quantity must be a whole number") from exc
    if quantity < 1:
        raise SandboxError(400, "quantity must be at least 1")
    return quantity


def _ids(call: SandboxCall, name: str) -> list[str]:
    """Cart ids from a JSON list, a JSON string of one, or a comma-separated string."""
    value = call.json_param(name)
    if isinstance(value, str):
        value = value.split(",")
    elif not isinstance(value, list):
        value = [value]
    ids = [str(item).strip() for item in value if str(item).strip()]
    if not ids or not all(item.isdigit() for item in ids):
        raise SandboxError(400, f"{name} must be a list of cart ids")
    return list(dict.fromkeys(ids))


def _lines(call: SandboxCall, platform: str) -> QuerySet[CartItem]:
    return CartItem.objects.filter(user_id=call.user_id, platform=platform)


def _selected(call: SandboxCall, platform: str, name: str) -> list[CartItem]:
    """The caller's cart lines named by `name`, in the order given; 400 if any is missing."""
    ids = _ids(call, name)
    found = {
        line.cart_id: line
        for line in _lines(call, platform)
        .select_for_update()
        .select_related("product__shop", "sku")
        .filter(cart_id__in=ids)
    }
    missing = [cart_id for cart_id in ids if cart_id not in found]
    if missing:
        raise SandboxError(400, f"cart items not found: {', '.join(missing)}")
    return [found[cart_id] for cart_id in ids]


def _items(lines: Iterable[CartItem]) -> list[pricing.Item]:
    # The cart id is the line number, so previews and order lines point back at the cart.
    return [(line.product, line.sku, line.quantity, line.cart_id) for line in lines]


def _check_orderable(product: Product, sku: Sku) -> None:
    if not product.available:
        raise SandboxError(1003, f"item {product.item_id} is no longer available")
    if not sku.available:
        raise SandboxError(1003, f"SKU {sku.sku_id} of item {product.item_id} is unavailable")


def _check_stock(sku: Sku, quantity: int) -> None:
    if quantity > sku.stock:
        raise SandboxError(1001, f"SKU {sku.sku_id}: {quantity} wanted, {sku.stock} in stock")


def _check_minimum(call: SandboxCall, product: Product, quantity: int, line: CartItem | None):
    """1688 minimums apply to the offer: the sum over its SKUs in the cart after the change."""
    others = _lines(call, ALIBABA).filter(product=product)
    if line is not None:
        others = others.exclude(pk=line.pk)
    total = quantity + sum(others.values_list("quantity", flat=True))
    if total < product.min_order_quantity:
        raise SandboxError(
            400,
            f"offer {product.item_id}: quantity {total} is below the minimum order quantity "
            f"{product.min_order_quantity}",
        )


def _add(call: SandboxCall, platform: str, product: Product, sku: Sku, quantity: int) -> int:
    _check_orderable(product, sku)
    line = _lines(call, platform).select_for_update().filter(sku=sku).first()
    total = quantity + (line.quantity if line else 0)
    if platform == ALIBABA:
        _check_minimum(call, product, total, line)
    _check_stock(sku, total)
    if line is None:
        line = CartItem.objects.create(
            user_id=call.user_id,
            platform=platform,
            cart_id=_new_cart_id(),
            product=product,
            sku=sku,
            quantity=total,
            added_price_fen=sku.price_fen,
        )
    else:
        line.quantity = total
        line.save(update_fields=["quantity", "updated_at"])
    return int(line.cart_id)


def _edit(call: SandboxCall, platform: str) -> bool:
    quantity = _quantity(call.param("quantity"))
    cart_id = str(call.param("id")).strip()
    line = (
        _lines(call, platform)
        .select_for_update()
        .select_related("product", "sku")
        .filter(cart_id=cart_id)
        .first()
    )
    if line is None:
        raise SandboxError(404, f"no cart item {cart_id}")
    if platform == ALIBABA:
        _check_minimum(call, line.product, quantity, line)
    # Lowering a quantity is always allowed (it may cure a shortage); raising must fit.
    if quantity > line.quantity:
        _check_stock(line.sku, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity", "updated_at"])
    return True


def _delete(call: SandboxCall, platform: str) -> bool:
    ids = _ids(call, "ids")
    lines = _lines(call, platform).filter(cart_id__in=ids)
    missing = sorted(set(ids) - set(lines.values_list("cart_id", flat=True)))
    if missing:
        raise SandboxError(404, f"no cart items {', '.join(missing)}")
    lines.delete()
    return True


# -- list -----------------------------------------------------------------------------------
def _cart(call: SandboxCall, platform: str) -> list[pricing.SellerPreview]:
    """The whole cart priced as one order would be: unit prices (1688 tiers by the offer's
    quantity in the cart) and the reason a create would refuse a line, by the same rules."""
    lines = (
        _lines(call, platform).select_related("product__shop", "sku").order_by("created_at", "pk")
    )
    return pricing.preview(platform=platform, items=_items(lines))


def _grouped(
    sellers: list[pricing.SellerPreview],
    group_of: Callable[[Shop], dict[str, Any]],
    item_of: Callable[[pricing.PreviewLine], dict[str, Any]],
) -> dict[str, list[dict[str, Any]]]:
    enabled: list[dict[str, Any]] = []
    disabled: list[dict[str, Any]] = []
    for seller in sellers:
        for groups, lines in (
            (enabled, [line for line in seller.lines if line.available]),
            (disabled, seller.unavailable_lines),
        ):
            if lines:
                infos = [{**item_of(line), "disableReason": line.reason or None} for line in lines]
                groups.append({**group_of(seller.shop), "cartItemInfos": infos})
    return {"enableList": enabled, "disableList": disabled}


def _properties(sku: Sku | None) -> str:
    return _json(sku.properties if sku else [])


def _picture(call: SandboxCall, product: Product) -> str:
    return images.picture_url(call.request, product.platform, product.item_id, 1)
