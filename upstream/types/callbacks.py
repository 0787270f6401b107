"""Callback bodies, read: one typed message per kind (status, price, refund) and the table of
which reader reads which message type of each provider.

Shapes are in upstream-api.md 1.7, 2.6 and 3.5 (and the sandbox's orders/notify.py and refund
callback bodies, which follow them). Amounts (fen) and times (ms) are read strictly: a value
that is not a non-negative whole number within a BIGINT raises Unreadable, and so do an id that
arrived as a float and a field that should hold an object or a list of objects but does not.
The receiver refuses such a message with that reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from upstream.types.base import Record, Unreadable, id_str, whole_number


@dataclass(frozen=True)
class LineMove:
    """One line of a status message: which sub-order or SKU, its status and its parcel."""

    sub_order_id: str = ""  # Taobao through PandaPon only
    item_id: str = ""
    sku_id: str = ""
    status: str = ""
    company: str = ""
    tracking: str = ""


@dataclass(kw_only=True)
class CallbackMessage(Record):
    """What every order message names: our outer reference (when it carries it), the upstream
    order and the upstream's time of the change."""

    reference: str = ""
    upstream_order_id: str = ""
    updated_ms: int | None = None


@dataclass(kw_only=True)
class StatusMessage(CallbackMessage):
    """The order's status moved (and, for Taobao, each line's with its tracking number)."""

    status: str = ""
    lines: list[LineMove] = field(default_factory=list)


@dataclass(kw_only=True)
class PriceMessage(CallbackMessage):
    """The seller changed the order's total before payment (fen; None when absent)."""

    total_fen: int | None = None


@dataclass(kw_only=True)
class RefundMessage(CallbackMessage):
    """A refund moved: which refund (the upstream's id and our outer reference), its status in
    the platform's vocabulary, and the sub-orders it covers."""

    refund_id: str = ""
    outer_refund_id: str = ""
    refund_status: str = ""
    sub_order_ids: list[str] = field(default_factory=list)


Message = StatusMessage | PriceMessage | RefundMessage
Reader = Callable[[dict], Message]


def _ms(value: Any) -> int | None:
    return whole_number(value, "updatedAt")


def _id(value: Any) -> str:
    try:
        return id_str(value)
    except TypeError as exc:  # a float id may have lost digits: it names no order for sure
        raise Unreadable(str(exc)) from None


def _text(value: Any) -> str:
    return str(value or "")


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


def _line(entry: dict, *, sub_order_id: str = "") -> LineMove:
    return LineMove(
        sub_order_id=sub_order_id,
        item_id=_id(entry.get("item_id")),
        sku_id=_id(entry.get("sku_id")),
        status=_text(entry.get("status")),
        company=_text(entry.get("logistic_company_name")),
        tracking=_text(entry.get("logistic_number")),
    )


def _refund_ids(body: dict) -> dict[str, str]:
    """The refund's own ids, the same keys on both platforms."""
    return {
        "refund_id": _text(body.get("refundId")),
        "outer_refund_id": _text(body.get("outerRefundId")),
    }


def taobao_status(body: dict) -> StatusMessage:
    """PandaPon `TAOBAO_ORDER_STATUS_MODIFY`."""
    return StatusMessage(
        reference=_text(body.get("sellerOrderNumber") or body.get("salesOrderId")),
        upstream_order_id=_id(body.get("purchaseOrderId")),
        status=_text(body.get("status")),
        updated_ms=_ms(body.get("updatedAt")),
        lines=[
            _line(sub, sub_order_id=_id(sub.get("sub_purchase_order_id")))
            for sub in _objects(body.get("subOrders"), "subOrders")
        ],
        raw=body,
    )


def taobao_price(body: dict) -> PriceMessage:
    """PandaPon `TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY`: the status body (read as strictly)
    with a `purchaseOrderPriceDTO`."""
    order = taobao_status(body)
    dto = _object(body.get("purchaseOrderPriceDTO"), "purchaseOrderPriceDTO")
    return PriceMessage(
        reference=order.reference,
        upstream_order_id=order.upstream_order_id,
        updated_ms=order.updated_ms,
        total_fen=whole_number(dto.get("purchaseTotalFee"), "purchaseTotalFee"),
        raw=body,
    )


