"""Sandbox handlers: Taobao and 1688 orders of PandaPon and Dajisaas.

Shapes follow upstream-api.md; where the docs are silent (ASSUMED paths, list bodies) each
handler's docstring says what it answers. Orders belong to the caller (`call.user_id`, the
Dajisaas appKey) and its provider. The business rules live in `upstream.sandbox.orders`.

Units: Taobao amounts are fen, as strings where the create answer has them (`purchaseAmount`).
The 1688 TradeInfo (detail, lists) is the official one: amounts in yuan except `discount`
(fen). 1688 preview sums, create results and pay answers are fen; preview cargo amounts yuan.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils import timezone

from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox import statuses as st
from upstream.sandbox.models.catalogue import Platform, Product, Sku
from upstream.sandbox.models.orders import Order, OrderLine
from upstream.sandbox.router import SandboxCall, SandboxError, handles

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
TRADE_MODES = [
    {"tradeType": "assureTrade", "name": "担保交易", "description": "Trade 4.0 escrow"},
    {"tradeType": "alipay", "name": "支付宝担保交易", "description": "Alipay escrow"},
]
PAGE_SIZE_MAX = 50
VOUCHER_TYPES = ("image/", "application/pdf")
VOUCHER_MAX_BYTES = 5 * 1024 * 1024
CASHIER_URL = "https://trade.1688.com/order/cashier.htm"


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


# -- Taobao shapes -------------------------------------------------------------------------------
def purchase_id(order_or_line_id: str) -> str:
    """Taobao Global's purchase id of one of our ids (12 digits, like the documented ones)."""
    return "2000" + order_or_line_id[-8:]


def taobao_order(order: Order) -> dict:
    """A Taobao order as create, detail and page answer it. Beyond the documented create fields
    `{id, orderNo, createTime, subOrderVOS}` it carries (our contract) `status,
    sellerOrderNumber, purchaseAmount, productAmount, domesticPostFee, discountAmount` (fen
    strings), `payStatus` (1 unpaid, 2 paid), `payTime, closeReason, warehouseName,
    warehouseAddress, receiver`."""
    return {
        "id": order.order_id,
        "orderNo": order.order_no,
        "createTime": svc.china_time(order.created_at),
        "status": order.status,
        "sellerOrderNumber": order.outer_ref,
        "purchaseCurrency": "CNY",
        "purchaseAmount": str(order.total_fen),
        "productAmount": str(order.goods_fen),
        "domesticPostFee": str(order.freight_fen),
        "discountAmount": str(order.discount_fen),
        "payStatus": 2 if order.paid_at else 1,
        "payTime": svc.china_time(order.paid_at),
        "closeReason": order.close_reason or None,
        "warehouseName": order.warehouse_name,
        "warehouseAddress": order.warehouse_address,
        "receiver": order.address,
        "subOrderVOS": _sub_orders(order),
    }


def _sub_orders(order: Order) -> list[dict]:
    """Documented sub-order fields, plus `orderLineNo`, `unitPrice` (fen string),
    `logisticsCompany` and `mailNo`. A seller's freight is on its first line."""
    freight = svc.seller_freight(order)
    subs = []
    for line in _lines(order):
        closed = line.status == st.Taobao.CLOSED
        subs.append(
            {
                "subOrderId": line.sub_order_id,
                "orderNo": order.order_no,
                "quantity": line.quantity,
                "title": line.product.title,
                "purchaseCurrency": "CNY",
                "purchaseAmount": str(line.amount_fen),
                "itemId": line.product.item_id,
                "domesticPostFee": str(freight.pop(line.product.shop_id, 0)),
                "closeReason": (order.close_reason or "buyerCancel") if closed else None,
                "skuId": line.sku.sku_id if line.sku else None,
                "status": line.status,
                "taobaoPurchaseId": purchase_id(order.order_id),
                "taobaoSubPurchaseId": purchase_id(line.sub_order_id),
                "errorCode": None,
                "errorMessage": None,
                "orderLineNo": line.order_line_no,
                "unitPrice": str(line.unit_price_fen),
                "logisticsCompany": line.logistics_company or None,
                "mailNo": line.tracking_no or None,
            }
        )
    return subs


