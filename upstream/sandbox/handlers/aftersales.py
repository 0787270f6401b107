"""Sandbox handlers: Taobao reverse orders and 1688 refunds, with the seller's tick steps.

Rules (both platforms): a refund is opened only on a paid order (1005 otherwise), for at most
what was paid for its lines minus what was already refunded on them (400 naming the maximum).
Creates are never deduplicated: every call with the same outerRefundId opens another refund.

The simulated seller (`advance_refunds`, a tick step) answers one step per tick: it agrees a
refund-only claim (refundsuccess), agrees a return (waitbuyersend, with its return address) or,
deterministically, refuses (waitbuyermodify) when the description contains "refuse-me" or the
amount ends in 13 fen; it refunds a returned parcel on arrival (waitsellerreceive ->
refundsuccess). Every move emits a refund callback (`Refund.callback_body` has the shapes).
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from upstream.sandbox.ids import new_id, new_refund_id
from upstream.sandbox.models import (
    Order,
    OrderLine,
    Platform,
    Refund,
    RefundLine,
    RefundMessage,
    Voucher,
)
from upstream.sandbox.router import SandboxCall, SandboxError, handles, tick_step
from upstream.types.aftersales import (
    ALIBABA_GOODS_IN_TRANSIT,
    ALIBABA_GOODS_NOT_RECEIVED_AFTER_SALE,
    ALIBABA_GOODS_NOT_SHIPPED,
    ALIBABA_GOODS_RECEIVED,
    ALIBABA_GOODS_RECEIVED_AFTER_SALE,
    ALIBABA_GOODS_RECEIVED_IN_SALE,
    DISPUTE_REQUEST,
    GOODS_NOT_RECEIVED,
    GOODS_RECEIVED,
    REFUND_ONLY,
    REFUND_TYPE_OF_DISPUTE,
    RETURN_AND_REFUND,
    TAOBAO_REFUND_STATUS,
    RefundStatus,
)

S = RefundStatus
STATE_FORBIDS = 1005
MAX_VOUCHER_BYTES = 5 * 1024 * 1024

PAID = {
    Platform.TAOBAO: {"WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"},
    Platform.ALIBABA: {"waitsellersend", "waitbuyerreceive", "waitbuyersign", "success"},
}
SHIPPED = {
    Platform.TAOBAO: {"WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"},
    Platform.ALIBABA: {"waitbuyerreceive", "waitbuyersign", "success"},
}
CLOSED_LINE = {"TRADE_CLOSED", "cancel", "CLOSED"}

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
# (id, name, needVoucher, noRefundCarriage, tip) for 1688: not received / received goods.
_ALIBABA_NOT_RECEIVED = [
    (20006, "不想要了", False, True, "卖家同意后退款，运费不退"),
    (20007, "拍错/多拍", False, True, "运费不退"),
    (20008, "未按约定时间发货", False, False, "可申请退运费"),
    (20009, "快递/物流一直未送到", False, False, "请先确认物流状态"),
    (20010, "货物破损已拒签", True, False, "请上传拒签凭证"),
]
_ALIBABA_RECEIVED = [
    (20101, "质量问题", True, False, "请上传体现质量问题的照片"),
    (20102, "少件/漏发", True, False, "请上传外包装和到货照片"),
    (20103, "与描述不符", True, False, "请上传对比照片"),
    (20104, "卖家发错货", True, False, "请上传收到商品的照片"),
    (20105, "七天无理由退货", False, True, "退回商品不影响二次销售，运费不退"),
]
ALIBABA_GOODS_STATUSES = {
    "waitsellersend": [ALIBABA_GOODS_NOT_SHIPPED],
    "waitbuyerreceive": [ALIBABA_GOODS_IN_TRANSIT, ALIBABA_GOODS_RECEIVED_IN_SALE],
    "waitbuyersign": [ALIBABA_GOODS_IN_TRANSIT, ALIBABA_GOODS_RECEIVED_IN_SALE],
    "success": [ALIBABA_GOODS_NOT_RECEIVED_AFTER_SALE, ALIBABA_GOODS_RECEIVED_AFTER_SALE],
}
# (code, name, phone): the domestic couriers a return may travel with (both platforms).
COURIERS = [
    ("SF", "顺丰速运", "95338"),
    ("ZTO", "中通快递", "95311"),
    ("YTO", "圆通速递", "95554"),
    ("STO", "申通快递", "95543"),
    ("YUNDA", "韵达快递", "95546"),
    ("EMS", "中国邮政EMS", "11183"),
    ("JD", "京东物流", "950616"),
    ("JTSD", "极兔速递", "956025"),
    ("DBKD", "德邦快递", "95353"),
]
COURIER_NAMES = {code: name for code, name, _ in COURIERS}
MAIL_NO = re.compile(r"^[A-Za-z0-9]{8,30}$")
# How long each side has to act before the platform steps in (shown as timeoutDate).
TIMEOUTS = {
    S.WAIT_SELLER_AGREE: ("WAIT_SELLER_AGREE_TIMEOUT", timedelta(days=2)),
    S.WAIT_BUYER_MODIFY: ("WAIT_BUYER_MODIFY_TIMEOUT", timedelta(days=3)),
    S.WAIT_BUYER_SEND: ("WAIT_BUYER_SEND_TIMEOUT", timedelta(days=7)),
    S.WAIT_SELLER_RECEIVE: ("WAIT_SELLER_RECEIVE_TIMEOUT", timedelta(days=10)),
}
# Magic numbers of the files a voucher may be.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (b"BM", "image/bmp", "bmp"),
    (b"%PDF-", "application/pdf", "pdf"),
)


# -- small helpers ---------------------------------------------------------------------------
def _time(value: Any) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _int_param(call: SandboxCall, name: str, *, default: int | None = None) -> int:
    value = call.param(name)
    if value in (None, ""):
        if default is not None:
            return default
        raise SandboxError(400, f"missing required field: {name}")
    if isinstance(value, bool):
        raise SandboxError(400, f"{name} must be an integer")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise SandboxError(400, f"{name} must be an integer, not {value!r}") from exc


def _list_param(call: SandboxCall, name: str, *, limit: int) -> list:
    value = call.json_param(name) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SandboxError(400, f"{name} must be a list")
    if len(value) > limit:
        raise SandboxError(400, f"{name} takes at most {limit} entries")
    return value


def _choice(name: str, value: Any, allowed: list) -> None:
    if value not in allowed:
        shown = ", ".join(str(item) for item in allowed)
        raise SandboxError(400, f"{name} {value} is not allowed here; allowed: {shown}")


def _require_paid(order: Order) -> None:
    if order.status not in PAID[order.platform]:
        raise SandboxError(
            STATE_FORBIDS,
            f"order {order.order_id} is {order.status}: only a paid order can be refunded",
        )


def _require_line_open(line: OrderLine) -> None:
    if line.status in CLOSED_LINE:
        raise SandboxError(STATE_FORBIDS, f"sub-order {line.sub_order_id} is {line.status}")


def _refundable_fen(lines: list[tuple[OrderLine, int]]) -> int:
    """What was paid for these counts of lines, less refunds already paid out on them."""
    paid = sum(line.amount_fen * count // max(1, line.quantity) for line, count in lines)
    refunded = (
        Refund.objects.filter(lines__in=[line for line, _ in lines], status=S.SUCCESS)
        .distinct()
        .aggregate(total=Sum("agreed_fen"))["total"]
    )
    return max(0, paid - (refunded or 0))


def _check_amount(name: str, amount: int, maximum: int) -> None:
    if amount > maximum:
        raise SandboxError(
            400,
            f"{name} {amount} exceeds the maximum refundable {maximum} fen (¥{maximum / 100:.2f})",
        )


def _refund(call: SandboxCall, platform: str, *, lock: bool = True) -> Refund:
    refund_id = str(call.param("refundId", ""))
    rows = Refund.objects.select_related("order", "order__shop")
    if lock:
        rows = rows.select_for_update(of=("self",))
    refund = rows.filter(refund_id=refund_id, user_id=call.user_id, platform=platform).first()
    if refund is None:
        raise SandboxError(404, f"no refund {refund_id}")
    return refund


def _opened(refund: Refund, lines: list[tuple[OrderLine, int]], call: SandboxCall) -> None:
    """A new refund: its lines, a system note, the lines' refund status and the callback."""
    RefundLine.objects.bulk_create(
        [RefundLine(refund=refund, line=line, count=count) for line, count in lines]
    )
    _note(
        refund,
        RefundMessage.Sender.SYSTEM,
        f"买家发起了退款申请，金额 ¥{refund.apply_fen / 100:.2f}",
    )
    OrderLine.objects.filter(pk__in=[line.pk for line, _ in lines]).update(
        refund_status=refund.line_refund_status()
    )
    refund.emit(action="BUYER_APPLY_REFUND", operator="buyer")
    call.ledger_ids.append(refund.refund_id)


