"""Sandbox handlers: Taobao reverse orders, their messages and the return parcel."""

from __future__ import annotations

from typing import Any

from upstream.sandbox.handlers.aftersales.common import (
    COURIERS,
    SHIPPED,
    STATE_FORBIDS,
    _check_amount,
    _choice,
    _int_param,
    _list_param,
    _note,
    _opened,
    _refund,
    _refundable_fen,
    _require_line_open,
    _require_paid,
    _return_shipment,
    _time,
)
from upstream.sandbox.handlers.aftersales.payloads import _taobao_detail, _taobao_refund_order
from upstream.sandbox.ids import new_id
from upstream.sandbox.models import Order, OrderLine, Platform, Refund, RefundMessage
from upstream.sandbox.router import SandboxCall, SandboxError, handles
from upstream.types.aftersales import (
    GOODS_NOT_RECEIVED,
    GOODS_RECEIVED,
    REFUND_ONLY,
    RETURN_AND_REFUND,
    TAOBAO_REFUND_STATUS,
    RefundStatus,
)

# (reasonId, reasonDesc, tips) by Taobao goodsStatus.
TAOBAO_REASONS: dict[int, list[tuple[int, str, str]]] = {
    GOODS_NOT_RECEIVED: [
        (101, "不想要了", "卖家同意后，款项原路退回"),
        (102, "拍错/多拍", "请确认商品规格后重新下单"),
        (103, "卖家未按约定时间发货", "超时未发货的订单可直接申请退款"),
        (104, "快递一直未送到", "请先查看物流信息，确认包裹未签收"),
        (105, "快递无跟踪记录", "发货后 72 小时仍无物流记录可申请"),
    ],
    GOODS_RECEIVED: [
        (201, "质量问题", "请上传能体现问题的商品照片"),
        (202, "尺码/尺寸与描述不符", "请上传测量照片"),
        (203, "商品与页面描述不符", "请说明不符之处并上传照片"),
        (204, "少件/漏发", "请上传包裹及商品照片"),
        (205, "卖家发错货", "请上传收到商品的照片"),
        (206, "七天无理由退换货", "退回商品需保持原样，不影响二次销售"),
    ],
}


def _taobao_options(order: Order) -> tuple[list[int], list[int]]:
    """Refund types and goods statuses a Taobao order's state allows."""
    if order.status in SHIPPED[Platform.TAOBAO]:
        return [REFUND_ONLY, RETURN_AND_REFUND], [GOODS_NOT_RECEIVED, GOODS_RECEIVED]
    return [REFUND_ONLY], [GOODS_NOT_RECEIVED]


def _taobao_reason(goods_status: int, reason_id: int) -> tuple[int, str, str]:
    for reason in TAOBAO_REASONS[goods_status]:
        if reason[0] == reason_id:
            return reason
    allowed = [reason[0] for reason in TAOBAO_REASONS[goods_status]]
    raise SandboxError(
        400,
        f"reasonId {reason_id} is not a reason for goodsStatus {goods_status}; allowed: {allowed}",
    )


def _taobao_line(call: SandboxCall, sub_order_id: Any) -> OrderLine:
    line = (
        OrderLine.objects.select_related("order", "order__shop", "product")
        .filter(
            sub_order_id=str(sub_order_id),
            order__user_id=call.user_id,
            order__platform=Platform.TAOBAO,
        )
        .first()
    )
    if line is None:
        raise SandboxError(404, f"no sub-order {sub_order_id}")
    return line


def _taobao_fee(call: SandboxCall, line: OrderLine, refund_type: int) -> int:
    """The requested refundFee, checked against what this sub-order may still refund."""
    amount = _int_param(call, "refundFee")
    if amount < 1:
        raise SandboxError(400, "refundFee must be at least 1 fen")
    maximum = _refundable_fen([(line, line.quantity)])
    _check_amount("refundFee", amount, maximum)
    unshipped = line.order.status not in SHIPPED[Platform.TAOBAO]
    # Nothing has left the seller: the whole sub-order is refunded, not a part of it.
    if refund_type == REFUND_ONLY and unshipped and amount != maximum:
        raise SandboxError(
            400, f"refundFee must be {maximum}: an unshipped sub-order is refunded in full"
        )
    return amount