# -- 1688 shapes ---------------------------------------------------------------------------------
def trade_info(order: Order) -> dict:
    """The official 1688 TradeInfo (buyer view): baseInfo, productItems, nativeLogistics,
    tradeTerms. Amounts in yuan, `discount` in fen (negative: a cut), ids as strings."""
    address, lines = order.address, _lines(order)
    shop = order.shop or (lines[0].product.shop if lines else None)
    base = {
        "id": order.order_id,
        "idOfStr": order.order_id,
        "businessType": "cb",
        "buyerID": order.user_id,
        "sellerID": shop.shop_id if shop else "",
        "sellerLoginId": shop.name if shop else "",
        "status": order.status,
        "tradeType": order.trade_type or "assureTrade",
        "flowTemplateCode": order.flow or "general",
        "outOrderId": order.outer_ref,
        "buyerFeedback": order.message,
        "totalAmount": _yuan(order.total_fen),
        "sumProductPayment": _yuan(order.goods_fen),
        "shippingFee": _yuan(order.freight_fen),
        "discount": -order.discount_fen,
        "refund": 0,
        "createTime": _time_1688(order.created_at),
        "modifyTime": _time_1688(order.updated_at),
        "payTime": _time_1688(order.paid_at),
        "allDeliveredTime": _time_1688(order.shipped_at),
        "receivingTime": _time_1688(order.arrived_at),
        "completeTime": _time_1688(order.completed_at),
        "closeReason": order.close_reason or None,
        "receiverInfo": {
            "toFullName": address.get("fullName", ""),
            "toMobile": address.get("mobile", ""),
            "toPhone": address.get("phone", ""),
            "toPost": address.get("postCode", ""),
            "toDivisionCode": address.get("districtCode", ""),
            "toArea": " ".join(
                str(address.get(key) or "")
                for key in ("provinceText", "cityText", "areaText", "townText", "address")
            ).strip(),
        },
    }
    return {
        "baseInfo": base,
        "productItems": [_trade_item(order, line) for line in lines],
        "nativeLogistics": {
            "address": address.get("address", ""),
            "area": address.get("areaText", ""),
            "city": address.get("cityText", ""),
            "province": address.get("provinceText", ""),
            "town": address.get("townText", ""),
            "contactPerson": address.get("fullName", ""),
            "mobile": address.get("mobile", ""),
            "zip": address.get("postCode", ""),
            "logisticsItems": [
                {
                    "logisticsCode": svc.CARRIER_CODES.get(company, ""),
                    "logisticsCompanyName": company,
                    "logisticsBillNo": tracking,
                    "deliveredTime": _time_1688(order.shipped_at),
                    "status": "alreadysend",
                    "subItemIds": ",".join(sub_ids),
                }
                for (company, tracking), sub_ids in _parcels(lines).items()
            ],
        },
        "tradeTerms": [
            {
                "payStatus": "2" if order.paid_at else "1",
                "payTime": _time_1688(order.paid_at),
                "payWay": "13",
                "phasAmount": _yuan(order.total_fen),
            }
        ],
    }


def _trade_item(order: Order, line: OrderLine) -> dict:
    logistics_status = 3 if order.arrived_at else 2 if line.tracking_no else 1
    return {
        "productID": line.product.item_id,
        "skuID": line.sku.sku_id if line.sku else "",
        "specId": line.sku.spec_id if line.sku else "",
        "name": line.product.title,
        "quantity": line.quantity,
        "unit": "件",
        "price": _yuan(line.unit_price_fen),
        "itemAmount": _yuan(line.amount_fen),
        "status": line.status,
        "subItemID": line.sub_order_id,
        "subItemIDString": line.sub_order_id,
        "logisticsStatus": logistics_status,
        "refundStatus": line.refund_status or None,
        "skuInfos": [
            {"name": prop.get("propName", ""), "value": prop.get("valueName", "")}
            for prop in (line.sku.properties if line.sku else [])
        ],
    }


def _parcels(lines: list[OrderLine]) -> dict[tuple[str, str], list[str]]:
    parcels: dict[tuple[str, str], list[str]] = {}
    for line in lines:
        if line.tracking_no:
            parcels.setdefault((line.logistics_company, line.tracking_no), []).append(
                line.sub_order_id
            )
    return parcels