def _note(refund: Refund, sender: str, text: str, pictures: list | None = None) -> RefundMessage:
    return RefundMessage.objects.create(
        refund=refund, message_id=new_id(), sender=sender, text=text, pictures=pictures or []
    )


def _seller_address(order: Order) -> dict[str, str]:
    shop = order.shop
    return {
        "name": f"{shop.name}售后部" if shop else "售后部",
        "phone": f"0571-8{order.order_id[-7:]}",
        "mobilePhone": f"138{order.order_id[-8:]}",
        "province": (shop.province if shop else "") or "浙江省",
        "city": (shop.city if shop else "") or "杭州市",
        "district": "余杭区",
        "address": "仓前街道文一西路 998 号 退货仓",
        "zip": "311121",
    }


# -- Taobao payloads -------------------------------------------------------------------------
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


def _taobao_refund_order(refund: Refund, line: OrderLine) -> dict[str, Any]:
    """The `refundOrder` of render and query answers (documented fields, then our additions:
    outerRefundId, subOrderId, agreedRefundFee, refundImages, createTime, modifyTime)."""
    timeout = TIMEOUTS.get(S(refund.status))
    deadline = refund.updated_at + timeout[1] if timeout else None
    remaining = int((deadline - timezone.now()).total_seconds() * 1000) if deadline else None
    return {
        "goodsStatus": int(refund.goods_status),
        "refundDesc": refund.description,
        "refundStatus": refund.taobao_status,
        "refundType": refund.refund_type,
        "timeoutDate": _time(deadline),
        "feeTips": "",
        "timeoutType": timeout[0] if timeout else None,
        "refundId": refund.refund_id,
        "payOrderId": refund.order.order_id,
        "reasonId": int(refund.reason_id),
        "canEditFee": refund.status in (S.WAIT_SELLER_AGREE, S.WAIT_BUYER_MODIFY),
        "sellerRefuseReasonDescribe": refund.seller_refuse_reason,
        "remainingTime": max(0, remaining) if remaining is not None else None,
        "reasonDesc": refund.reason_text,
        "sellerRefuseReason": refund.seller_refuse_reason,
        "refundFee": refund.apply_fen,
        "outerRefundId": refund.outer_ref,
        "subOrderId": line.sub_order_id,
        "agreedRefundFee": refund.agreed_fen,
        "refundImages": refund.vouchers,
        "createTime": _time(refund.created_at),
        "modifyTime": _time(refund.updated_at),
    }