def _taobao_terms(call: SandboxCall, line: OrderLine) -> tuple[int, int]:
    """refundType and goodsStatus, checked against what the order's state allows."""
    refund_type = _int_param(call, "refundType")
    goods_status = _int_param(call, "goodsStatus")
    allowed_types, allowed_goods = _taobao_options(line.order)
    _choice("refundType", refund_type, allowed_types)
    _choice("goodsStatus", goods_status, allowed_goods)
    if refund_type == RETURN_AND_REFUND and goods_status != GOODS_RECEIVED:
        raise SandboxError(400, "goodsStatus must be 2 (received) for a return and refund")
    return refund_type, goods_status


@handles("taobao_refund_render")
def taobao_refund_render(call: SandboxCall) -> dict[str, Any]:
    """`RefundRenderVO` (upstream-api.md 1.5.4) plus `refundOrderTemplate.refundTypeList`
    (ours): the refund types allowed for this sub-order. `refundOrder` is the sub-order's open
    refund if there is one, else the defaults a new one would get. Money in fen."""
    line = _taobao_line(call, call.param("subOrderId"))
    order = line.order
    _require_paid(order)
    _require_line_open(line)
    refund_type, goods_status = _taobao_terms(call, line)
    maximum = _refundable_fen([(line, line.quantity)])
    editable = refund_type == RETURN_AND_REFUND or order.status in SHIPPED[Platform.TAOBAO]
    allowed_types, allowed_goods = _taobao_options(order)
    current = (
        Refund.objects.filter(lines=line)
        .exclude(status__in=[RefundStatus.SUCCESS, RefundStatus.CLOSED])
        .select_related("order")
        .order_by("-id")
        .first()
    )
    refund_order = (
        _taobao_refund_order(current, line)
        if current
        else {
            "refundType": refund_type,
            "goodsStatus": goods_status,
            "refundFee": maximum,
            "canEditFee": editable,
            "payOrderId": order.order_id,
            "refundStatus": None,
            "refundId": None,
            "subOrderId": line.sub_order_id,
        }
    )
    return {
        "refundOrderTemplate": {
            "refundReasons": [
                {"reasonDesc": desc, "tips": tips, "reasonId": reason_id}
                for reason_id, desc, tips in TAOBAO_REASONS[goods_status]
            ],
            "goodsStatusList": allowed_goods,
            "refundTypeList": allowed_types,
            "refundOrder": refund_order,
            "maxRefundFee": {
                "refundFee": maximum,
                "minRefundFee": 1 if editable else maximum,
                "canEditRefundFee": editable,
                "feeTips": f"最多可退 ¥{maximum / 100:.2f}",
            },
        },
        "distributorId": call.user_id,
        "currency": "CNY",
        "saleFlag": order.status != "TRADE_FINISHED",
    }


@handles("taobao_refund_submit")
def taobao_refund_submit(call: SandboxCall) -> dict[str, Any]:
    """Open a reverse order on one sub-order. Body (ASSUMED): subOrderId, refundType,
    goodsStatus, reasonId, refundFee (fen), refundDesc, refundImages[] (URLs), outerRefundId.
    Answers `{refundId, outerRefundId, refundStatus}`."""
    line = _taobao_line(call, call.param("subOrderId"))
    _require_paid(line.order)
    _require_line_open(line)
    refund_type, goods_status = _taobao_terms(call, line)
    reason = _taobao_reason(goods_status, _int_param(call, "reasonId"))
    amount = _taobao_fee(call, line, refund_type)
    refund = Refund.objects.create(
        refund_id=new_id(),
        provider=call.provider,
        platform=Platform.TAOBAO,
        user_id=call.user_id,
        order=line.order,
        outer_ref=call.reference,
        ref_ignored=not call.reference_kept,
        created_by=call.op.name,
        refund_type=refund_type,
        goods_status=str(goods_status),
        reason_id=str(reason[0]),
        reason_text=reason[1],
        description=str(call.param("refundDesc", ""))[:500],
        apply_fen=amount,
        vouchers=[str(url) for url in _list_param(call, "refundImages", limit=9)],
    )
    _opened(refund, [(line, line.quantity)], call)
    return {
        "refundId": refund.refund_id,
        "outerRefundId": refund.echoed_ref,
        "refundStatus": refund.taobao_status,
    }


