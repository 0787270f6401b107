"""PandaPon orders: Taobao purchase orders and 1688 orders.

Creates carry our outer reference (`sellerOrderNumber`, `outOrderId`) both to the upstream and
to the call journal; the upstream does not deduplicate, so a caller who lost a create's answer
looks the order up with `page(outer_ref=...)` before creating again. Pay calls move money and
are never retried by the transport.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from upstream.api import Api
from upstream.types.orders import (
    Cargo,
    LogisticsTrace,
    Order,
    OrderCreated,
    OrderPage,
    PayResult,
    Preview,
    TaobaoLine,
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class TaobaoOrders(Api):
    """Taobao purchase orders: create, list, pay, cancel, detail, logistics."""

    def create(
        self,
        *,
        lines: Sequence[TaobaoLine],
        receiver: Mapping[str, Any],
        outer_ref: str,
        budget_fen: int | None = None,
        order_source: str = "",
    ) -> Order:
        """Create one purchase order. `budget_fen` (purchaseAmount) makes the upstream refuse
        with PriceChanged when the order would cost more. `receiver` is
        `{zip, country, state, city, district, address, phone, mobile_phone, name}`."""
        params: dict[str, Any] = {
            # Both are JSON-encoded strings in the documented request.
            "orderLineList": _json([line.as_param(i) for i, line in enumerate(lines)]),
            "receiver": _json(dict(receiver)),
            "sellerOrderNumber": outer_ref,
        }
        if budget_fen is not None:
            params["purchaseAmount"] = budget_fen
        if order_source:
            params["orderSource"] = order_source
        return Order.from_taobao(
            self._call("taobao_order_create", params, outer_ref=outer_ref).data
        )

    def page(
        self, *, page_no: int = 1, page_size: int = 20, status: str = "", outer_ref: str = ""
    ) -> OrderPage:
        """One page of orders, newest first; filter by status or by our outer reference."""
        params: dict[str, Any] = {"pageNo": page_no, "pageSize": page_size}
        if status:
            params["status"] = status
        if outer_ref:
            params["sellerOrderNumber"] = outer_ref
        return OrderPage.from_taobao(self._call("taobao_order_page", params).data)

    def upload_voucher(
        self, *, order_id: str, content: bytes, filename: str, content_type: str
    ) -> str:
        """Attach a payment voucher (an image or a PDF); the stored voucher's URL."""
        files = {"file": (filename, content, content_type)}
        data = self._call("taobao_order_voucher_upload", {"orderId": order_id}, files=files).data
        return str((data or {}).get("voucherUrl") or "") if isinstance(data, dict) else str(data)

    def cancel(self, *, order_id: str, reason: str = "") -> bool:
        """Cancel an unpaid order (StateForbids once paid)."""
        params = {"orderId": order_id, "cancelReason": reason} if reason else {"orderId": order_id}
        return bool(self._call("taobao_order_cancel", params).data)

    def update_warehouse(
        self, *, order_id: str, warehouse_name: str, warehouse_address: str
    ) -> bool:
        """Change the agent warehouse an order ships to (before the seller ships)."""
        params = {
            "orderId": order_id,
            "warehouseName": warehouse_name,
            "warehouseAddress": warehouse_address,
        }
        return bool(self._call("taobao_order_update_warehouse", params).data)

    def pay(self, *, order_id: str) -> PayResult:
        """Pay an order from the account balance. Never repeat blindly: read the order first."""
        return PayResult.from_taobao(self._call("taobao_order_pay", {"orderId": order_id}).data)

    def batch_pay(self, *, order_ids: Sequence[str]) -> PayResult:
        """Pay several orders in one call (ASSUMED: no page gives PandaPon's Taobao batch pay;
        see `CAIGOU_TAOBAO_BATCH_PAY`). Moves money: never repeat blindly."""
        params = {"orderIds": [str(order_id) for order_id in order_ids]}
        return PayResult.from_taobao_batch(self._call("taobao_order_batch_pay", params).data or {})

    def im_link(self, *, page_name: str, page_params: Mapping[str, Any]) -> str:
        """A link to chat with the seller; `page_params` e.g. {"sourceType": "item", "bizId"}."""
        params = {"pageName": page_name, "pageParamMap": dict(page_params)}
        return str(self._call("taobao_order_im_link", params).data)

    def get(self, *, order_id: str) -> Order:
        """One order with its sub-orders."""
        return Order.from_taobao(self._call("taobao_order_get", {"orderId": order_id}).data)

    def logistics(self, *, sub_order_id: str) -> list[LogisticsTrace]:
        """The parcels of a sub-order (empty before the seller ships)."""
        data = self._call("taobao_order_logistics", {"subPurchaseOrderId": sub_order_id}).data
        return LogisticsTrace.list_from_taobao(data)


