"""Dajisaas orders: 1688 cross-border orders and Taobao purchase orders.

Dajisaas answers `code 200` even when the wrapped 1688/Taobao call failed; the transport turns
an inner `success: false` into the exception of its `errorCode` (e.g. StateForbids for 1005),
as it does for every provider's writes (`upstream.wire.raise_for_inner_refusal`).
`createCrossOrder` carries our outer reference in `thirdOrderId` (and in the journal); the
upstream does not deduplicate, so a lost answer is resolved with `list(outer_ref=...)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from upstream.api import Api
from upstream.types.orders import Cargo, Order, OrderCreated, OrderPage, PayResult, Preview

ALIPAY_URL_MAX_ORDERS = 30
TAOBAO_BATCH_PAY_MAX = 10


def _cargo(cargo: Sequence[Cargo]) -> list[dict[str, Any]]:
    return [line.as_param() for line in cargo]


class DajisaasOrders(Api):
    """1688 orders through Dajisaas: preview, createCrossOrder, detail, list, cancel, pay."""

    def preview(
        self, *, address: Mapping[str, Any], cargo: Sequence[Cargo], flow: str = "general"
    ) -> list[Preview]:
        """Price an order of one seller (`address` includes districtCode)."""
        params = {"flow": flow, "addressParam": dict(address), "cargoParamList": _cargo(cargo)}
        return Preview.list_from_alibaba(self._call("dj_order_preview", params).data)

    def create_cross_order(
        self,
        *,
        address: Mapping[str, Any],
        cargo: Sequence[Cargo],
        outer_ref: str,
        flow: str = "general",
        message: str = "",
        isv_biz_type: str = "cross",
    ) -> OrderCreated:
        """Create a cross-border order of one seller (at most 50 SKUs)."""
        params: dict[str, Any] = {
            "thirdOrderId": outer_ref,
            "flow": flow,
            "isvBizType": isv_biz_type,
            "addressParam": dict(address),
            "cargoParamList": _cargo(cargo),
        }
        if message:
            params["message"] = message
        data = self._call("dj_create_cross_order", params, outer_ref=outer_ref).data
        return OrderCreated.from_alibaba(data, outer_ref=outer_ref)

    def cancel(self, *, order_id: str, reason: str = "buyerCancel", remark: str = "") -> bool:
        """Cancel an unpaid order (StateForbids once paid)."""
        params = {"webSite": "1688", "orderId": order_id, "cancelReason": reason}
        if remark:
            params["remark"] = remark
        return bool(self._call("dj_order_cancel", params).data.get("success"))

    def get(self, *, order_id: str) -> Order:
        """One order (the official TradeInfo, buyer view)."""
        params = {"webSite": "1688", "orderId": order_id}
        return Order.from_trade_info(self._call("dj_order_get", params).data)

    def receive_goods(self, *, order_id: str, entry_ids: Sequence[str] = ()) -> bool:
        """Confirm receipt of a shipped order."""
        params: dict[str, Any] = {"orderId": order_id}
        if entry_ids:
            params["orderEntryIds"] = [str(entry) for entry in entry_ids]
        data = self._call("dj_order_receive_goods", params).data or {}
        result = data.get("result") if isinstance(data.get("result"), dict) else data
        return bool(result.get("success"))

    def list(
        self, *, page_no: int = 1, page_size: int = 20, status: str = "", outer_ref: str = ""
    ) -> OrderPage:
        """One page of orders, newest first; filter by status or by our thirdOrderId."""
        params: dict[str, Any] = {"page": page_no, "pageSize": page_size}
        if status:
            params["orderStatus"] = status
        if outer_ref:
            params["thirdOrderId"] = outer_ref
        data = self._call("dj_order_list", params).data
        return OrderPage.from_dajisaas(data or {}, page_no=page_no, page_size=page_size)

    def alipay_url(self, *, order_ids: Sequence[str]) -> str:
        """The cashier URL where a person logged in to 1688 pays these orders (at most 30)."""
        if not 0 < len(order_ids) <= ALIPAY_URL_MAX_ORDERS:
            raise ValueError(f"between 1 and {ALIPAY_URL_MAX_ORDERS} orders")
        params = {"orderIdList": [str(order_id) for order_id in order_ids]}
        return str(self._call("dj_alipay_url", params).data.get("payUrl") or "")

    def protocol_pay(self, *, order_id: str) -> PayResult:
        """Pay password-free (Cheng-e-She, then Alipay). Moves money: never repeat blindly."""
        data = self._call("dj_protocol_pay", {"orderId": order_id}).data or {}
        return PayResult(
            raw=data,
            paid_order_ids=[str(data.get("orderId") or order_id)],
            pay_ids=[str(data["payId"])] if data.get("payId") else [],
            amount_fen=int(data.get("payAmount") or 0),
        )


class DajisaasTaobaoOrders(Api):
    """Taobao purchase orders through Dajisaas: cancel and batch pay."""

    def cancel(
        self,
        *,
        purchase_id: str,
        sub_order_ids: Sequence[str] = (),
        reason: str = "",
        remark: str = "",
    ) -> bool:
        """Cancel an unpaid purchase order, or only some of its sub-orders."""
        params: dict[str, Any] = {"purchase_id": purchase_id}
        if sub_order_ids:
            params["sub_purchase_orderId_list"] = [str(sub) for sub in sub_order_ids]
        if reason:
            params["cancel_reason"] = reason
        if remark:
            params["cancel_remark"] = remark
        return bool(self._call("dj_taobao_order_cancel", params).data.get("success"))

    def batch_pay(self, *, purchase_order_ids: Sequence[str]) -> PayResult:
        """Pay up to 10 purchase orders (Alipay balance first, then the bound card)."""
        if not 0 < len(purchase_order_ids) <= TAOBAO_BATCH_PAY_MAX:
            raise ValueError(f"between 1 and {TAOBAO_BATCH_PAY_MAX} purchase orders")
        params = {"purchaseOrderIdList": [str(order_id) for order_id in purchase_order_ids]}
        return PayResult.from_taobao_batch(
            self._call("dj_taobao_order_batch_pay", params).data or {}
        )