def _taobao_detail(refund: Refund) -> dict[str, Any]:
    """A `TaoBaoRefundOrderDetailDTO` (upstream-api.md 1.5.4); `logistics.mailNo` is ours."""
    line = refund.lines.select_related("product").first()
    order = refund.order
    return {
        "distributorId": refund.user_id,
        "currency": "CNY",
        "refundOrderAggregate": {
            "logistics": {
                "receiverAddress": refund.return_address or None,
                "returnGoodsDesc": refund.return_description,
                "buyerPhone": str(order.address.get("phone") or order.address.get("mobile") or ""),
                "logisticsCompany": {
                    "logisticsCompanyCode": refund.return_company_code,
                    "logisticsCompanyName": refund.return_company_name,
                },
                "sellerAgreeReturnDescribe": refund.seller_note,
                "mailNo": refund.return_mail_no,
            },
            "refundOrder": _taobao_refund_order(refund, line),
            "purchaseOrderLine": {
                "salesOrderId": order.outer_ref,
                "supplierId": order.shop.shop_id if order.shop else "",
                "quantity": line.quantity,
                "totalPrice": line.amount_fen,
                "itemTitle": line.product.title,
                "postFee": 0,
                "productFee": line.amount_fen,
                "salesMarket": "pandapon",
                "purchaseOrderLineId": line.sub_order_id,
                "createTime": _time(order.created_at),
                "purchaseOrderId": order.order_id,
                "price": line.unit_price_fen,
            },
        },
    }


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