@handles("taobao_refund_modify")
def taobao_refund_modify(call: SandboxCall) -> bool:
    """Change an open claim while the seller has not agreed (waitselleragree, or
    waitbuyermodify after a refusal); it goes back to the seller. Body (ASSUMED): refundId and
    any of refundType, goodsStatus, reasonId, refundFee, refundDesc, refundImages."""
    refund = _refund(call, Platform.TAOBAO)
    if refund.status not in (RefundStatus.WAIT_SELLER_AGREE, RefundStatus.WAIT_BUYER_MODIFY):
        raise SandboxError(
            STATE_FORBIDS,
            f"refund {refund.refund_id} is {refund.status}: it can no longer be modified",
        )
    line = refund.lines.select_related("order").first()
    current = {
        "refundType": refund.refund_type,
        "goodsStatus": refund.goods_status,
        "reasonId": refund.reason_id,
        "refundFee": refund.apply_fen,
    }
    for name, value in current.items():
        if call.param(name) in (None, ""):
            call.params[name] = value
    refund_type, goods_status = _taobao_terms(call, line)
    reason = _taobao_reason(goods_status, _int_param(call, "reasonId"))
    refund.apply_fen = _taobao_fee(call, line, refund_type)
    refund.refund_type, refund.goods_status = refund_type, str(goods_status)
    refund.reason_id, refund.reason_text = str(reason[0]), reason[1]
    if call.param("refundDesc") is not None:
        refund.description = str(call.param("refundDesc"))[:500]
    if call.param("refundImages") is not None:
        refund.vouchers = [str(url) for url in _list_param(call, "refundImages", limit=9)]
    refund.seller_refuse_reason = ""
    _note(refund, RefundMessage.Sender.SYSTEM, "买家修改了退款申请")
    refund.move(
        RefundStatus.WAIT_SELLER_AGREE, action="BUYER_MODIFY_REFUND_PROTOCOL", operator="buyer"
    )
    return True


@handles("taobao_refund_cancel")
def taobao_refund_cancel(call: SandboxCall) -> bool:
    """Withdraw a claim (path parameter refundId); allowed until it succeeded or closed."""
    refund = _refund(call, Platform.TAOBAO)
    if refund.is_final:
        raise SandboxError(
            STATE_FORBIDS, f"refund {refund.refund_id} is {refund.status}: it cannot be cancelled"
        )
    _note(refund, RefundMessage.Sender.SYSTEM, "买家撤销了退款申请")
    refund.move(RefundStatus.CLOSED, action="BUYER_CANCEL_REFUND_CLOSE", operator="buyer")
    return True


@handles("taobao_refund_query")
def taobao_refund_query(call: SandboxCall) -> dict[str, Any]:
    """`TaoBaoRefundOrderDetailDTO` of one refund."""
    return _taobao_detail(_refund(call, Platform.TAOBAO, lock=False))