def preview_results(previews: list[pricing.SellerPreview], flow: str) -> dict:
    """`{orderPreviewResuslt[]}` (the upstream's spelling), one per seller. Sums and
    `discountFee` are fen; cargo `amount`/`finalUnitPrice` yuan. Sandbox additions: each cargo's
    `available`, `unavailableReason` and `errorCode`, and `unavailableOfferList[]`."""
    results = []
    for seller in previews:
        problems = seller.unavailable_lines
        results.append(
            {
                "success": not problems,
                "errorCode": str(problems[0].code) if problems else None,
                "errorMsg": problems[0].reason if problems else None,
                "status": not problems,
                "sellerOpenId": seller.shop.shop_id,
                "flowFlag": flow or "general",
                "sumPayment": seller.total_fen,
                "sumCarriage": seller.freight_fen,
                "sumPaymentNoCarriage": seller.total_fen - seller.freight_fen,
                "discountFee": seller.discount_fen,
                "tradeModeNameList": [mode["tradeType"] for mode in TRADE_MODES],
                "tradeModelList": [{**mode, "opSupport": True} for mode in TRADE_MODES],
                "shopPromotionList": seller.promotions,
                "cargoList": [_cargo(line) for line in seller.lines],
                "unavailableOfferList": [
                    {
                        "offerId": line.product.item_id,
                        "specId": line.sku.spec_id if line.sku else "",
                        "quantity": line.quantity,
                        "reason": line.reason,
                        "code": str(line.code),
                    }
                    for line in problems
                ],
                "postFeeByDescOfferList": [],
                "consignOfferList": [],
                "unsupportedCrossBorderPayOfferList": [],
            }
        )
    return {"orderPreviewResuslt": results}


def _cargo(line: pricing.PreviewLine) -> dict:
    return {
        "offerId": line.product.item_id,
        "openOfferId": line.product.item_id,
        "specId": line.sku.spec_id if line.sku else "",
        "skuId": line.sku.sku_id if line.sku else "",
        "quantity": line.quantity,
        "amount": _yuan(line.amount_fen),
        "finalUnitPrice": _yuan(line.unit_price_fen),
        "cargoPromotionList": [],
        "available": line.available,
        "unavailableReason": line.reason or None,
        "errorCode": str(line.code) if not line.available else None,
    }


def created_result(orders: list[Order], *, always_list: bool) -> dict:
    """The createCrossOrder result: `{totalSuccessAmount, orderId, success, code, message,
    accountPeriod, failedOfferList, postFee, orderList[]}` (fen). `orderList` names every order
    when several were made (batch create: always), as `{orderId, sellerOpenId,
    totalSuccessAmount, postFee}`; `outOrderId` echoes our reference."""
    listed = orders if always_list or len(orders) > 1 else []
    return {
        "totalSuccessAmount": sum(order.total_fen for order in orders),
        "orderId": orders[0].order_id,
        "success": True,
        "code": None,
        "message": None,
        "accountPeriod": None,
        "failedOfferList": [],
        "postFee": sum(order.freight_fen for order in orders),
        "orderList": [
            {
                "orderId": order.order_id,
                "sellerOpenId": order.shop.shop_id if order.shop else "",
                "totalSuccessAmount": order.total_fen,
                "postFee": order.freight_fen,
            }
            for order in listed
        ],
        "outOrderId": orders[0].outer_ref,
    }


def _create_1688(call: SandboxCall, *, batch: bool, outer_ref_field: str) -> list[Order]:
    items = _cargo_items(call, with_seller=batch)
    if not batch:
        _single_seller(items)
    return svc.create_orders(
        call=call,
        platform=ALIBABA,
        items=items,
        address=_dict_param(call, "addressParam"),
        flow=_flow(call),
        message=str(call.param("message", "")),
        outer_ref=str(call.param(outer_ref_field, "")),
        trade_type=str(call.param("tradeType", "")),
    )


# -- PandaPon: Taobao ----------------------------------------------------------------------------
@handles("taobao_order_create")
def taobao_order_create(call: SandboxCall) -> dict:
    """POST /open/order. Refuses 1002 when the order costs more than `purchaseAmount` (fen)."""
    items = _taobao_items(call)
    receiver = _dict_param(call, "receiver")
    budget = call.param("purchaseAmount")
    previews = pricing.preview(platform=TAOBAO, items=items)
    total = sum(seller.total_fen for seller in previews)
    ready = all(seller.available for seller in previews)
    if ready and budget not in (None, "") and total > _int_param(call, "purchaseAmount", 0):
        raise SandboxError(1002, f"price changed: the order costs {total} fen, over {budget}")
    orders = svc.create_orders(
        call=call,
        platform=TAOBAO,
        items=items,
        address=receiver,
        outer_ref=str(call.param("sellerOrderNumber", "")),
        split_by_seller=False,
    )
    return taobao_order(orders[0])