# -- Taobao handlers -------------------------------------------------------------------------
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
        .exclude(status__in=[S.SUCCESS, S.CLOSED])
        .select_related("order")
        .order_by("-id")
        .first()
    )
    refund_order = (
        _taobao_refund_order(current, line)
        if current
        else {"refundType": refund_type, "goodsStatus": goods_status, "refundFee": maximum,
              "canEditFee": editable, "payOrderId": order.order_id, "refundStatus": None,
              "refundId": None, "subOrderId": line.sub_order_id}
    )  # fmt: skip
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
        outer_ref=str(call.param("outerRefundId", "")),
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
        "outerRefundId": refund.outer_ref,
        "refundStatus": refund.taobao_status,
    }


@handles("taobao_refund_modify")
def taobao_refund_modify(call: SandboxCall) -> bool:
    """Change an open claim while the seller has not agreed (waitselleragree, or
    waitbuyermodify after a refusal); it goes back to the seller. Body (ASSUMED): refundId and
    any of refundType, goodsStatus, reasonId, refundFee, refundDesc, refundImages."""
    refund = _refund(call, Platform.TAOBAO)
    if refund.status not in (S.WAIT_SELLER_AGREE, S.WAIT_BUYER_MODIFY):
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
    refund.move(S.WAIT_SELLER_AGREE, action="BUYER_MODIFY_REFUND_PROTOCOL", operator="buyer")
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
    refund.move(S.CLOSED, action="BUYER_CANCEL_REFUND_CLOSE", operator="buyer")
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
        rows = rows.filter(outer_ref=str(call.param("outerRefundId")))
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
    if refund.status != S.WAIT_BUYER_SEND:
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


def _return_shipment(
    refund: Refund, company: str, mail_no: str, field_names: tuple[str, str]
) -> None:
    if refund.status != S.WAIT_BUYER_SEND:
        raise SandboxError(
            STATE_FORBIDS,
            f"refund {refund.refund_id} is {refund.status}: the seller has not agreed a return",
        )
    if company not in COURIER_NAMES:
        raise SandboxError(400, f"{field_names[0]} {company!r} is not a known logistics company")
    if not MAIL_NO.match(mail_no):
        raise SandboxError(400, f"{field_names[1]} must be 8-30 letters or digits")
    refund.return_company_code, refund.return_company_name = company, COURIER_NAMES[company]
    refund.return_mail_no = mail_no


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
    refund.move(S.WAIT_SELLER_RECEIVE, action="BUYER_SEND_GOODS", operator="buyer")
    return True


# -- 1688 ------------------------------------------------------------------------------------
def _alibaba_reasons(goods_status: str) -> list[tuple[int, str, bool, bool, str]]:
    return _ALIBABA_RECEIVED if goods_status in ALIBABA_GOODS_RECEIVED else _ALIBABA_NOT_RECEIVED


def _alibaba_order(call: SandboxCall) -> Order:
    order_id = str(call.param("orderId", ""))
    order = (
        Order.objects.select_related("shop")
        .filter(order_id=order_id, user_id=call.user_id, platform=Platform.ALIBABA)
        .first()
    )
    if order is None:
        raise SandboxError(404, f"no order {order_id}")
    return order


def _alibaba_goods_status(call: SandboxCall, order: Order) -> str:
    goods_status = str(call.param("goodsStatus", ""))
    _choice("goodsStatus", goods_status, ALIBABA_GOODS_STATUSES.get(order.status, []))
    return goods_status


def _alibaba_detail(refund: Refund) -> dict[str, Any]:
    """A 1688 refund detail (ASSUMED; official `opOrderRefundModelDetail` field names, fen),
    plus `outerRefundId`, `sellerReceiveAddress`, `logisticsCompanyNo` and `refundOperationList`."""
    entries = list(refund.refund_lines.select_related("line"))
    return {
        "refundId": refund.refund_id,
        "orderId": refund.order.order_id,
        "orderEntryIds": [entry.line.sub_order_id for entry in entries],
        "orderEntryCountList": [
            {"id": entry.line.sub_order_id, "count": entry.count} for entry in entries
        ],
        "status": refund.status,
        "disputeRequest": DISPUTE_REQUEST[refund.refund_type],
        "goodsStatus": refund.goods_status,
        "applyPayment": refund.apply_fen,
        "applyCarriage": refund.apply_carriage_fen,
        "refundPayment": refund.agreed_fen,
        "refundCarriage": refund.apply_carriage_fen if refund.status == S.SUCCESS else None,
        "applyReasonId": int(refund.reason_id),
        "applyReason": refund.reason_text,
        "description": refund.description,
        "vouchers": refund.vouchers,
        "rejectReason": refund.seller_refuse_reason,
        "sellerReceiveAddress": refund.return_address or None,
        "logisticsCompanyNo": refund.return_company_code,
        "logisticsCompanyName": refund.return_company_name,
        "freightBill": refund.return_mail_no,
        "outerRefundId": refund.outer_ref,
        "gmtCreate": _time(refund.created_at),
        "gmtModified": _time(refund.updated_at),
        "gmtCompleted": _time(refund.completed_at),
        "refundOperationList": [
            {"operator": message.sender, "description": message.text,
             "vouchers": message.pictures, "gmtCreate": _time(message.created_at)}
            for message in refund.messages.all()
        ],
    }  # fmt: skip


