"""Refund payloads: Taobao's refundOrder and refund detail, and the 1688 refund detail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from upstream.sandbox.handlers.aftersales.common import _time
from upstream.sandbox.models import OrderLine, Refund
from upstream.types.aftersales import DISPUTE_REQUEST, RefundStatus

# How long each side has to act before the platform steps in (shown as timeoutDate).
TIMEOUTS = {
    RefundStatus.WAIT_SELLER_AGREE: ("WAIT_SELLER_AGREE_TIMEOUT", timedelta(days=2)),
    RefundStatus.WAIT_BUYER_MODIFY: ("WAIT_BUYER_MODIFY_TIMEOUT", timedelta(days=3)),
    RefundStatus.WAIT_BUYER_SEND: ("WAIT_BUYER_SEND_TIMEOUT", timedelta(days=7)),
    RefundStatus.WAIT_SELLER_RECEIVE: ("WAIT_SELLER_RECEIVE_TIMEOUT", timedelta(days=10)),
}


def _taobao_refund_order(refund: Refund, line: OrderLine) -> dict[str, Any]:
    """The `refundOrder` of render and query answers (documented fields, then our additions:
    outerRefundId, subOrderId, agreedRefundFee, refundImages, createTime, modifyTime)."""
    timeout = TIMEOUTS.get(RefundStatus(refund.status))
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
        "canEditFee": refund.status
        in (RefundStatus.WAIT_SELLER_AGREE, RefundStatus.WAIT_BUYER_MODIFY),
        "sellerRefuseReasonDescribe": refund.seller_refuse_reason,
        "remainingTime": max(0, remaining) if remaining is not None else None,
        "reasonDesc": refund.reason_text,
        "sellerRefuseReason": refund.seller_refuse_reason,
        "refundFee": refund.apply_fen,
        "outerRefundId": refund.echoed_ref,
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
                "salesOrderId": order.echoed_ref,
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
        "refundCarriage": refund.apply_carriage_fen
        if refund.status == RefundStatus.SUCCESS
        else None,
        "applyReasonId": int(refund.reason_id),
        "applyReason": refund.reason_text,
        "description": refund.description,
        "vouchers": refund.vouchers,
        "rejectReason": refund.seller_refuse_reason,
        "sellerReceiveAddress": refund.return_address or None,
        "logisticsCompanyNo": refund.return_company_code,
        "logisticsCompanyName": refund.return_company_name,
        "freightBill": refund.return_mail_no,
        "outerRefundId": refund.echoed_ref,
        "gmtCreate": _time(refund.created_at),
        "gmtModified": _time(refund.updated_at),
        "gmtCompleted": _time(refund.completed_at),
        "refundOperationList": [
            {
                "operator": message.sender,
                "description": message.text,
                "vouchers": message.pictures,
                "gmtCreate": _time(message.created_at),
            }
            for message in refund.messages.all()
        ],
    }