@handles("taobao_order_page")
def taobao_order_page(call: SandboxCall) -> dict:
    """GET /open/order/page (ASSUMED): pageNo, pageSize, status, sellerOrderNumber -> v2 page
    `{totalRecords, totalPage, pageSize, currentPage, data[order]}`, newest first."""
    orders = _orders(call, TAOBAO)
    if call.param("status"):
        orders = orders.filter(status=call.param("status"))
    if call.param("sellerOrderNumber"):
        orders = orders.filter(outer_ref=call.param("sellerOrderNumber"))
    page_no, page_size = _int_param(call, "pageNo", 1), _int_param(call, "pageSize", 20)
    found, total = _page(orders, page_no, page_size)
    return _v2_page([taobao_order(order) for order in found], total, page_no, page_size)


@handles("taobao_order_voucher_upload")
def taobao_order_voucher_upload(call: SandboxCall) -> dict:
    """POST /open/order/voucher/upload (ASSUMED; multipart orderId, file: an image or a PDF up
    to 5 MB) -> `{orderId, voucherUrl, fileName, contentType, size}`."""
    order = _order(call, TAOBAO, call.param("orderId"))
    upload = call.files.get("file") or next(iter(call.files.values()), None)
    if upload is None:
        raise SandboxError(400, "missing required field: file")
    content_type = upload.content_type or ""
    if not content_type.startswith(VOUCHER_TYPES):
        raise SandboxError(400, f"a voucher must be an image or a PDF, not {content_type}")
    if upload.size > VOUCHER_MAX_BYTES:
        raise SandboxError(400, "a voucher may be at most 5 MB")
    number = len(order.vouchers) + 1
    url = call.request.build_absolute_uri(f"/sandbox/pandapon/vouchers/{order.order_id}/{number}")
    order.vouchers = [
        *order.vouchers,
        {
            "name": upload.name,
            "contentType": content_type,
            "size": upload.size,
            "url": url,
            "uploadedAt": svc.china_time(timezone.now()),
        },
    ]
    order.save(update_fields=["vouchers", "updated_at"])
    return {
        "orderId": order.order_id,
        "voucherUrl": url,
        "fileName": upload.name,
        "contentType": content_type,
        "size": upload.size,
    }


@handles("taobao_order_cancel")
def taobao_order_cancel(call: SandboxCall) -> bool:
    """POST /open/order/cancel (ASSUMED; orderId, cancelReason) -> true; 1005 once paid."""
    order = _order(call, TAOBAO, call.param("orderId"))
    svc.cancel(order, reason=str(call.param("cancelReason", "") or "buyerCancel"))
    return True


@handles("taobao_order_update_warehouse")
def taobao_order_update_warehouse(call: SandboxCall) -> bool:
    """POST /open/order/updateWarehouse -> true; 1005 once shipped or closed."""
    order = _order(call, TAOBAO, call.param("orderId"))
    if st.is_shipped(TAOBAO, order.status) or st.is_closed(TAOBAO, order.status):
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: too late to reroute")
    order.warehouse_name = str(call.param("warehouseName"))[:100]
    order.warehouse_address = str(call.param("warehouseAddress"))[:300]
    order.save(update_fields=["warehouse_name", "warehouse_address", "updated_at"])
    return True


@handles("taobao_order_pay")
def taobao_order_pay(call: SandboxCall) -> dict:
    """POST /open/order/pay (ASSUMED; orderId) -> `{orderId, payNo, payAmount (fen string),
    status, payTime}`. Paying again charges again (no dedupe); 1005 when not payable."""
    payment = svc.pay(call=call, order=_order(call, TAOBAO, call.param("orderId")))
    order = payment.order
    return {
        "orderId": order.order_id,
        "payNo": payment.pay_id,
        "payAmount": str(payment.amount_fen),
        "status": order.status,
        "payTime": svc.china_time(payment.created_at),
    }


@handles("taobao_order_im_link")
def taobao_order_im_link(call: SandboxCall) -> str:
    """POST /open/order/page/link/get -> a distributor.taobao.global IM URL (a string). An
    `order` source must name one of the caller's orders."""
    page_params = _dict_param(call, "pageParamMap")
    source, biz_id = str(page_params.get("sourceType", "")), str(page_params.get("bizId", ""))
    if source == "order":
        _order(call, TAOBAO, biz_id)
    seed = f"{call.user_id}:{call.param('pageName')}:{source}:{biz_id}"
    token = hashlib.sha256(seed.encode()).hexdigest()[:32]
    query = urlencode(
        {
            "loginToken": token,
            "pageName": call.param("pageName"),
            "sourceType": source,
            "bizId": biz_id,
        }
    )
    return f"https://distributor.taobao.global/apps/open/imchat?{query}"


