"""Order payloads shared by the handlers: Taobao orders, 1688 TradeInfo, previews, creates."""

from __future__ import annotations

from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox import statuses as st
from upstream.sandbox.handlers.orders.common import _lines, _time_1688, _yuan
from upstream.sandbox.models.orders import Order, OrderLine

TRADE_MODES = [
    {"tradeType": "assureTrade", "name": "担保交易", "description": "Trade 4.0 escrow"},
    {"tradeType": "alipay", "name": "支付宝担保交易", "description": "Alipay escrow"},
]


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
        "sellerOrderNumber": order.echoed_ref,
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
        "outOrderId": order.echoed_ref,
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
        "outOrderId": orders[0].echoed_ref,
    }