def _known_vouchers(call: SandboxCall, name: str, limit: int) -> list[str]:
    """Voucher references (URL, relative URL or voucherId) resolved to this user's voucher URLs."""
    urls = []
    for reference in _list_param(call, name, limit=limit):
        text = str(reference).strip()
        relative = re.sub(r"^https?://[^/]+/", "", text)
        voucher = (
            Voucher.objects.filter(user_id=call.user_id, relative_url=relative).first()
            or Voucher.objects.filter(user_id=call.user_id, voucher_id=text).first()
        )
        if voucher is None:
            raise SandboxError(400, f"{name}: {text} is not a voucher uploaded by this account")
        urls.append(voucher.url)
    return urls


@handles("alibaba_refund_detail")
def alibaba_refund_detail(call: SandboxCall) -> dict[str, Any]:
    return _alibaba_detail(_refund(call, Platform.ALIBABA, lock=False))


@handles("alibaba_refund_reasons")
def alibaba_refund_reasons(call: SandboxCall) -> dict[str, Any]:
    """`{reasons[{id, name, needVoucher, noRefundCarriage, tip}]}` as the official
    getRefundReasonList; the goodsStatus must fit the order's state (400 lists those that do)."""
    order = _alibaba_order(call)
    _require_paid(order)
    goods_status = _alibaba_goods_status(call, order)
    return {
        "reasons": [
            {
                "id": reason_id,
                "name": name,
                "needVoucher": need,
                "noRefundCarriage": no_carriage,
                "tip": tip,
            }
            for reason_id, name, need, no_carriage, tip in _alibaba_reasons(goods_status)
        ]
    }


@handles("alibaba_refund_voucher_upload")
def alibaba_refund_voucher_upload(call: SandboxCall) -> dict[str, Any]:
    """Multipart `file`: a JPEG, PNG, GIF, BMP or PDF of at most 5 MB (judged by its bytes, not
    its declared type). Answers the official `{imageDomain, imageRelativeUrl}` plus our
    `{voucherId, url, fileName, contentType, size}`; `url` goes into `vouchers[]`."""
    upload = call.files.get("file")
    if upload is None:
        raise SandboxError(400, "missing required file: file")
    if upload.size == 0:
        raise SandboxError(400, "file is empty")
    if upload.size > MAX_VOUCHER_BYTES:
        raise SandboxError(400, f"file is {upload.size} bytes; a voucher may be at most 5 MB")
    content = upload.read()
    kind = next(
        ((ctype, ext) for magic, ctype, ext in SIGNATURES if content.startswith(magic)), None
    )
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        kind = ("image/webp", "webp")
    if kind is None:
        raise SandboxError(400, "file must be an image (JPEG, PNG, GIF, BMP, WEBP) or a PDF")
    voucher_id = new_id()
    voucher = Voucher.objects.create(
        voucher_id=voucher_id,
        user_id=call.user_id,
        name=str(getattr(upload, "name", "") or "voucher")[:200],
        content_type=kind[0],
        size=upload.size,
        sha256=hashlib.sha256(content).hexdigest(),
        image_domain="cbu01.alicdn.com",
        relative_url=f"img/ibank/refund/{timezone.now():%Y/%m}/{voucher_id}.{kind[1]}",
    )
    return {
        "imageDomain": voucher.image_domain,
        "imageRelativeUrl": voucher.relative_url,
        "voucherId": voucher.voucher_id,
        "url": voucher.url,
        "fileName": voucher.name,
        "contentType": voucher.content_type,
        "size": voucher.size,
    }