@handles("taobao_order_get")
def taobao_order_get(call: SandboxCall) -> dict:
    """GET /open/order/get?orderId= (ASSUMED) -> the order, as create answers it."""
    return taobao_order(_order(call, TAOBAO, call.param("orderId")))


@handles("taobao_order_logistics")
def taobao_order_logistics(call: SandboxCall) -> dict:
    """GET /v2/taobao/order/logistics/detail/get?subPurchaseOrderId= (our subOrderId or the
    taobaoSubPurchaseId) -> `{purchaseOrderOuterId, pnmLogisticsDetails[]}`, one per parcel."""
    ref = str(call.param("subPurchaseOrderId"))
    lines = OrderLine.objects.filter(
        order__user_id=call.user_id, order__provider=call.provider, order__platform=TAOBAO
    ).select_related("order", "product__shop")
    line = lines.filter(sub_order_id=ref).first()
    if line is None and ref.startswith("2000") and len(ref) == 12:
        line = lines.filter(sub_order_id__endswith=ref[4:]).first()
    if line is None:
        raise SandboxError(404, f"sub-order {ref} does not exist")
    order = line.order
    details = []
    if line.tracking_no:
        details.append(_pnm_detail(order, line))
    return {"purchaseOrderOuterId": order.outer_ref, "pnmLogisticsDetails": details}


def _pnm_detail(order: Order, line: OrderLine) -> dict:
    address = order.address
    parcel = [other for other in _lines(order) if other.tracking_no == line.tracking_no]
    return {
        "mailNo": line.tracking_no,
        "logisticsTraces": [
            {
                "statusDesc": event["description"],
                "standerdDesc": event["description"],
                "province": "",
                "city": event["city"],
                "district": "",
                "action": event["status"],
                "facilityName": "",
                "time": svc.china_time(event["time"]),
                "status": event["status"],
                "nextCity": "",
                "nextNodeName": "",
            }
            for event in reversed(svc.trace_events(order))  # newest first, as carriers list
        ],
        "logisticsPartner": [
            {
                "company": line.logistics_company,
                "companyCode": svc.CARRIER_CODES.get(line.logistics_company, ""),
                "companyImageUrl": "",
                "companyContact": "95554",
            }
        ],
        "receiver": {
            "name": order.warehouse_name or address.get("name", ""),
            "phone": address.get("mobile_phone") or address.get("phone", ""),
            "zipCode": address.get("zip", ""),
            "province": address.get("state", ""),
            "city": address.get("city", ""),
            "district": address.get("district", ""),
            "address": order.warehouse_address or address.get("address", ""),
        },
        "logisticsGoods": [
            {
                "title": other.product.title,
                "quantity": other.quantity,
                "imageUrl": "",
                "property": " ".join(
                    p.get("valueName", "") for p in (other.sku.properties if other.sku else [])
                ),
            }
            for other in parcel
        ],
    }


# -- PandaPon: 1688 ------------------------------------------------------------------------------
@handles("alibaba_order_preview")
def alibaba_order_preview(call: SandboxCall) -> dict:
    """POST /alibaba/order/create/preview: one seller's lines (400 if several sellers)."""
    items = _cargo_items(call)
    _single_seller(items)
    return preview_results(pricing.preview(platform=ALIBABA, items=items), _flow(call))


@handles("alibaba_order_batch_preview")
def alibaba_order_batch_preview(call: SandboxCall) -> dict:
    """POST /alibaba/order/batch/create/preview (ASSUMED): one result per seller."""
    items = _cargo_items(call, with_seller=True)
    return preview_results(pricing.preview(platform=ALIBABA, items=items), _flow(call))


@handles("alibaba_order_create")
def alibaba_order_create(call: SandboxCall) -> dict:
    """POST /alibaba/order/create: one seller's order (400 if several sellers) -> the
    createCrossOrder result (`created_result`)."""
    return created_result(
        _create_1688(call, batch=False, outer_ref_field="outOrderId"), always_list=False
    )


