"""PandaPon after-sales: Taobao reverse orders and 1688 refunds.

Money is fen. Refund statuses are `RefundStatus` values on both platforms; Taobao's integer
enumerations (refundType, goodsStatus, refundStatus) are our contract, in
`upstream.types.aftersales`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from upstream.api import Api
from upstream.types.aftersales import (
    DISPUTE_REQUEST,
    TAOBAO_REFUND_STATUS_CODE,
    LogisticsCompany,
    Refund,
    RefundMessage,
    RefundPage,
    RefundReason,
    RefundRender,
    RefundStatus,
    ReturnLogistics,
    Voucher,
)


class TaobaoAftersales(Api):
    """Taobao reverse orders: render, submit, modify, cancel, messages, return logistics."""

    def list_refunds(
        self,
        *,
        page_no: int = 1,
        page_size: int = 20,
        status: str = "",
        order_id: str = "",
        sub_order_id: str = "",
        outer_refund_id: str = "",
    ) -> RefundPage:
        """Our refunds, newest first; `outer_refund_id` finds what a lost submit created."""
        params: dict[str, Any] = {"pageNo": page_no, "pageSize": page_size}
        if status:
            params["refundStatus"] = TAOBAO_REFUND_STATUS_CODE[RefundStatus(status)]
        optional = {
            "orderId": order_id,
            "subOrderId": sub_order_id,
            "outerRefundId": outer_refund_id,
        }
        params.update({key: value for key, value in optional.items() if value})
        reply = self._call("taobao_refund_page", params, outer_ref=outer_refund_id)
        return RefundPage.from_taobao(reply.data or {})

    def render(self, *, sub_order_id: str, refund_type: int, goods_status: int) -> RefundRender:
        """What a refund on this sub-order may be: types, goods statuses, reasons, maximum."""
        params = {
            "subOrderId": sub_order_id,
            "refundType": refund_type,
            "goodsStatus": goods_status,
        }
        return RefundRender.from_taobao(self._call("taobao_refund_render", params).data or {})

    def submit(
        self,
        *,
        sub_order_id: str,
        refund_type: int,
        goods_status: int,
        reason_id: str,
        refund_fen: int,
        outer_refund_id: str,
        description: str = "",
        pictures: Sequence[str] = (),
    ) -> str:
        """Open a refund; returns its refundId. Never retried: look up by outer_refund_id."""
        params = {
            "subOrderId": sub_order_id,
            "refundType": refund_type,
            "goodsStatus": goods_status,
            "reasonId": reason_id,
            "refundFee": refund_fen,
            "refundDesc": description,
            "refundImages": list(pictures),
            "outerRefundId": outer_refund_id,
        }
        reply = self._call("taobao_refund_submit", params, outer_ref=outer_refund_id)
        return str(reply.data["refundId"])

    def modify(
        self,
        *,
        refund_id: str,
        refund_type: int | None = None,
        goods_status: int | None = None,
        reason_id: str | None = None,
        refund_fen: int | None = None,
        description: str | None = None,
        pictures: Sequence[str] | None = None,
    ) -> bool:
        """Change a refund the seller has not agreed (or refused); unset fields stay as they are."""
        params: dict[str, Any] = {"refundId": refund_id}
        changes = {
            "refundType": refund_type,
            "goodsStatus": goods_status,
            "reasonId": reason_id,
            "refundFee": refund_fen,
            "refundDesc": description,
            "refundImages": None if pictures is None else list(pictures),
        }
        params.update({key: value for key, value in changes.items() if value is not None})
        return self._call("taobao_refund_modify", params).data is not False

    def cancel(self, *, refund_id: str) -> bool:
        return self._call("taobao_refund_cancel", {"refundId": refund_id}).data is not False

    def get(self, *, refund_id: str) -> Refund:
        return Refund.from_taobao(self._call("taobao_refund_query", {"refundId": refund_id}).data)

    def send_message(self, *, refund_id: str, text: str, pictures: Sequence[str] = ()) -> bool:
        params = {"refundId": refund_id, "refundMessage": text, "refundImages": list(pictures)}
        return self._call("taobao_refund_message_submit", params).data is not False

    def messages(self, *, refund_id: str) -> list[RefundMessage]:
        """The refund's negotiation, oldest first (buyer, seller and system messages)."""
        reply = self._call("taobao_refund_message_list", {"refundId": refund_id})
        items = reply.data.get("data", []) if isinstance(reply.data, dict) else reply.data or []
        return [RefundMessage.from_taobao(item) for item in items]

    def return_logistics(self, *, refund_id: str) -> ReturnLogistics:
        """Where to send an agreed return, and the couriers it may travel with."""
        reply = self._call("taobao_refund_logistics_render", {"refundId": refund_id})
        return ReturnLogistics.from_taobao(reply.data or {})

    def submit_return_logistics(self, *, refund_id: str, company_code: str, mail_no: str) -> bool:
        params = {"refundId": refund_id, "logisticsCompanyCode": company_code, "mailNo": mail_no}
        return self._call("taobao_refund_logistics_submit", params).data is not False


