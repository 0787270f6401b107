"""Status and price callbacks of sandbox orders, in the shape each provider pushes.

Every status or price change emits a callback (`upstream.sandbox.callbacks.emit`) in the shape
the provider would push. The shapes (our contract where the docs are silent, upstream-api.md
1.7, 2.6, 3.5):

- PandaPon Taobao: messageType `TAOBAO_ORDER_STATUS_MODIFY`, body
  `{purchaseOrderId, orderNo, salesOrderId, sellerOrderNumber, status, closeReason, updatedAt,
  subOrders[{purchase_order_id, sub_purchase_order_id, purchase_order_outer_id,
  purchase_order_line_outer_id, item_id, sku_id, quantity, status, product_amount,
  logistic_company_name, logistic_number, close_reason}]}`; price changes
  `TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY` with the same body plus `purchaseOrderPriceDTO
  {purchaseCurrency, purchaseTotalFee, purchaseProductFee, purchaseShippingFee,
  purchaseDiscountFee}` (fen). `salesOrderId`/`sellerOrderNumber` and `purchase_order_outer_id`
  carry our outer reference.
- Dajisaas Taobao: message_type `"3"` (status) and `"8"` (price); the body is the message's
  `data`: `{business_time, outer_purchase_id, purchase_id, seller_id, status, updatedAt,
  sku_list[{item_id, sku_id, order_line_no, status, logistic_company_name, logistic_number}]}`
  and `{salesOrderId, salesSellerId, purchaseMarket, purchaseOrderId, updatedAt,
  purchaseOrderPriceDTO{...}, purchaseOrderLinePriceChangeMessageDTOList[...]}`.
- 1688 (both providers): the official topics (`ORDER_BUYER_VIEW_BUYER_MAKE`, `_ORDER_PAY`,
  `_ANNOUNCE_SENDGOODS`, `_ORDER_SUCCESS`, `_ORDER_BUYER_CLOSE`, `_ORDER_PRICE_MODIFY`) with body
  `{orderId, orderNo, outOrderId, currentStatus, orderStatus, payStatus (1 unpaid, 2 paid),
  totalAmount, shippingFee, productAmount, discountAmount (fen), closeReason, buyerMemberId,
  sellerMemberId, msgSendTime "yyyy-MM-dd HH:mm:ss", updatedAt}`.

`updatedAt` is a millisecond timestamp that strictly increases from one message to the next in
this process, so receivers can drop an older status that arrives after a newer one.
"""

from __future__ import annotations

import threading
import time

from django.utils import timezone

from upstream.sandbox import callbacks
from upstream.sandbox import statuses as st
from upstream.sandbox.models.catalogue import Platform
from upstream.sandbox.models.orders import Order, OrderLine
from upstream.sandbox.orders.tracking import china_time

_clock = threading.Lock()
_last_ms = 0


def _monotonic_ms() -> int:
    global _last_ms
    with _clock:
        _last_ms = max(int(time.time() * 1000), _last_ms + 1)
        return _last_ms


ALIBABA_TOPICS = {
    st.Alibaba.WAIT_PAY: "ORDER_BUYER_VIEW_BUYER_MAKE",
    st.Alibaba.WAIT_SEND: "ORDER_BUYER_VIEW_ORDER_PAY",
    st.Alibaba.WAIT_RECEIVE: "ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS",
    st.Alibaba.SUCCESS: "ORDER_BUYER_VIEW_ORDER_SUCCESS",
    st.Alibaba.CANCEL: "ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE",
}


def emit_status(order: Order) -> None:
    """Push the order's current status the way its provider would (see the module docstring)."""
    if order.platform == Platform.ALIBABA:
        kind, body = ALIBABA_TOPICS[order.status], _alibaba_body(order)
    elif order.provider == "dajisaas":
        kind, body = "3", _dj_taobao_status_body(order)
    else:
        kind, body = "TAOBAO_ORDER_STATUS_MODIFY", _taobao_body(order)
    callbacks.emit(provider=order.provider, message_type=kind, body=body, platform=order.platform)


