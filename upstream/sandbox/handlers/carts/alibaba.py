"""Sandbox handlers of the 1688 cart."""

from __future__ import annotations

from typing import Any

from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox.handlers.carts.lines import (
    ALIBABA,
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
from upstream.sandbox.handlers.carts.ordering import _address_param, _flow, _ordered
from upstream.sandbox.handlers.orders.payloads import created_result, preview_results
from upstream.sandbox.models import Product
from upstream.sandbox.router import SandboxCall, SandboxError, handles


@handles("alibaba_cart_add")
def alibaba_cart_add(call: SandboxCall) -> int:
    """POST /alibaba/cart/add (ASSUMED): offerId, specId, quantity -> the cart id."""
    quantity = _quantity(call.param("quantity"))
    offer_id, spec_id = str(call.param("offerId")), str(call.param("specId"))
    product = Product.objects.filter(platform=ALIBABA, item_id=offer_id).first()
    if product is None:
        raise SandboxError(404, f"no 1688 offer {offer_id}")
    sku = product.skus.filter(spec_id=spec_id).first()
    if sku is None:
        raise SandboxError(404, f"no specId {spec_id} in offer {offer_id}")
    return _add(call, ALIBABA, product, sku, quantity)


@handles("alibaba_cart_list")
def alibaba_cart_list(call: SandboxCall) -> dict[str, Any]:
    """GET /v2/alibaba/cart/list: `AlibabaCartV2VO`, plus `offerId` and `disableReason`."""
    return _grouped(
        _cart(call, ALIBABA),
        lambda shop: {"sellerOpenId": shop.shop_id, "sellerNickName": shop.name},
        lambda line: {
            "id": int(line.line_no),
            "offerMapId": line.product.item_id,
            "offerId": line.product.item_id,
            "specId": line.sku.spec_id if line.sku else "",
            "skuId": line.sku.sku_id if line.sku else "",
            "itemTitle": line.product.title,
            "itemPic": _picture(call, line.product),
            "price": line.unit_price_fen,
            "quantity": line.quantity,
            "amountOnSale": line.sku.stock if line.sku else 0,
            "properties": _properties(line.sku),
        },
    )


@handles("alibaba_cart_edit_quantity")
def alibaba_cart_edit_quantity(call: SandboxCall) -> bool:
    """POST /alibaba/cart/edit-quantity: id, quantity -> true (documented `data: boolean`)."""
    return _edit(call, ALIBABA)


@handles("alibaba_cart_delete")
def alibaba_cart_delete(call: SandboxCall) -> bool:
    """POST /alibaba/cart/delete (ASSUMED): ids[] -> true; 404 if any id is not in the cart."""
    return _delete(call, ALIBABA)


@handles("alibaba_cart_preview")
def alibaba_cart_preview(call: SandboxCall) -> dict[str, Any]:
    """POST /alibaba/cart/preview/order: cartIds[], addressParam, flow -> `orderPreviewResuslt[]`
    per seller, each cargo naming its `cartId`."""
    lines = _selected(call, ALIBABA, "cartIds")
    _address_param(call)
    sellers = pricing.preview(platform=ALIBABA, items=_items(lines))
    payload = preview_results(sellers, _flow(call))
    for result, seller in zip(payload["orderPreviewResuslt"], sellers, strict=True):
        for cargo, line in zip(result["cargoList"], seller.lines, strict=True):
            cargo["cartId"] = int(line.line_no)
    return payload


@handles("alibaba_cart_create_order")
def alibaba_cart_create_order(call: SandboxCall) -> dict[str, Any]:
    """POST /alibaba/cart/create/order: flow, cartIds[], clientRequestId (ASSUMED), addressParam,
    message, tradeType -> one order per seller, as the createCrossOrder result listing every
    order in `orderList`; the ordered lines leave the cart."""
    lines = _selected(call, ALIBABA, "cartIds")
    orders = svc.create_orders(
        call=call,
        platform=ALIBABA,
        items=_items(lines),
        address=_address_param(call),
        flow=_flow(call),
        message=str(call.param("message", "") or ""),
        outer_ref=call.reference,
        trade_type=str(call.param("tradeType", "") or ""),
    )
    _ordered(lines)
    return {**created_result(orders, always_list=True), "clientRequestId": orders[0].echoed_ref}