class AlibabaAftersales(Api):
    """1688 refunds: reasons, vouchers, create, detail, return goods, logistics companies."""

    def get(self, *, refund_id: str) -> Refund:
        return Refund.from_alibaba(
            self._call("alibaba_refund_detail", {"refundId": refund_id}).data
        )

    def reasons(
        self, *, order_id: str, goods_status: str, order_entry_ids: Sequence[str] = ()
    ) -> list[RefundReason]:
        """Reasons for a goods status (e.g. "refundWaitSellerSend"), with voucher needs."""
        params: dict[str, Any] = {"orderId": order_id, "goodsStatus": goods_status}
        if order_entry_ids:
            params["orderEntryIds"] = list(order_entry_ids)
        data = self._call("alibaba_refund_reasons", params).data or {}
        data = data.get("result", data) if isinstance(data.get("result"), dict) else data
        return [RefundReason.from_alibaba(item) for item in data.get("reasons") or []]

    def upload_voucher(self, *, content: bytes, file_name: str, content_type: str = "") -> Voucher:
        """Upload an image or PDF (at most 5 MB); use `Voucher.url` in create and return."""
        files = {"file": (file_name, content, content_type or "application/octet-stream")}
        return Voucher.from_alibaba(
            self._call("alibaba_refund_voucher_upload", {}, files=files).data
        )

    def create(
        self,
        *,
        order_id: str,
        refund_type: int,
        goods_status: str,
        reason_id: str,
        apply_fen: int,
        description: str,
        outer_refund_id: str,
        apply_carriage_fen: int = 0,
        order_entry_ids: Sequence[str] = (),
        entry_counts: Mapping[str, int] | None = None,
        vouchers: Sequence[str] = (),
    ) -> str:
        """Open a refund (REFUND_ONLY) or a return (RETURN_AND_REFUND); returns the TQ refundId.

        Never retried: look the outcome up by `outer_refund_id` before trying again."""
        params: dict[str, Any] = {
            "orderId": order_id,
            "orderEntryIds": list(order_entry_ids),
            "disputeRequest": DISPUTE_REQUEST[refund_type],
            "applyPayment": apply_fen,
            "applyCarriage": apply_carriage_fen,
            "applyReasonId": reason_id,
            "description": description,
            "goodsStatus": goods_status,
            "vouchers": list(vouchers),
            "orderEntryCountList": [
                {"id": entry_id, "count": count} for entry_id, count in (entry_counts or {}).items()
            ],
            "outerRefundId": outer_refund_id,
        }
        reply = self._call("alibaba_refund_create", params, outer_ref=outer_refund_id)
        return str(reply.data["refundId"])

    def return_goods(
        self,
        *,
        refund_id: str,
        company_no: str,
        freight_bill: str,
        description: str = "",
        vouchers: Sequence[str] = (),
    ) -> bool:
        """Tell the seller how an agreed return travels back (courier code and waybill)."""
        params: dict[str, Any] = {
            "refundId": refund_id,
            "logisticsCompanyNo": company_no,
            "freightBill": freight_bill,
            "description": description,
            "vouchers": list(vouchers),
        }
        data = self._call("alibaba_refund_return_goods", params).data
        return bool(data.get("success")) if isinstance(data, dict) else data is not False

    def logistics_companies(self) -> list[LogisticsCompany]:
        data = self._call("alibaba_logistics_companies", {}).data or []
        if isinstance(data, dict):
            data = data.get("result") or []
        return [LogisticsCompany.from_alibaba(item) for item in data]