@handles("alibaba_order_batch_create")
def alibaba_order_batch_create(call: SandboxCall) -> dict:
    """POST /alibaba/order/batch/create: one order per seller, all with the same outOrderId ->
    `created_result` with every order in `orderList`. The doc's answer is an empty object."""
    return created_result(
        _create_1688(call, batch=True, outer_ref_field="outOrderId"), always_list=True
    )


@handles("alibaba_order_page")
def alibaba_order_page(call: SandboxCall) -> dict:
    """POST /v2/alibaba/order/page (body ASSUMED: pageNo, pageSize, orderStatus, outOrderId) ->
    v2 page of TradeInfo, newest first."""
    orders = _orders(call, ALIBABA)
    if call.param("orderStatus"):
        orders = orders.filter(status=call.param("orderStatus"))
    if call.param("outOrderId"):
        orders = orders.filter(outer_ref=call.param("outOrderId"))
    page_no, page_size = _int_param(call, "pageNo", 1), _int_param(call, "pageSize", 20)
    found, total = _page(orders, page_no, page_size)
    return _v2_page([trade_info(order) for order in found], total, page_no, page_size)


@handles("alibaba_order_detail")
def alibaba_order_detail(call: SandboxCall) -> dict:
    """POST /alibaba/order/detail (webSite, orderId) -> TradeInfo."""
    return trade_info(_order(call, ALIBABA, call.param("orderId")))


@handles("alibaba_order_cancel")
def alibaba_order_cancel(call: SandboxCall) -> bool:
    """POST /alibaba/order/cancel -> true; 1005 once paid."""
    svc.cancel(_order(call, ALIBABA, call.param("orderId")), reason=str(call.param("cancelReason")))
    return True


@handles("alibaba_order_pay_url")
def alibaba_order_pay_url(call: SandboxCall) -> dict:
    """GET /alibaba/order/pay/url?orderId= -> `{orderId, protocolPaySuccess, payUrl,
    cantPayOrderList[], payAmount (fen), payIds[]}`. The sandbox's protocol pay always succeeds
    on a payable order (a Payment, every call); others come back in cantPayOrderList."""
    order = _order(call, ALIBABA, call.param("orderId"))
    try:
        payment = svc.pay(call=call, order=order)
    except SandboxError as refused:
        if refused.code != 1005:
            raise
        return {
            "orderId": order.order_id,
            "protocolPaySuccess": False,
            "payUrl": "",
            "cantPayOrderList": [order.order_id],
            "payAmount": 0,
            "payIds": [],
        }
    return {
        "orderId": order.order_id,
        "protocolPaySuccess": True,
        "payUrl": "",
        "cantPayOrderList": [],
        "payAmount": payment.amount_fen,
        "payIds": [payment.pay_id],
    }


@handles("alibaba_order_batch_submit_to_pay")
def alibaba_order_batch_submit_to_pay(call: SandboxCall) -> dict:
    """POST /alibaba/order/batch/submit/to/pay (orderIds[]) -> `{orderIds (paid),
    protocolPaySuccess, payUrl, cantPayOrderList[], payAmount (fen), payIds[]}`: a Payment per
    payable order; 1005 when none is payable."""
    paid, cant, payments = [], [], []
    for order_id in _list_param(call, "orderIds"):
        order = _orders(call, ALIBABA).filter(order_id=str(order_id)).first()
        if order is None or not st.is_payable(ALIBABA, order.status):
            cant.append(str(order_id))
            continue
        payments.append(svc.pay(call=call, order=order))
        paid.append(order.order_id)
    if not paid:
        raise SandboxError(1005, f"none of the orders can be paid: {', '.join(cant)}")
    return {
        "orderIds": paid,
        "protocolPaySuccess": True,
        "payUrl": "",
        "cantPayOrderList": cant,
        "payAmount": sum(payment.amount_fen for payment in payments),
        "payIds": [payment.pay_id for payment in payments],
    }


@handles("alibaba_order_logistics_trace")
def alibaba_order_logistics_trace(call: SandboxCall) -> dict:
    """GET /alibaba/order/logistics/trace?orderId= (ASSUMED) -> `{orderId, logisticsTrace[
    {logisticsId, orderId, logisticsBillNo, logisticsCompanyName, cpCode, logisticsSteps[
    {acceptTime, remark, status}]}]}`, like the official getLogisticsTraceInfo."""
    order = _order(call, ALIBABA, call.param("orderId"))
    steps = [
        {
            "acceptTime": svc.china_time(event["time"]),
            "remark": event["description"],
            "status": event["status"],
        }
        for event in svc.trace_events(order)
    ]
    return {
        "orderId": order.order_id,
        "logisticsTrace": [
            {
                "logisticsId": f"LP{tracking}",
                "orderId": order.order_id,
                "logisticsBillNo": tracking,
                "logisticsCompanyName": company,
                "cpCode": svc.CARRIER_CODES.get(company, ""),
                "logisticsSteps": steps,
            }
            for (company, tracking) in _parcels(_lines(order))
        ],
    }


