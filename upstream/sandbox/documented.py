"""What the upstream's pages document, as tables: the `documented` profile's request and answer
boundary (profile.py). Every entry names its source in shared/upstream-api.md or a seed.

- IGNORED_REQUEST: request fields the pages never mention, per operation. A call whose
  references are ignored has them dropped before its handler runs: not required, not stored,
  not echoed, not used to filter a list.
- OPTIONAL_REQUEST: documented fields our contract requires and the pages mark optional.
- ANSWER_FIELDS: operations whose answer the pages show; the answer keeps those fields only,
  at the top of `data` and in each element of the named lists.
- DROPPED_EVERYWHERE / DROPPED: keys taken out of every answer (our references, which no page
  promises to echo) or of one operation's answer (PandaPon's `payStatus`, never documented on
  its pages), at any depth. Answers of paths the pages do not give keep our assumed shape
  otherwise: there is nothing documented to cut them to.
- PUSH_DROPPED: the same for callback bodies.
"""

from __future__ import annotations

from typing import Any

# -- requests --------------------------------------------------------------------------------
IGNORED_REQUEST: dict[str, frozenset[str]] = {
    # [S0] and 1.5.6: the PandaPon 1688 create bodies have no reference field.
    "alibaba_order_create": frozenset({"outOrderId"}),
    "alibaba_order_batch_create": frozenset({"outOrderId"}),
    # [S1] and 1.5.3, 1.5.7: cart creates take ids, address, flow, userId; no reference.
    "taobao_cart_create_order": frozenset({"clientRequestId"}),
    "alibaba_cart_create_order": frozenset({"clientRequestId"}),
    # 1.5.4, 1.5.8: refund bodies have no reference of ours.
    "taobao_refund_submit": frozenset({"outerRefundId"}),
    "alibaba_refund_create": frozenset({"outerRefundId"}),
    # 1.5.11: the booking body is renderId, receiverAddress, lineItems, tmallOrderInfo, remark.
    "logistics_order_booking": frozenset({"clientRequestId"}),
    # List filters no page names (6.3: the bodies are ASSUMED).
    "taobao_order_page": frozenset({"sellerOrderNumber"}),
    "alibaba_order_page": frozenset({"outOrderId"}),
    "dj_order_list": frozenset({"thirdOrderId", "outOrderId"}),
    "taobao_refund_page": frozenset({"outerRefundId"}),
    "logistics_booking_query": frozenset({"clientRequestId"}),
}

# Documented fields that our contract requires and the pages mark optional.
OPTIONAL_REQUEST: dict[str, frozenset[str]] = {
    # [S2]: only orderLineList and receiver are 必需 (required).
    "taobao_order_create": frozenset({"sellerOrderNumber"}),
}

# -- answers ---------------------------------------------------------------------------------
_TAOBAO_CREATE = frozenset({"id", "orderNo", "createTime", "subOrderVOS"})
# createCrossOrder's result (2.4 [S3], 3.2): the only documented 1688 create answer.
_CROSS_ORDER = frozenset(
    {
        "totalSuccessAmount",
        "orderId",
        "success",
        "code",
        "message",
        "accountPeriod",
        "failedOfferList",
        "postFee",
        "orderList",
    }
)

