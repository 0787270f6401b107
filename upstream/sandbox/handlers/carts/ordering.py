"""Ordering from the cart: addresses, flows, and the Taobao preview and order shapes."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox import statuses as st
from upstream.sandbox.handlers.carts.lines import _json, _picture
from upstream.sandbox.handlers.orders.common import FLOWS
from upstream.sandbox.handlers.orders.payloads import purchase_id
from upstream.sandbox.handlers.orders.payloads import taobao_order as taobao_order_payload
from upstream.sandbox.models import CartItem, Order, OrderLine
from upstream.sandbox.router import SandboxCall, SandboxError

SERVICES = [
    {
        "code": "7d",
        "desc": "七天无理由退货",
        "imageUrl": "https://img.alicdn.com/imgextra/i4/"
        "O1CN01gk3LQL1xZoiKiMXXc_!!6000000006458-2-tps-40-40.png",
        "name": "七天无理由退货",
    }
]


def _order_address(call: SandboxCall) -> dict[str, Any]:
    """Taobao `orderAddress`: the schema says `mobile_phone`, the seed example `mobilePhone`;
    either is accepted and both are kept."""
    address = call.json_param("orderAddress")
    if not isinstance(address, dict):
        raise SandboxError(400, "orderAddress must be an object")
    address = dict(address)
    mobile = address.get("mobile_phone") or address.get("mobilePhone") or ""
    address["mobile_phone"] = address["mobilePhone"] = mobile
    for name in ("name", "address"):
        if not address.get(name):
            raise SandboxError(400, f"orderAddress.{name} is required")
    return address


def _ordered(lines: list[CartItem]) -> None:
    """Ordered lines leave the cart."""
    CartItem.objects.filter(pk__in=[line.pk for line in lines]).delete()


def item_map_id(item_id: str) -> str:
    """An opaque v2 item id (43 url-safe characters, like the seed's), stable per item."""
    digest = hashlib.sha256(f"taobao-item:{item_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def taobao_cart_order(call: SandboxCall, order: Order) -> dict[str, Any]:
    """`CreateOrderV2VO` as in seed 001: `{id, orderNo, createTime, subOrderVOS[{subOrderId,
    orderNo, quantity, title, purchaseCurrency, purchaseAmount (fen string), itemMapId,
    domesticPostFee (fen integer), closeReason, skuId, status, goodsStatus, refundType,
    taobaoPurchaseId, taobaoSubPurchaseId, subOrderResult (a JSON string), errorCode,
    errorMessage, refundStatus (integer, 0 = none)}]}`. Beyond the seed: the order totals of
    `/open/order` (`status, purchaseAmount, productAmount, ...`), `clientRequestId`, and on
    each sub-order `itemId`, `orderLineNo` (the cart id) and `unitPrice` (fen string)."""
    payload = taobao_order_payload(order)
    freight = svc.seller_freight(order)
    lines = order.lines.select_related("product__shop", "sku").order_by("pk")
    payload["subOrderVOS"] = [_sub_order(call, order, line, freight) for line in lines]
    payload["clientRequestId"] = order.echoed_ref
    return payload


def _sub_order(
    call: SandboxCall, order: Order, line: OrderLine, freight: dict[int, int]
) -> dict[str, Any]:
    product, sku, shop = line.product, line.sku, line.product.shop
    post_fee = freight.pop(product.shop_id, 0)  # a shop's freight is on its first line
    map_id = item_map_id(product.item_id)
    purchase, sub_purchase = purchase_id(order.order_id), purchase_id(line.sub_order_id)
    props = sku.properties if sku else []
    zh = {prop.get("propName", ""): prop.get("valueName", "") for prop in props}
    en = {
        prop.get("propNameEn") or prop.get("propName", ""): prop.get("valueNameEn")
        or prop.get("valueName", "")
        for prop in props
    }
    closed = line.status == st.CLOSED[order.platform]
    result = {
        "alipay_pay_order_no": f"{svc.china_time(order.created_at, '%Y%m%d')}2200"
        f"{order.order_id[-16:]}",
        "quantity": line.quantity,
        "item_id": map_id,
        "purchase_currency": "CNY",
        "option_fields": {
            "SKU_IMG_URL": _picture(call, product),
            "supplierNick": shop.name,
            "serviceList": _json(SERVICES),
            "en": _json(en),
            "shopName": shop.name,
            "shopId": shop.shop_id,
            "zh": _json(zh),
        },
        "sku_id": sku.sku_id if sku else "",
        "title": product.title,
        "purchase_order_line_outer_id": line.sub_order_id,
        "pay_currency": "CNY",
        "purchase_amount": line.amount_fen,
        "purchase_order_outer_id": order.order_id,
        "domestic_post_fee": post_fee,
        "closed": closed,
        "sub_purchase_order_id": sub_purchase,
        "itemMapId": map_id,
        "product_amount": str(line.amount_fen),
        "status": line.status,
    }
    return {
        "subOrderId": line.sub_order_id,
        "orderNo": order.order_no,
        "quantity": line.quantity,
        "title": product.title,
        "purchaseCurrency": "CNY",
        "purchaseAmount": str(line.amount_fen),
        "itemMapId": map_id,
        "domesticPostFee": post_fee,
        "closeReason": (order.close_reason or "buyerCancel") if closed else None,
        "skuId": sku.sku_id if sku else None,
        "status": line.status,
        "goodsStatus": None,
        "refundType": None,
        "taobaoPurchaseId": purchase,
        "taobaoSubPurchaseId": sub_purchase,
        "subOrderResult": _json(result),
        "errorCode": None,
        "errorMessage": None,
        "refundStatus": int(line.refund_status or 0),
        "itemId": product.item_id,
        "orderLineNo": line.order_line_no,
        "unitPrice": str(line.unit_price_fen),
    }


def _taobao_preview(sellers: list[pricing.SellerPreview]) -> dict[str, Any]:
    groups = []
    for seller in sellers:
        problems = seller.unavailable_lines
        groups.append(
            {
                "shopId": seller.shop.shop_id,
                "shopName": seller.shop.name,
                "success": not problems,
                "errorCode": str(problems[0].code) if problems else None,
                "errorMsg": problems[0].reason if problems else None,
                "purchaseAmount": seller.total_fen,
                "productAmount": seller.goods_fen,
                "domesticPostFee": seller.freight_fen,
                "discountAmount": seller.discount_fen,
                "promotionList": seller.promotions,
                "itemList": [
                    {
                        "cartId": int(line.line_no),
                        "itemId": line.product.item_id,
                        "skuId": line.sku.sku_id if line.sku else None,
                        "mpId": line.product.mp_id,
                        "mpSkuId": line.sku.mp_sku_id if line.sku else None,
                        "title": line.product.title,
                        "quantity": line.quantity,
                        "unitPrice": line.unit_price_fen,
                        "purchaseAmount": line.amount_fen,
                        "available": line.available,
                        "unavailableReason": line.reason or None,
                        "errorCode": str(line.code) if not line.available else None,
                    }
                    for line in seller.lines
                ],
            }
        )
    return {
        "purchaseAmount": sum(seller.total_fen for seller in sellers),
        "productAmount": sum(seller.goods_fen for seller in sellers),
        "domesticPostFee": sum(seller.freight_fen for seller in sellers),
        "discountAmount": sum(seller.discount_fen for seller in sellers),
        "currency": "CNY",
        "shopPreviewList": groups,
    }


def _flow(call: SandboxCall) -> str:
    flow = str(call.param("flow", "") or "")
    if flow and flow not in FLOWS:
        raise SandboxError(400, f"unknown flow {flow}")
    return flow


def _address_param(call: SandboxCall) -> dict[str, Any]:
    address = call.json_param("addressParam", {}) or {}
    if not isinstance(address, dict):
        raise SandboxError(400, "addressParam must be an object")
    return address
