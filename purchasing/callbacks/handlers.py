"""What each upstream message means for our orders: `{message_type: handler}` per provider.

Every handler reads the message body into a Notice and hands it to apply.py. Shapes are in
upstream-api.md 1.7, 2.6 and 3.5 (and the sandbox's notify.py, which follows them). Amounts
(fen) and times (ms) are read strictly: a value that is not a non-negative whole number within
a BIGINT raises Unreadable, and the message is refused with that reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from upstream.types.base import Unreadable, id_str, whole_number


@dataclass
class Notice:
    """One message, read: which order, and what it says happened to it."""

    kind: str  # "status", "price" or "refund"
    reference: str = ""  # our outer reference, when the message carries it
    upstream_order_id: str = ""
    status: str = ""
    updated_ms: int | None = None
    total_fen: int | None = None
    refund_status: str = ""
    sub_order_ids: list[str] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)  # sub-order id, tracking...


def _ms(value: Any) -> int | None:
    return whole_number(value, "updatedAt")


def _id(value: Any) -> str:
    try:
        return id_str(value)
    except TypeError as exc:  # a float id may have lost digits: it names no order for sure
        raise Unreadable(str(exc)) from None


def _object(value: Any, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Unreadable(f"{what} is not an object")
    return value


def _objects(value: Any, what: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Unreadable(f"{what} is not a list of objects")
    return value


def taobao_status(body: dict) -> Notice:
    return Notice(
        kind="status",
        reference=str(body.get("sellerOrderNumber") or body.get("salesOrderId") or ""),
        upstream_order_id=_id(body.get("purchaseOrderId")),
        status=str(body.get("status") or ""),
        updated_ms=_ms(body.get("updatedAt")),
        lines=[
            {
                "sub_order_id": _id(sub.get("sub_purchase_order_id")),
                "item_id": _id(sub.get("item_id")),
                "sku_id": _id(sub.get("sku_id")),
                "status": str(sub.get("status") or ""),
                "company": sub.get("logistic_company_name") or "",
                "tracking": sub.get("logistic_number") or "",
            }
            for sub in _objects(body.get("subOrders"), "subOrders")
        ],
    )


def taobao_price(body: dict) -> Notice:
    notice = taobao_status(body)
    notice.kind = "price"
    notice.status = ""
    dto = _object(body.get("purchaseOrderPriceDTO"), "purchaseOrderPriceDTO")
    notice.total_fen = whole_number(dto.get("purchaseTotalFee"), "purchaseTotalFee")
    return notice


def taobao_refund(body: dict) -> Notice:
    return Notice(
        kind="refund",
        upstream_order_id=_id(body.get("orderId")),
        refund_status=str(body.get("refundStatusName") or body.get("refundStatus") or ""),
        sub_order_ids=[_id(body.get("subOrderId"))] if body.get("subOrderId") else [],
    )


def alibaba_status(body: dict) -> Notice:
    return Notice(
        kind="status",
        reference=str(body.get("outOrderId") or ""),
        upstream_order_id=_id(body.get("orderId")),
        status=str(body.get("currentStatus") or body.get("orderStatus") or ""),
        updated_ms=_ms(body.get("updatedAt")),
    )


def alibaba_price(body: dict) -> Notice:
    notice = alibaba_status(body)
    notice.kind, notice.status = "price", ""
    notice.total_fen = whole_number(body.get("totalAmount"), "totalAmount")
    return notice


def alibaba_refund(body: dict) -> Notice:
    return Notice(
        kind="refund",
        upstream_order_id=_id(body.get("orderId")),
        refund_status=str(body.get("refundStatus") or body.get("refundAction") or ""),
        sub_order_ids=[_id(entry) for entry in body.get("orderEntryIds") or []],
    )


def dj_taobao_status(body: dict) -> Notice:
    return Notice(
        kind="status",
        reference=str(body.get("outer_purchase_id") or ""),
        upstream_order_id=_id(body.get("purchase_id")),
        status=str(body.get("status") or ""),
        updated_ms=_ms(body.get("updatedAt")),
        lines=[
            {
                "item_id": _id(sku.get("item_id")),
                "sku_id": _id(sku.get("sku_id")),
                "status": str(sku.get("status") or ""),
                "company": sku.get("logistic_company_name") or "",
                "tracking": sku.get("logistic_number") or "",
            }
            for sku in _objects(body.get("sku_list"), "sku_list")
        ],
    )


def dj_taobao_price(body: dict) -> Notice:
    dto = _object(body.get("purchaseOrderPriceDTO"), "purchaseOrderPriceDTO")
    return Notice(
        kind="price",
        reference=str(body.get("salesOrderId") or ""),
        upstream_order_id=_id(body.get("purchaseOrderId")),
        updated_ms=_ms(body.get("updatedAt")),
        total_fen=whole_number(dto.get("purchaseTotalFee"), "purchaseTotalFee"),
    )


Handler = Callable[[dict], Notice]

ALIBABA: dict[str, Handler] = {
    "ORDER_BUYER_VIEW_BUYER_MAKE": alibaba_status,
    "ORDER_BUYER_VIEW_ORDER_PAY": alibaba_status,
    "ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS": alibaba_status,
    "ORDER_BUYER_VIEW_ORDER_SUCCESS": alibaba_status,
    "ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE": alibaba_status,
    "ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY": alibaba_price,
    "ORDER_BUYER_VIEW_ORDER_BUYER_REFUND": alibaba_refund,
    # Platform-level types of the Xportcn clone (upstream-api.md 1.7)
    "ORDER_CREATE": alibaba_status,
    "ORDER_CANCEL": alibaba_status,
    "ORDER_PAY_SUCCESS": alibaba_status,
}

HANDLERS: dict[str, dict[str, Handler]] = {
    "pandapon": {
        "TAOBAO_ORDER_STATUS_MODIFY": taobao_status,
        "TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY": taobao_price,
        "TAOBAO_ORDER_REFUND": taobao_refund,
        **ALIBABA,
    },
    "dajisaas": {"3": dj_taobao_status, "8": dj_taobao_price, **ALIBABA},
}


def handler_for(provider: str, message_type: str) -> Handler | None:
    return HANDLERS.get(provider, {}).get(message_type)