@handles("alibaba_refund_create")
def alibaba_refund_create(call: SandboxCall) -> dict[str, Any]:
    """Body as upstream-api.md 1.5.8 plus our outerRefundId → `{refundId}` (starts with TQ).

    orderEntryIds default to every entry; orderEntryCountList [{id, count}] narrows counts.
    applyPayment and applyCarriage are fen; vouchers[] are URLs from the voucher upload."""
    order = _alibaba_order(call)
    _require_paid(order)
    refund_type = REFUND_TYPE_OF_DISPUTE.get(str(call.param("disputeRequest")))
    if refund_type is None:
        raise SandboxError(400, "disputeRequest must be refund or returnRefund")
    goods_status = _alibaba_goods_status(call, order)
    if refund_type == RETURN_AND_REFUND and goods_status not in ALIBABA_GOODS_RECEIVED:
        raise SandboxError(
            400,
            f"goodsStatus must be {ALIBABA_GOODS_RECEIVED_IN_SALE} or "
            f"{ALIBABA_GOODS_RECEIVED_AFTER_SALE} for returnRefund",
        )
    reason_id = _int_param(call, "applyReasonId")
    reason = next((r for r in _alibaba_reasons(goods_status) if r[0] == reason_id), None)
    if reason is None:
        raise SandboxError(
            400, f"applyReasonId {reason_id} is not a reason for goodsStatus {goods_status}"
        )
    lines = _alibaba_entries(call, order)
    for line, _ in lines:
        _require_line_open(line)
    amount = _int_param(call, "applyPayment")
    carriage = _int_param(call, "applyCarriage", default=0)
    if amount < 0 or carriage < 0 or amount + carriage < 1:
        raise SandboxError(400, "applyPayment and applyCarriage must be positive fen amounts")
    _check_amount("applyPayment", amount, _refundable_fen(lines))
    if reason[3] and carriage:
        raise SandboxError(
            400, f"applyCarriage must be 0: freight is not refunded for reason {reason_id}"
        )
    carriage_refunded = (
        Refund.objects.filter(order=order, status=S.SUCCESS).aggregate(
            total=Sum("apply_carriage_fen")
        )["total"]
        or 0
    )
    _check_amount("applyCarriage", carriage, max(0, order.freight_fen - carriage_refunded))
    description = str(call.param("description", "")).strip()
    if not 2 <= len(description) <= 150:
        raise SandboxError(400, "description must be 2-150 characters")
    vouchers = _known_vouchers(call, "vouchers", limit=5)
    if reason[2] and not vouchers:
        raise SandboxError(
            400, f"vouchers: reason {reason_id} ({reason[1]}) needs at least one voucher"
        )
    refund = Refund.objects.create(
        refund_id=new_refund_id(),
        provider=call.provider,
        platform=Platform.ALIBABA,
        user_id=call.user_id,
        order=order,
        outer_ref=str(call.param("outerRefundId", "")),
        created_by=call.op.name,
        refund_type=refund_type,
        goods_status=goods_status,
        reason_id=str(reason_id),
        reason_text=reason[1],
        description=description,
        apply_fen=amount,
        apply_carriage_fen=carriage,
        vouchers=vouchers,
    )
    _opened(refund, lines, call)
    return {"refundId": refund.refund_id}


def _alibaba_entries(call: SandboxCall, order: Order) -> list[tuple[OrderLine, int]]:
    by_id = {line.sub_order_id: line for line in order.lines.select_related("product")}
    wanted = [str(entry) for entry in _list_param(call, "orderEntryIds", limit=100)] or list(by_id)
    counts = {}
    for entry in _list_param(call, "orderEntryCountList", limit=100):
        if not isinstance(entry, dict) or "id" not in entry:
            raise SandboxError(400, "orderEntryCountList entries are {id, count}")
        counts[str(entry["id"])] = entry.get("count")
    lines = []
    for entry_id in dict.fromkeys(wanted + [key for key in counts if key not in wanted]):
        line = by_id.get(entry_id)
        if line is None:
            raise SandboxError(
                400, f"orderEntryIds: {entry_id} is not an entry of order {order.order_id}"
            )
        count = counts.get(entry_id, line.quantity)
        try:
            count = int(count)
        except (TypeError, ValueError) as exc:
            raise SandboxError(
                400, f"orderEntryCountList: count of {entry_id} must be an integer"
            ) from exc
        if not 1 <= count <= line.quantity:
            raise SandboxError(
                400, f"orderEntryCountList: count of {entry_id} must be 1-{line.quantity}"
            )
        lines.append((line, count))
    return lines