def emit_price(order: Order) -> None:
    """Push a price change of an unpaid order."""
    if order.platform == Platform.ALIBABA:
        kind, body = "ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY", _alibaba_body(order)
    elif order.provider == "dajisaas":
        kind, body = "8", _dj_taobao_price_body(order)
    else:
        kind, body = "TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY", _taobao_body(order)
        body["purchaseOrderPriceDTO"] = _price_dto(order)
    callbacks.emit(provider=order.provider, message_type=kind, body=body, platform=order.platform)


def _price_dto(order: Order) -> dict:
    return {
        "purchaseCurrency": "CNY",
        "purchaseTotalFee": order.total_fen,
        "purchaseProductFee": order.goods_fen,
        "purchaseShippingFee": order.freight_fen,
        "purchaseDiscountFee": order.discount_fen,
    }


def _lines(order: Order) -> list[OrderLine]:
    return list(order.lines.select_related("product__shop", "sku").order_by("pk"))


def _taobao_body(order: Order) -> dict:
    return {
        "purchaseOrderId": order.order_id,
        "orderNo": order.order_no,
        "salesOrderId": order.echoed_ref,
        "sellerOrderNumber": order.echoed_ref,
        "status": order.status,
        "closeReason": order.close_reason or None,
        "updatedAt": _monotonic_ms(),
        "subOrders": [
            {
                "purchase_order_id": order.order_id,
                "sub_purchase_order_id": line.sub_order_id,
                "purchase_order_outer_id": order.echoed_ref,
                "purchase_order_line_outer_id": line.order_line_no,
                "item_id": line.product.item_id,
                "sku_id": line.sku.sku_id if line.sku else "",
                "quantity": line.quantity,
                "status": line.status,
                "product_amount": line.amount_fen,
                "logistic_company_name": line.logistics_company,
                "logistic_number": line.tracking_no,
                "close_reason": order.close_reason if line.status == st.Taobao.CLOSED else "",
            }
            for line in _lines(order)
        ],
    }


def _dj_taobao_status_body(order: Order) -> dict:
    lines = _lines(order)
    return {
        "business_time": china_time(timezone.now()),
        "outer_purchase_id": order.echoed_ref,
        "purchase_id": order.order_id,
        "seller_id": lines[0].product.shop.shop_id if lines else "",
        "status": order.status,
        "updatedAt": _monotonic_ms(),
        "sku_list": [
            {
                "item_id": line.product.item_id,
                "sku_id": line.sku.sku_id if line.sku else "",
                "order_line_no": line.order_line_no,
                "status": line.status,
                "logistic_company_name": line.logistics_company,
                "logistic_number": line.tracking_no,
            }
            for line in lines
        ],
    }


def _dj_taobao_price_body(order: Order) -> dict:
    lines = _lines(order)
    return {
        "salesOrderId": order.echoed_ref,
        "salesSellerId": lines[0].product.shop.shop_id if lines else "",
        "purchaseMarket": "taobao",
        "purchaseOrderId": order.order_id,
        "updatedAt": _monotonic_ms(),
        "purchaseOrderPriceDTO": _price_dto(order),
        "purchaseOrderLinePriceChangeMessageDTOList": [
            {
                "purchaseOrderLineId": line.sub_order_id,
                "purchaseProductFee": line.amount_fen,
                "quantity": line.quantity,
            }
            for line in lines
        ],
    }


def _alibaba_body(order: Order) -> dict:
    return {
        "orderId": order.order_id,
        "orderNo": order.order_no,
        "outOrderId": order.echoed_ref,
        "currentStatus": order.status,
        "orderStatus": order.status,
        "payStatus": 2 if order.paid_at else 1,
        "totalAmount": order.total_fen,
        "shippingFee": order.freight_fen,
        "productAmount": order.goods_fen,
        "discountAmount": order.discount_fen,
        "closeReason": order.close_reason or None,
        "buyerMemberId": order.user_id,
        "sellerMemberId": order.shop.shop_id if order.shop else "",
        "msgSendTime": china_time(timezone.now()),
        "updatedAt": _monotonic_ms(),
    }