ANSWER_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    # [S2]: `/open/order` answers {id, orderNo, createTime, subOrderVOS[15 fields]}.
    "taobao_order_create": {
        "": _TAOBAO_CREATE,
        "subOrderVOS": frozenset(
            {
                "subOrderId",
                "orderNo",
                "quantity",
                "title",
                "purchaseCurrency",
                "purchaseAmount",
                "itemId",
                "domesticPostFee",
                "closeReason",
                "skuId",
                "status",
                "taobaoPurchaseId",
                "taobaoSubPurchaseId",
                "errorCode",
                "errorMessage",
            }
        ),
    },
    # [S1]: CreateOrderV2VO; sub-orders name the item by `itemMapId`, never `itemId`.
    "taobao_cart_create_order": {
        "": _TAOBAO_CREATE,
        "subOrderVOS": frozenset(
            {
                "subOrderId",
                "orderNo",
                "quantity",
                "title",
                "purchaseCurrency",
                "purchaseAmount",
                "itemMapId",
                "domesticPostFee",
                "closeReason",
                "skuId",
                "status",
                "goodsStatus",
                "refundType",
                "taobaoPurchaseId",
                "taobaoSubPurchaseId",
                "subOrderResult",
                "errorCode",
                "errorMessage",
                "refundStatus",
            }
        ),
    },
    "alibaba_order_create": {"": _CROSS_ORDER},
    "alibaba_order_batch_create": {"": _CROSS_ORDER},
    "alibaba_cart_create_order": {"": _CROSS_ORDER},
    "dj_create_cross_order": {"": _CROSS_ORDER},
    # 1.5.6: `{orderId, protocolPaySuccess, payUrl, cantPayOrderList[]}`.
    "alibaba_order_pay_url": {
        "": frozenset({"orderId", "protocolPaySuccess", "payUrl", "cantPayOrderList"})
    },
    # 1.5.8: `{refundId}`.
    "alibaba_refund_create": {"": frozenset({"refundId"})},
    # 1.5.2: `{purchaseOrderOuterId, pnmLogisticsDetails[]}`.
    "taobao_order_logistics": {"": frozenset({"purchaseOrderOuterId", "pnmLogisticsDetails"})},
}

# No page promises to echo a reference of ours.
DROPPED_EVERYWHERE = frozenset(
    {"outOrderId", "clientRequestId", "outerRefundId", "sellerOrderNumber", "thirdOrderId"}
)
# PandaPon's Taobao order pages document no payment fields (1.5.2, 1.6); payStatus/payTime
# come from the Xportcn clone's messages only.
_TAOBAO_ORDER_READ = frozenset({"payStatus", "payTime"})
DROPPED: dict[str, frozenset[str]] = {
    "taobao_order_get": _TAOBAO_ORDER_READ,
    "taobao_order_page": _TAOBAO_ORDER_READ,
}

# Callback bodies: the same references; PandaPon Taobao messages document no payment fields.
PUSH_DROPPED = DROPPED_EVERYWHERE | {"salesOrderId", "outer_purchase_id"}
PUSH_DROPPED_TAOBAO = PUSH_DROPPED | _TAOBAO_ORDER_READ


def request_ignored(operation: str) -> frozenset[str]:
    """The request fields of `operation` that the pages do not document."""
    return IGNORED_REQUEST.get(operation, frozenset())


def not_required(operation: str) -> frozenset[str]:
    """The fields of `operation` the documented upstream does not require."""
    return request_ignored(operation) | OPTIONAL_REQUEST.get(operation, frozenset())


def answer(operation: str, data: Any) -> Any:
    """`data` as the documented upstream would answer `operation`."""
    fields = ANSWER_FIELDS.get(operation)
    if fields and isinstance(data, dict):
        data = {key: value for key, value in data.items() if key in fields[""]}
        for name, kept in fields.items():
            if name and isinstance(data.get(name), list):
                data[name] = [_only(row, kept) for row in data[name]]
    return _without(data, DROPPED_EVERYWHERE | DROPPED.get(operation, frozenset()))


def push_body(body: dict[str, Any], *, platform: str) -> dict[str, Any]:
    """A callback body without the fields the message pages do not document."""
    return _without(body, PUSH_DROPPED_TAOBAO if platform == "taobao" else PUSH_DROPPED)


def _only(row: Any, kept: frozenset[str]) -> Any:
    if not isinstance(row, dict):
        return row
    return {key: value for key, value in row.items() if key in kept}


def _without(data: Any, dropped: frozenset[str]) -> Any:
    if isinstance(data, dict):
        return {key: _without(value, dropped) for key, value in data.items() if key not in dropped}
    if isinstance(data, list):
        return [_without(item, dropped) for item in data]
    return data