class AlibabaOrders(Api):
    """1688 orders: preview, create (single or across merchants), pay, cancel, trace, receipt."""

    def preview(
        self, *, address: Mapping[str, Any], cargo: Sequence[Cargo], flow: str = ""
    ) -> list[Preview]:
        """Price an order of one seller: lines, freight, promotions, trade modes, problems."""
        params = _order_params(address, cargo, flow=flow)
        return Preview.list_from_alibaba(self._call("alibaba_order_preview", params).data)

    def batch_preview(
        self, *, address: Mapping[str, Any], cargo: Sequence[Cargo], flow: str = ""
    ) -> list[Preview]:
        """Price lines of several sellers: one preview per seller."""
        params = _order_params(address, cargo, flow=flow, with_seller=True)
        return Preview.list_from_alibaba(self._call("alibaba_order_batch_preview", params).data)

    def create(
        self,
        *,
        address: Mapping[str, Any],
        cargo: Sequence[Cargo],
        outer_ref: str,
        flow: str = "general",
        message: str = "",
        trade_type: str = "",
        shop_promotion_id: str = "",
    ) -> OrderCreated:
        """Create one order of one seller (lines of several sellers are refused)."""
        params = _order_params(
            address,
            cargo,
            flow=flow,
            outer_ref=outer_ref,
            message=message,
            trade_type=trade_type,
            shop_promotion_id=shop_promotion_id,
        )
        data = self._call("alibaba_order_create", params, outer_ref=outer_ref).data
        return OrderCreated.from_alibaba(data, outer_ref=outer_ref)

    def batch_create(
        self,
        *,
        address: Mapping[str, Any],
        cargo: Sequence[Cargo],
        outer_ref: str,
        flow: str = "general",
        message: str = "",
        trade_type: str = "",
        shop_promotion_id: str = "",
    ) -> OrderCreated:
        """Create one order per seller; every order carries the same outer reference."""
        params = _order_params(
            address,
            cargo,
            flow=flow,
            outer_ref=outer_ref,
            message=message,
            trade_type=trade_type,
            shop_promotion_id=shop_promotion_id,
            with_seller=True,
        )
        data = self._call("alibaba_order_batch_create", params, outer_ref=outer_ref).data
        return OrderCreated.from_alibaba(data, outer_ref=outer_ref)

    def page(
        self, *, page_no: int = 1, page_size: int = 20, status: str = "", outer_ref: str = ""
    ) -> OrderPage:
        """One page of orders, newest first; filter by status or by our outer reference."""
        params: dict[str, Any] = {"pageNo": page_no, "pageSize": page_size}
        if status:
            params["orderStatus"] = status
        if outer_ref:
            params["outOrderId"] = outer_ref
        return OrderPage.from_alibaba(self._call("alibaba_order_page", params).data)

    def detail(self, *, order_id: str) -> Order:
        """One order (the official TradeInfo)."""
        params = {"webSite": "1688", "orderId": order_id}
        return Order.from_trade_info(self._call("alibaba_order_detail", params).data)

    def cancel(self, *, order_id: str, reason: str = "buyerCancel", remark: str = "") -> bool:
        """Cancel an unpaid order; `reason` is buyerCancel, sellerGoodsLack or other."""
        params = {"webSite": "1688", "orderId": order_id, "cancelReason": reason}
        if remark:
            params["remark"] = remark
        return bool(self._call("alibaba_order_cancel", params).data)

    def pay_url(self, *, order_id: str) -> PayResult:
        """Pay by protocol (password-free) when possible; otherwise the cashier URL. Moves money:
        never repeat blindly."""
        return PayResult.from_alibaba(
            self._call("alibaba_order_pay_url", {"orderId": order_id}).data
        )

    def submit_to_pay(self, *, order_ids: Sequence[str]) -> PayResult:
        """Pay several orders at once; those that cannot be paid come back in failed_order_ids."""
        params = {"orderIds": [str(order_id) for order_id in order_ids]}
        return PayResult.from_alibaba(self._call("alibaba_order_batch_submit_to_pay", params).data)

    def logistics_trace(self, *, order_id: str) -> list[LogisticsTrace]:
        """The parcels of an order and their events (empty before the seller ships)."""
        data = self._call("alibaba_order_logistics_trace", {"orderId": order_id}).data
        return LogisticsTrace.list_from_alibaba(data)

    def receive_goods(self, *, order_id: str, entry_ids: Sequence[str] = ()) -> bool:
        """Confirm receipt of a shipped order (it becomes `success`)."""
        params: dict[str, Any] = {"orderId": order_id}
        if entry_ids:
            params["orderEntryIds"] = [str(entry) for entry in entry_ids]
        data = self._call("alibaba_order_receive_goods", params).data
        return bool(data.get("success")) if isinstance(data, dict) else bool(data)


def _order_params(
    address: Mapping[str, Any],
    cargo: Sequence[Cargo],
    *,
    flow: str = "",
    outer_ref: str = "",
    message: str = "",
    trade_type: str = "",
    shop_promotion_id: str = "",
    with_seller: bool = False,
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "addressParam": dict(address),
        "cargoParamList": [line.as_param(with_seller=with_seller) for line in cargo],
    }
    optional = {
        "flow": flow,
        "outOrderId": outer_ref,
        "message": message,
        "tradeType": trade_type,
        "shopPromotionId": shop_promotion_id,
    }
    params.update({key: value for key, value in optional.items() if value})
    return params
