"""Sandbox handlers of PandaPon 1688 orders (`/alibaba/order/...`)."""

from __future__ import annotations

from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox import statuses as st
from upstream.sandbox.handlers.orders.common import (
    ALIBABA,
    _cargo_items,
    _dict_param,
    _flow,
    _int_param,
    _lines,
    _list_param,
    _order,
    _orders,
    _page,
    _single_seller,
    _v2_page,
)
from upstream.sandbox.handlers.orders.payloads import (
    _parcels,
    created_result,
    preview_results,
    trade_info,
)
from upstream.sandbox.models.orders import Order
from upstream.sandbox.orders import cashier
from upstream.sandbox.router import SandboxCall, SandboxError, handles


def _create_1688(call: SandboxCall, *, batch: bool) -> list[Order]:
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
        outer_ref=call.reference,
        trade_type=str(call.param("tradeType", "")),
    )


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
    return created_result(_create_1688(call, batch=False), always_list=False)


@handles("alibaba_order_batch_create")
def alibaba_order_batch_create(call: SandboxCall) -> dict:
    """POST /alibaba/order/batch/create: one order per seller, all with the same outOrderId ->
    `created_result` with every order in `orderList`. The doc's answer is an empty object."""
    return created_result(_create_1688(call, batch=True), always_list=True)


@handles("alibaba_order_page")
def alibaba_order_page(call: SandboxCall) -> dict:
    """POST /v2/alibaba/order/page (body ASSUMED: pageNo, pageSize, orderStatus, outOrderId) ->
    v2 page of TradeInfo, newest first."""
    orders = _orders(call, ALIBABA)
    if call.param("orderStatus"):
        orders = orders.filter(status=call.param("orderStatus"))
    if call.param("outOrderId"):
        orders = orders.filter(outer_ref=call.param("outOrderId"), ref_ignored=False)
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
    cantPayOrderList[], payAmount (fen), payIds[]}`. Protocol pay succeeds on a payable order
    (a Payment, every call) while the account pays password-free; otherwise it moves no money
    and answers the cashier's URL. An order that cannot be paid comes back in cantPayOrderList."""
    order = _order(call, ALIBABA, call.param("orderId"))
    if not cashier.protocol_pay_signed(call.provider):
        return _not_paid(order.order_id, [order.order_id], _cashier(call, [order]))
    try:
        payment = svc.pay(call=call, order=order)
    except SandboxError as refused:
        if refused.code != 1005:
            raise
        return _not_paid(order.order_id, [order.order_id], "")
    return {
        "orderId": order.order_id,
        "protocolPaySuccess": True,
        "payUrl": "",
        "cantPayOrderList": [],
        "payAmount": payment.amount_fen,
        "payIds": [payment.pay_id],
    }


def _not_paid(order_id: str, cant: list[str], pay_url: str) -> dict:
    return {
        "orderId": order_id,
        "protocolPaySuccess": False,
        "payUrl": pay_url,
        "cantPayOrderList": cant,
        "payAmount": 0,
        "payIds": [],
    }


def _cashier(call: SandboxCall, orders: list[Order]) -> str:
    """The cashier URL for those of the orders that await payment ("" if none does)."""
    waiting = [o.order_id for o in orders if st.is_awaiting_payment(ALIBABA, o.status)]
    return cashier.cashier_url(call, waiting) if waiting else ""


@handles("alibaba_order_batch_submit_to_pay")
def alibaba_order_batch_submit_to_pay(call: SandboxCall) -> dict:
    """POST /alibaba/order/batch/submit/to/pay (orderIds[]) -> `{orderIds (paid),
    protocolPaySuccess, payUrl, cantPayOrderList[], payAmount (fen), payIds[]}`: a Payment per
    payable order; 1005 when none is payable. An account that does not pay password-free pays
    none of them and answers one cashier URL for the payable ones."""
    paid, cant, payments = [], [], []
    payable = []
    for order_id in _list_param(call, "orderIds"):
        order = _orders(call, ALIBABA).filter(order_id=str(order_id)).first()
        if order is None or not st.is_payable(ALIBABA, order.status):
            cant.append(str(order_id))
        else:
            payable.append(order)
    if payable and not cashier.protocol_pay_signed(call.provider):
        answer = _not_paid("", [o.order_id for o in payable] + cant, _cashier(call, payable))
        return {**{k: v for k, v in answer.items() if k != "orderId"}, "orderIds": []}
    for order in payable:
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
