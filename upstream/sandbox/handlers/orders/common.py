"""Shared by the order handlers: parameters, the caller's orders, pages and order lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox.models.catalogue import Platform, Product, Sku
from upstream.sandbox.models.orders import Order, OrderLine
from upstream.sandbox.router import SandboxCall, SandboxError

TAOBAO, ALIBABA = Platform.TAOBAO.value, Platform.ALIBABA.value
FLOWS = {
    "general",
    "fenxiao",
    "saleproxy",
    "paired",
    "repurchase",
    "boutiquefenxiao",
    "boutiquepifa",
    "bigcfenxiao",
    "fenxiaonew",
}
PAGE_SIZE_MAX = 50


# -- shared --------------------------------------------------------------------------------------
def _yuan(amount_fen: int) -> float:
    return float(Decimal(amount_fen) / 100)


def _time_1688(value) -> str | None:
    """1688 official timestamps: yyyyMMddHHmmssSSS+0800."""
    if value is None:
        return None
    return f"{svc.china_time(value, '%Y%m%d%H%M%S')}{value.microsecond // 1000:03d}+0800"


def _int_param(call: SandboxCall, name: str, default: int) -> int:
    value = call.param(name, default)
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise SandboxError(400, f"{name} must be an integer") from exc


def _list_param(call: SandboxCall, name: str) -> list:
    value = call.json_param(name, [])
    if isinstance(value, str) and value:
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        raise SandboxError(400, f"{name} must be a list")
    return value


def _dict_param(call: SandboxCall, name: str) -> dict:
    value = call.json_param(name, {})
    if not isinstance(value, dict):
        raise SandboxError(400, f"{name} must be an object")
    return value


def _orders(call: SandboxCall, platform: str) -> QuerySet[Order]:
    return Order.objects.filter(user_id=call.user_id, provider=call.provider, platform=platform)


def _order(call: SandboxCall, platform: str, order_id: Any) -> Order:
    order = _orders(call, platform).filter(order_id=str(order_id or "")).first()
    if order is None:
        raise SandboxError(404, f"order {order_id} does not exist")
    return order


def _page(orders: QuerySet[Order], page_no: int, page_size: int) -> tuple[list[Order], int]:
    page_no, page_size = max(1, page_no), min(max(1, page_size), PAGE_SIZE_MAX)
    orders = orders.order_by("-created_at", "-pk")
    start = (page_no - 1) * page_size
    return list(orders[start : start + page_size]), orders.count()


def _v2_page(items: list, total: int, page_no: int, page_size: int) -> dict:
    page_size = min(max(1, page_size), PAGE_SIZE_MAX)
    return {
        "totalRecords": total,
        "totalPage": -(-total // page_size),
        "pageSize": page_size,
        "currentPage": max(1, page_no),
        "data": items,
    }


def _lines(order: Order) -> list[OrderLine]:
    return list(order.lines.select_related("product__shop", "sku").order_by("pk"))


# -- items ---------------------------------------------------------------------------------------
def _quantity(value: Any) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError) as exc:
        raise SandboxError(400, "quantity must be an integer") from exc
    if quantity < 1:
        raise SandboxError(400, "quantity must be at least 1")
    return quantity


def _product(platform: str, item_id: Any) -> Product:
    if isinstance(item_id, float):
        raise SandboxError(400, "offerId lost its digits: send it as an integer or a string")
    product = (
        Product.objects.select_related("shop")
        .filter(platform=platform, item_id=str(item_id))
        .first()
    )
    if product is None:
        raise SandboxError(1003, f"item {item_id} does not exist or is off the shelf")
    return product


def _taobao_items(call: SandboxCall) -> list[pricing.Item]:
    """`orderLineList`: [{itemId, orderLineNo, quantity, price, currency, skuId}]. `price` (fen)
    is what the buyer expects; the sandbox charges the catalogue price and checks the total
    against `purchaseAmount`."""
    lines = call.json_param("orderLineList")
    if not isinstance(lines, list) or not lines:
        raise SandboxError(400, "orderLineList must be a non-empty JSON list")
    items = []
    for index, line in enumerate(lines):
        if not isinstance(line, dict):
            raise SandboxError(400, "each orderLineList entry must be an object")
        product = _product(TAOBAO, line.get("itemId"))
        sku = product.skus.filter(sku_id=str(line.get("skuId") or "")).first()
        if sku is None and product.skus.exists():
            raise SandboxError(1003, f"sku {line.get('skuId')} of item {product.item_id} not found")
        line_no = str(line.get("orderLineNo") or index + 1)
        items.append((product, sku, _quantity(line.get("quantity")), line_no))
    return items


def _cargo_items(call: SandboxCall, *, with_seller: bool = False) -> list[pricing.Item]:
    """`cargoParamList`: [{offerId, specId, quantity}] (+ sellerOpenId for batch calls)."""
    cargo = call.json_param("cargoParamList")
    if not isinstance(cargo, list) or not cargo:
        raise SandboxError(400, "cargoParamList must be a non-empty list")
    items = []
    for index, line in enumerate(cargo):
        if not isinstance(line, dict):
            raise SandboxError(400, "each cargoParamList entry must be an object")
        product = _product(ALIBABA, line.get("offerId"))
        seller = str(line.get("sellerOpenId") or "")
        if with_seller and seller and seller != product.shop.shop_id:
            raise SandboxError(400, f"offer {product.item_id} is not sold by {seller}")
        items.append(
            (
                product,
                _spec(product, line.get("specId")),
                _quantity(line.get("quantity")),
                str(index + 1),
            )
        )
    return items


def _spec(product: Product, spec_id: Any) -> Sku | None:
    skus = list(product.skus.all())
    if spec_id:
        for sku in skus:
            if str(spec_id) in (sku.spec_id, sku.sku_id):
                return sku
        raise SandboxError(1003, f"spec {spec_id} of offer {product.item_id} not found")
    if len(skus) > 1:
        raise SandboxError(400, f"offer {product.item_id} has specs: specId is required")
    return skus[0] if skus else None


def _flow(call: SandboxCall) -> str:
    flow = str(call.param("flow", "") or "")
    if flow and flow not in FLOWS:
        raise SandboxError(400, f"unknown flow {flow}")
    return flow


def _single_seller(items: list[pricing.Item]) -> None:
    if len({product.shop_id for product, _s, _q, _n in items}) > 1:
        raise SandboxError(400, "the lines belong to several sellers: use the batch operation")


def _pay_each(call: SandboxCall, platform: str, order_ids: list[str]) -> dict[str, Any]:
    """Taobao Global's batch pay: each order paid on its own, the refused ones listed with their
    code; `{paySuccessPurchaseOrderIds, payFailurePurchaseOrderList, payAmount (fen)}`."""
    paid, failed, amount = [], [], 0
    for order_id in order_ids:
        try:
            payment = svc.pay(call=call, order=_order(call, platform, order_id))
        except SandboxError as refused:
            failed.append(
                {
                    "purchaseOrderId": order_id,
                    "errorCode": str(refused.code),
                    "errorMsg": refused.msg,
                }
            )
            continue
        paid.append(order_id)
        amount += payment.amount_fen
    return {
        "paySuccessPurchaseOrderIds": paid,
        "payFailurePurchaseOrderList": failed,
        "payAmount": amount,
    }
