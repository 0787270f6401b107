"""Sandbox handlers of Dajisaas orders: 1688 trades and Taobao purchase orders."""

from __future__ import annotations

from upstream.sandbox import orders as svc
from upstream.sandbox import statuses as st
from upstream.sandbox.handlers.orders.alibaba import _create_1688, _receive, alibaba_order_preview
from upstream.sandbox.handlers.orders.common import (
    ALIBABA,
    TAOBAO,
    _int_param,
    _list_param,
    _order,
    _orders,
    _page,
    _pay_each,
)
from upstream.sandbox.handlers.orders.payloads import created_result, trade_info
from upstream.sandbox.orders import cashier
from upstream.sandbox.router import SandboxCall, SandboxError, handles


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
    return created_result(_create_1688(call, batch=False), always_list=False)


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
        orders = orders.filter(outer_ref=outer_ref, ref_ignored=False)
    page_no = _int_param(call, "page", _int_param(call, "pageNo", 1))
    found, total = _page(orders, page_no, _int_param(call, "pageSize", 20))
    return {"result": [trade_info(order) for order in found], "totalRecord": total, "success": True}


@handles("dj_alipay_url")
def dj_alipay_url(call: SandboxCall) -> dict:
    """GET /alibaba/alipay/url/get (orderIdList, at most 30) -> `{success, payUrl}`: the
    sandbox's cashier page for these orders (orders/cashier.py). Moves no money."""
    order_ids = [str(order_id) for order_id in _list_param(call, "orderIdList")]
    if not 0 < len(order_ids) <= 30:
        raise SandboxError(400, "orderIdList takes 1 to 30 order ids")
    for order_id in order_ids:
        order = _order(call, ALIBABA, order_id)
        if not st.is_awaiting_payment(ALIBABA, order.status):
            refused = SandboxError(1005, f"order {order_id} is {order.status}: nothing to pay")
            return _inner_failure(refused, call)
    return {"success": True, "payUrl": cashier.cashier_url(call, order_ids)}


@handles("dj_protocol_pay")
def dj_protocol_pay(call: SandboxCall) -> dict:
    """POST /alibaba/trade/pay/protocolPay/preparePay -> `{success, orderId, payChannel, payId,
    payAmount (fen)}`; a Payment every call; `success: false, errorCode "1005"` when the order
    cannot be paid. An account that has not signed for password-free payment moves no money
    and answers `success: false` with a code no page documents (orders/cashier.py)."""
    order = _order(call, ALIBABA, call.param("orderId"))
    if not cashier.protocol_pay_signed(call.provider):
        code, words = cashier.refusal(call.provider)
        return {
            "success": False,
            "errorCode": code,
            "errorMessage": words,
            "errorMsg": words,
            "requestId": call.request_id,
        }
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
    answer = _pay_each(call, TAOBAO, order_ids)
    none_paid = SandboxError(1005, "none of the purchase orders could be paid")
    return _taobao_answer(
        call, None if answer["paySuccessPurchaseOrderIds"] else none_paid, **answer
    )