@handles("alibaba_refund_return_goods")
def alibaba_refund_return_goods(call: SandboxCall) -> dict[str, Any]:
    """The return parcel (logisticsCompanyNo, freightBill, description, vouchers[]) of a return
    the seller agreed; answers `{success, errorCode, errorInfo}` like the official call."""
    refund = _refund(call, Platform.ALIBABA)
    _return_shipment(
        refund,
        str(call.param("logisticsCompanyNo", "")).strip().upper(),
        str(call.param("freightBill", "")).strip(),
        ("logisticsCompanyNo", "freightBill"),
    )
    refund.return_description = str(call.param("description", ""))[:200]
    pictures = _known_vouchers(call, "vouchers", limit=10)
    _note(
        refund,
        RefundMessage.Sender.BUYER,
        f"买家已退货：{refund.return_company_name} {refund.return_mail_no}",
        pictures,
    )
    refund.move(S.WAIT_SELLER_RECEIVE, action="BUYER_SEND_GOODS", operator="buyer")
    return {"success": True, "errorCode": None, "errorInfo": None}


@handles("alibaba_logistics_companies")
def alibaba_logistics_companies(call: SandboxCall) -> list[dict[str, Any]]:
    """Every courier, as the official OpQueryLogisticCompanyList: `[{id, companyNo,
    companyName, companyPhone, spelling}]`."""
    return [
        {"id": 1000 + index, "companyNo": code, "companyName": name, "companyPhone": phone,
         "spelling": code.lower()}
        for index, (code, name, phone) in enumerate(COURIERS, start=1)
    ]  # fmt: skip


# -- the simulated seller --------------------------------------------------------------------
def refused_by_seller(refund: Refund) -> str:
    """The seller's refusal of a claim, or "": deterministic so tests and demos can reach it."""
    if "refuse-me" in refund.description.lower():
        return "卖家拒绝：请补充商品问题照片后重新提交（sandbox: 描述含 refuse-me）"
    if refund.apply_fen % 100 == 13:
        return "卖家拒绝：退款金额与协商结果不一致（sandbox: 金额以 13 分结尾）"
    return ""


def seller_step(refund: Refund) -> bool:
    """The seller's next answer to one refund; False when it waits for the buyer."""
    if refund.status == S.WAIT_SELLER_AGREE:
        reason = refused_by_seller(refund)
        if reason:
            refund.seller_refuse_reason = reason
            _note(refund, RefundMessage.Sender.SELLER, reason)
            refund.move(S.WAIT_BUYER_MODIFY, action="SELLER_REJECT_REFUND", operator="seller")
        elif refund.refund_type == REFUND_ONLY:
            refund.agreed_fen = refund.apply_fen
            _note(refund, RefundMessage.Sender.SELLER, "卖家同意退款")
            refund.move(S.SUCCESS, action="SELLER_AGREE_REFUND", operator="seller")
        else:
            refund.return_address = _seller_address(refund.order)
            refund.seller_note = "请在 7 天内寄回，勿用到付，包裹内请附订单号"
            _note(refund, RefundMessage.Sender.SELLER, f"卖家同意退货：{refund.seller_note}")
            refund.move(S.WAIT_BUYER_SEND, action="SELLER_AGREE_REFUND_PROCOTOL", operator="seller")
        return True
    if refund.status == S.WAIT_SELLER_RECEIVE:
        refund.agreed_fen = refund.apply_fen
        _note(refund, RefundMessage.Sender.SELLER, "卖家已收到退货，同意退款")
        refund.move(S.SUCCESS, action="SELLER_RECEIVE_GOODS", operator="seller")
        return True
    return False


@tick_step
def advance_refunds() -> int:
    """Every refund waiting for the seller takes the seller's next step."""
    moved = 0
    with transaction.atomic():
        waiting = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("order", "order__shop")
            .filter(status__in=[S.WAIT_SELLER_AGREE, S.WAIT_SELLER_RECEIVE])
            .order_by("id")
        )
        for refund in waiting:
            moved += seller_step(refund)
    return moved
