"""Sandbox handlers of the Taobao cart."""

from __future__ import annotations

from typing import Any

from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox.handlers.carts.lines import (
    TAOBAO,
    _add,
    _cart,
    _delete,
    _edit,
    _grouped,
    _items,
    _picture,
    _properties,
    _quantity,
    _selected,
)
from upstream.sandbox.handlers.carts.ordering import (
    _order_address,
    _ordered,
    _taobao_preview,
    taobao_cart_order,
)
from upstream.sandbox.models import Product
from upstream.sandbox.router import SandboxCall, SandboxError, handles


@handles("taobao_cart_add")
def taobao_cart_add(call: SandboxCall) -> int:
    """`/open/cart/add` (v1): the mpId/mpSkuId pair names the SKU; itemId/skuId must match.
    The display fields (itemTitle, price, shopName...) are accepted and not trusted."""
    quantity = _quantity(call.param("quantity"))
    mp_id, mp_sku_id = str(call.param("mpId")), str(call.param("mpSkuId"))
    product = Product.objects.filter(platform=TAOBAO, mp_id=mp_id).first()
    if product is None:
        raise SandboxError(404, f"no Taobao item with mpId {mp_id}")
    if str(call.param("itemId")) != product.item_id:
        raise SandboxError(400, f"itemId does not match mpId {mp_id}")
    sku = product.skus.filter(mp_sku_id=mp_sku_id).first()
    if sku is None:
        raise SandboxError(404, f"no SKU with mpSkuId {mp_sku_id} in item {product.item_id}")
    if str(call.param("skuId")) != sku.sku_id:
        raise SandboxError(400, f"skuId does not match mpSkuId {mp_sku_id}")
    properties = call.json_param("properties")
    if properties not in (None, "") and not isinstance(properties, list):
        raise SandboxError(400, "properties must be a JSON list")
    return _add(call, TAOBAO, product, sku, quantity)


@handles("taobao_cart_list")
def taobao_cart_list(call: SandboxCall) -> dict[str, Any]:
    """GET /v2/taobao/cart/list (ASSUMED): the cart by shop (shape in the module docstring)."""
    return _grouped(
        _cart(call, TAOBAO),
        lambda shop: {"shopId": shop.shop_id, "shopName": shop.name},
        lambda line: {
            "id": int(line.line_no),
            "itemId": line.product.item_id,
            "skuId": line.sku.sku_id if line.sku else None,
            "mpId": line.product.mp_id,
            "mpSkuId": line.sku.mp_sku_id if line.sku else None,
            "itemTitle": line.product.title,
            "itemPic": _picture(call, line.product),
            "price": line.unit_price_fen,
            "quantity": line.quantity,
            "skuQuantity": line.sku.stock if line.sku else 0,
            "properties": _properties(line.sku),
        },
    )


@handles("taobao_cart_edit_quantity")
def taobao_cart_edit_quantity(call: SandboxCall) -> bool:
    """POST /v2/taobao/cart/edit-quantity (ASSUMED): id, quantity -> true."""
    return _edit(call, TAOBAO)


@handles("taobao_cart_delete")
def taobao_cart_delete(call: SandboxCall) -> bool:
    """POST /v2/taobao/cart/delete (ASSUMED): ids[] -> true; 404 if any id is not in the cart."""
    return _delete(call, TAOBAO)


@handles("taobao_cart_preview")
def taobao_cart_preview(call: SandboxCall) -> dict[str, Any]:
    """POST /v2/taobao/cart/preview/order (ASSUMED): ids[], orderAddress -> the Taobao preview
    shape of the module docstring."""
    lines = _selected(call, TAOBAO, "ids")
    _order_address(call)
    return _taobao_preview(pricing.preview(platform=TAOBAO, items=_items(lines)))


@handles("taobao_cart_create_order")
def taobao_cart_create_order(call: SandboxCall) -> dict[str, Any]:
    """POST /v2/taobao/cart/create/order: ids[], orderAddress, clientRequestId (ASSUMED) -> one
    order holding every line (seed 001's shape); the ordered lines leave the cart."""
    lines = _selected(call, TAOBAO, "ids")
    orders = svc.create_orders(
        call=call,
        platform=TAOBAO,
        items=_items(lines),
        address=_order_address(call),
        outer_ref=call.reference,
        split_by_seller=False,
    )
    _ordered(lines)
    return taobao_cart_order(call, orders[0])