@handles("taobao_refund_page")
def taobao_refund_page(call: SandboxCall) -> dict[str, Any]:
    """Our refunds, newest first, as a v2 page of `TaoBaoRefundOrderDetailDTO`. Body (ASSUMED):
    pageNo, pageSize (max 50), refundStatus (int), orderId, subOrderId, outerRefundId."""
    page = max(1, _int_param(call, "pageNo", default=1))
    size = min(50, max(1, _int_param(call, "pageSize", default=20)))
    rows = Refund.objects.filter(user_id=call.user_id, platform=Platform.TAOBAO)
    if call.param("refundStatus") not in (None, ""):
        status = TAOBAO_REFUND_STATUS.get(_int_param(call, "refundStatus"))
        if status is None:
            raise SandboxError(400, f"refundStatus must be one of {sorted(TAOBAO_REFUND_STATUS)}")
        rows = rows.filter(status=status)
    if call.param("orderId"):
        rows = rows.filter(order__order_id=str(call.param("orderId")))
    if call.param("subOrderId"):
        rows = rows.filter(lines__sub_order_id=str(call.param("subOrderId")))
    if call.param("outerRefundId"):
        rows = rows.filter(outer_ref=str(call.param("outerRefundId")), ref_ignored=False)
    rows = rows.select_related("order", "order__shop").distinct().order_by("-id")
    total = rows.count()
    chosen = rows[(page - 1) * size : page * size]
    return {
        "totalRecords": total,
        "totalPage": (total + size - 1) // size,
        "pageSize": size,
        "currentPage": page,
        "data": [_taobao_detail(refund) for refund in chosen],
    }


@handles("taobao_refund_message_submit")
def taobao_refund_message_submit(call: SandboxCall) -> bool:
    """A buyer message (refundMessage, refundImages[] URLs) on an open refund."""
    refund = _refund(call, Platform.TAOBAO)
    if refund.is_final:
        raise SandboxError(
            STATE_FORBIDS, f"refund {refund.refund_id} is {refund.status}: messages are closed"
        )
    text = str(call.param("refundMessage", "")).strip()
    if len(text) > 1000:
        raise SandboxError(400, "refundMessage is longer than 1000 characters")
    pictures = [str(url) for url in _list_param(call, "refundImages", limit=9)]
    _note(refund, RefundMessage.Sender.BUYER, text, pictures)
    return True


@handles("taobao_refund_message_list")
def taobao_refund_message_list(call: SandboxCall) -> list[dict[str, Any]]:
    """Every message of a refund, oldest first (ASSUMED shape): `[{messageId, refundId,
    ownerRole (buyer/seller/system), content, pictureUrls[], createTime}]`."""
    refund = _refund(call, Platform.TAOBAO, lock=False)
    return [
        {
            "messageId": message.message_id,
            "refundId": refund.refund_id,
            "ownerRole": message.sender,
            "content": message.text,
            "pictureUrls": message.pictures,
            "createTime": _time(message.created_at),
        }
        for message in refund.messages.all()
    ]


@handles("taobao_refund_logistics_render")
def taobao_refund_logistics_render(call: SandboxCall) -> dict[str, Any]:
    """Where to send a return the seller agreed (ASSUMED shape): `{refundId, receiverAddress,
    sellerAgreeReturnDescribe, logisticsCompanies[{logisticsCompanyCode,
    logisticsCompanyName}]}`."""
    refund = _refund(call, Platform.TAOBAO, lock=False)
    if refund.status != RefundStatus.WAIT_BUYER_SEND:
        raise SandboxError(
            STATE_FORBIDS, f"refund {refund.refund_id} is {refund.status}: no return was agreed"
        )
    return {
        "refundId": refund.refund_id,
        "receiverAddress": refund.return_address,
        "sellerAgreeReturnDescribe": refund.seller_note,
        "logisticsCompanies": [
            {"logisticsCompanyCode": code, "logisticsCompanyName": name}
            for code, name, _ in COURIERS
        ],
    }


@handles("taobao_refund_logistics_submit")
def taobao_refund_logistics_submit(call: SandboxCall) -> bool:
    """The return parcel's courier (logisticsCompanyCode) and mailNo: on to waitsellerreceive."""
    refund = _refund(call, Platform.TAOBAO)
    _return_shipment(
        refund,
        str(call.param("logisticsCompanyCode", "")).strip().upper(),
        str(call.param("mailNo", "")).strip(),
        ("logisticsCompanyCode", "mailNo"),
    )
    refund.return_description = str(call.param("description", ""))[:200]
    _note(
        refund,
        RefundMessage.Sender.SYSTEM,
        f"买家已退货：{refund.return_company_name} {refund.return_mail_no}",
    )
    refund.move(RefundStatus.WAIT_SELLER_RECEIVE, action="BUYER_SEND_GOODS", operator="buyer")
    return True