@handles("alibaba_order_receive_goods")
def alibaba_order_receive_goods(call: SandboxCall) -> dict:
    """POST /alibaba/order/receivegoods -> `{success, errorInfo, errorCode}`; 1005 unless the
    order is waitbuyerreceive."""
    _receive(call)
    return {"success": True, "errorInfo": None, "errorCode": None}


def _receive(call: SandboxCall) -> Order:
    order = _order(call, ALIBABA, call.param("orderId"))
    entries = {str(entry) for entry in _list_param(call, "orderEntryIds")}
    if entries - set(order.lines.values_list("sub_order_id", flat=True)):
        raise SandboxError(404, "an order entry does not belong to this order")
    return svc.receive_goods(order)


# -- Dajisaas: 1688 ------------------------------------------------------------------------------
def _inner_failure(refused: SandboxError, call: SandboxCall) -> dict:
    """A refusal as Dajisaas wraps it: envelope 200, inner `success: false` with the code."""
    return {
        "success": False,
        "errorCode": str(refused.code),
        "errorMessage": refused.msg,
        "errorMsg": refused.msg,
        "requestId": call.request_id,
    }


@handles("dj_order_preview")
def dj_order_preview(call: SandboxCall) -> dict:
    """POST /alibaba/createOrder/preview: one seller only (400 otherwise)."""
    return alibaba_order_preview(call)


@handles("dj_create_cross_order")
def dj_create_cross_order(call: SandboxCall) -> dict:
    """POST /alibaba/trade/createCrossOrder: as seed 003 (`created_result`)."""
    return created_result(
        _create_1688(call, batch=False, outer_ref_field="thirdOrderId"), always_list=False
    )


@handles("dj_order_cancel")
def dj_order_cancel(call: SandboxCall) -> dict:
    """POST /alibaba/trade/cancel -> `{success, errorCode, errorMessage}`; a paid order answers
    `success: false, errorCode "1005"`."""
    order = _order(call, ALIBABA, call.param("orderId"))
    try:
        svc.cancel(order, reason=str(call.param("cancelReason")))
    except SandboxError as refused:
        if refused.code != 1005:
            raise
        return _inner_failure(refused, call)
    return {"success": True, "errorCode": None, "errorMessage": None}


@handles("dj_order_get")
def dj_order_get(call: SandboxCall) -> dict:
    """POST /alibaba/trade/get/buyerView -> TradeInfo."""
    return trade_info(_order(call, ALIBABA, call.param("orderId")))


@handles("dj_order_receive_goods")
def dj_order_receive_goods(call: SandboxCall) -> dict:
    """POST /alibaba/trade/receiveGoods/confirm -> `{result{success, errorCode, errorInfo}}`,
    `success: false, errorCode "1005"` unless the order is waitbuyerreceive."""
    try:
        _receive(call)
    except SandboxError as refused:
        if refused.code != 1005:
            raise
        return {"result": {"success": False, "errorCode": "1005", "errorInfo": refused.msg}}
    return {"result": {"success": True, "errorCode": None, "errorInfo": None}}


@handles("dj_order_list")
def dj_order_list(call: SandboxCall) -> dict:
    """POST /alibaba/trade/getBuyerOrderList (ASSUMED; page, pageSize, orderStatus,
    thirdOrderId or outOrderId) -> `{result[TradeInfo], totalRecord, success}`, newest first."""
    orders = _orders(call, ALIBABA)
    if call.param("orderStatus"):
        orders = orders.filter(status=call.param("orderStatus"))
    outer_ref = call.param("thirdOrderId") or call.param("outOrderId")
    if outer_ref:
        orders = orders.filter(outer_ref=outer_ref)
    page_no = _int_param(call, "page", _int_param(call, "pageNo", 1))
    found, total = _page(orders, page_no, _int_param(call, "pageSize", 20))
    return {"result": [trade_info(order) for order in found], "totalRecord": total, "success": True}


