"""Sandbox handlers: 1688 refunds, their vouchers, the return parcel and the couriers."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from upstream.sandbox.handlers.aftersales.common import (
    COURIERS,
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
)
from upstream.sandbox.handlers.aftersales.payloads import _alibaba_detail
from upstream.sandbox.ids import new_id, new_refund_id
from upstream.sandbox.models import Order, OrderLine, Platform, Refund, RefundMessage, Voucher
from upstream.sandbox.router import SandboxCall, SandboxError, handles
from upstream.types.aftersales import (
    ALIBABA_GOODS_IN_TRANSIT,
    ALIBABA_GOODS_NOT_RECEIVED_AFTER_SALE,
    ALIBABA_GOODS_NOT_SHIPPED,
    ALIBABA_GOODS_RECEIVED,
    ALIBABA_GOODS_RECEIVED_AFTER_SALE,
    ALIBABA_GOODS_RECEIVED_IN_SALE,
    REFUND_TYPE_OF_DISPUTE,
    RETURN_AND_REFUND,
    RefundStatus,
)

MAX_VOUCHER_BYTES = 5 * 1024 * 1024

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
# Magic numbers of the files a voucher may be.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (b"BM", "image/bmp", "bmp"),
    (b"%PDF-", "application/pdf", "pdf"),
)


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
        Refund.objects.filter(order=order, status=RefundStatus.SUCCESS).aggregate(
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
        outer_ref=call.reference,
        ref_ignored=not call.reference_kept,
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
    refund.move(RefundStatus.WAIT_SELLER_RECEIVE, action="BUYER_SEND_GOODS", operator="buyer")
    return {"success": True, "errorCode": None, "errorInfo": None}


@handles("alibaba_logistics_companies")
def alibaba_logistics_companies(call: SandboxCall) -> list[dict[str, Any]]:
    """Every courier, as the official OpQueryLogisticCompanyList: `[{id, companyNo,
    companyName, companyPhone, spelling}]`."""
    return [
        {
            "id": 1000 + index,
            "companyNo": code,
            "companyName": name,
            "companyPhone": phone,
            "spelling": code.lower(),
        }
        for index, (code, name, phone) in enumerate(COURIERS, start=1)
    ]