def taobao_refund(body: dict) -> RefundMessage:
    """PandaPon `TAOBAO_ORDER_REFUND` (ASSUMED in upstream-api.md 6.3)."""
    return RefundMessage(
        upstream_order_id=_id(body.get("orderId")),
        refund_status=_text(body.get("refundStatusName") or body.get("refundStatus")),
        sub_order_ids=[_id(body.get("subOrderId"))] if body.get("subOrderId") else [],
        **_refund_ids(body),
        raw=body,
    )


def alibaba_status(body: dict) -> StatusMessage:
    """A 1688 order topic (both providers): `{orderId, outOrderId, currentStatus, ...}`."""
    return StatusMessage(
        reference=_text(body.get("outOrderId")),
        upstream_order_id=_id(body.get("orderId")),
        status=_text(body.get("currentStatus") or body.get("orderStatus")),
        updated_ms=_ms(body.get("updatedAt")),
        raw=body,
    )


def alibaba_price(body: dict) -> PriceMessage:
    """1688 `ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY`: the order body with `totalAmount` in fen."""
    order = alibaba_status(body)
    return PriceMessage(
        reference=order.reference,
        upstream_order_id=order.upstream_order_id,
        updated_ms=order.updated_ms,
        total_fen=whole_number(body.get("totalAmount"), "totalAmount"),
        raw=body,
    )


def alibaba_refund(body: dict) -> RefundMessage:
    """1688 `ORDER_BUYER_VIEW_ORDER_BUYER_REFUND`: `{refundId, orderId, orderEntryIds, ...}`."""
    return RefundMessage(
        upstream_order_id=_id(body.get("orderId")),
        refund_status=_text(body.get("refundStatus") or body.get("refundAction")),
        sub_order_ids=[_id(entry) for entry in body.get("orderEntryIds") or []],
        **_refund_ids(body),
        raw=body,
    )


def dj_taobao_status(body: dict) -> StatusMessage:
    """Dajisaas Taobao message type 3: the message's `data`."""
    return StatusMessage(
        reference=_text(body.get("outer_purchase_id")),
        upstream_order_id=_id(body.get("purchase_id")),
        status=_text(body.get("status")),
        updated_ms=_ms(body.get("updatedAt")),
        lines=[_line(sku) for sku in _objects(body.get("sku_list"), "sku_list")],
        raw=body,
    )


def dj_taobao_price(body: dict) -> PriceMessage:
    """Dajisaas Taobao message type 8: the message's `data`."""
    dto = _object(body.get("purchaseOrderPriceDTO"), "purchaseOrderPriceDTO")
    return PriceMessage(
        reference=_text(body.get("salesOrderId")),
        upstream_order_id=_id(body.get("purchaseOrderId")),
        updated_ms=_ms(body.get("updatedAt")),
        total_fen=whole_number(dto.get("purchaseTotalFee"), "purchaseTotalFee"),
        raw=body,
    )


ALIBABA: dict[str, Reader] = {
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

# {provider: {message type: reader}}; a type not here is stored and shown, never applied.
READERS: dict[str, dict[str, Reader]] = {
    "pandapon": {
        "TAOBAO_ORDER_STATUS_MODIFY": taobao_status,
        "TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY": taobao_price,
        "TAOBAO_ORDER_REFUND": taobao_refund,
        **ALIBABA,
    },
    "dajisaas": {"3": dj_taobao_status, "8": dj_taobao_price, **ALIBABA},
}

_REFUND_READERS: dict[str, Callable[[dict], RefundMessage]] = {
    "taobao": taobao_refund,
    "1688": alibaba_refund,
}


def read_refund_message(body: dict, *, platform: str) -> RefundMessage:
    """A refund callback's body as stored, read again (a task carries the body, not the
    message): Taobao's shape for "taobao", 1688's otherwise. Raises Unreadable."""
    return _REFUND_READERS.get(platform, alibaba_refund)(body)