@handles("dj_alipay_url")
def dj_alipay_url(call: SandboxCall) -> dict:
    """GET /alibaba/alipay/url/get (orderIdList, at most 30) -> `{success, payUrl}`: the 1688
    cashier for one order, the Alipay cashier for several. Moves no money."""
    order_ids = [str(order_id) for order_id in _list_param(call, "orderIdList")]
    if not 0 < len(order_ids) <= 30:
        raise SandboxError(400, "orderIdList takes 1 to 30 order ids")
    for order_id in order_ids:
        order = _order(call, ALIBABA, order_id)
        if not st.is_awaiting_payment(ALIBABA, order.status):
            refused = SandboxError(1005, f"order {order_id} is {order.status}: nothing to pay")
            return _inner_failure(refused, call)
    if len(order_ids) == 1:
        url = f"{CASHIER_URL}?{urlencode({'orderId': order_ids[0]})}"
    else:
        query = urlencode({"orderIds": ",".join(order_ids)})
        url = f"https://cashier.alipay.com/standard/batch.htm?{query}"
    return {"success": True, "payUrl": url}


@handles("dj_protocol_pay")
def dj_protocol_pay(call: SandboxCall) -> dict:
    """POST /alibaba/trade/pay/protocolPay/preparePay -> `{success, orderId, payChannel, payId,
    payAmount (fen)}`; a Payment every call; `success: false, errorCode "1005"` when the order
    cannot be paid."""
    order = _order(call, ALIBABA, call.param("orderId"))
    try:
        payment = svc.pay(call=call, order=order)
    except SandboxError as refused:
        if refused.code != 1005:
            raise
        return _inner_failure(refused, call)
    return {
        "success": True,
        "orderId": order.order_id,
        "payChannel": "alipay",
        "payId": payment.pay_id,
        "payAmount": payment.amount_fen,
    }


# -- Dajisaas: Taobao ----------------------------------------------------------------------------
def _taobao_answer(call: SandboxCall, refused: SandboxError | None = None, **extra) -> dict:
    """Taobao Global's wrapper: `{code "0", success, requestId, errorCode, TraceId, errorMsg}`."""
    return {
        "code": str(refused.code) if refused else "0",
        "success": refused is None,
        "requestId": call.request_id,
        "TraceId": call.request_id[:12],
        "errorCode": str(refused.code) if refused else None,
        "errorMsg": refused.msg if refused else None,
        **extra,
    }


@handles("dj_taobao_order_cancel")
def dj_taobao_order_cancel(call: SandboxCall) -> dict:
    """POST /taobao/purchase/order/asyn/cancel (purchase_id, sub_purchase_orderId_list: empty =
    the whole order). Applied at once in the sandbox. Paid orders answer code/errorCode 1005."""
    order = _order(call, TAOBAO, call.param("purchase_id"))
    reason = str(call.param("cancel_reason", "") or "buyerCancel")
    sub_ids = [str(sub) for sub in _list_param(call, "sub_purchase_orderId_list")]
    try:
        if sub_ids:
            svc.close_lines(order, sub_ids, reason=reason)
        else:
            svc.cancel(order, reason=reason)
    except SandboxError as refused:
        if refused.code != 1005:
            raise
        return _taobao_answer(call, refused)
    return _taobao_answer(call)


@handles("dj_taobao_order_batch_pay")
def dj_taobao_order_batch_pay(call: SandboxCall) -> dict:
    """POST /taobao/purchase/order/batch/pay (purchaseOrderIdList, at most 10) -> the Taobao
    wrapper plus `paySuccessPurchaseOrderIds[]`, `payFailurePurchaseOrderList[{purchaseOrderId,
    errorCode, errorMsg}]` and `payAmount` (fen). `success: false` (1005) when none was paid."""
    order_ids = [str(order_id) for order_id in _list_param(call, "purchaseOrderIdList")]
    if not 0 < len(order_ids) <= 10:
        raise SandboxError(400, "purchaseOrderIdList takes 1 to 10 purchase order ids")
    paid, failed, amount = [], [], 0
    for order_id in order_ids:
        try:
            payment = svc.pay(call=call, order=_order(call, TAOBAO, order_id))
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
    refused = None if paid else SandboxError(1005, "none of the purchase orders could be paid")
    return _taobao_answer(
        call,
        refused,
        paySuccessPurchaseOrderIds=paid,
        payFailurePurchaseOrderList=failed,
        payAmount=amount,
    )
