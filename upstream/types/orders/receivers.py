"""Where an upstream order says it ships: read from the order as it came, for the look-up that
judges whether an order without our reference could be ours (purchasing/services/orders/lookup.py).

Taobao orders carry a `receiver` (our contract, not on the documented pages); 1688 TradeInfo
carries `baseInfo.receiverInfo` and `nativeLogistics`. An order that names no address reads as
None: unknown, never "the same".
"""

from __future__ import annotations

from typing import Any

from upstream.types.orders.addresses import DeliveryAddress
from upstream.types.orders.common import TAOBAO, _str
from upstream.types.orders.order import Order
from upstream.wire import loads_maybe


def delivered_to(order: Order) -> DeliveryAddress | None:
    """The address the upstream order ships to, or None when the answer does not say."""
    raw = order.raw if isinstance(order.raw, dict) else {}
    if order.platform == TAOBAO:
        return _taobao(loads_maybe(raw.get("receiver")))
    return _trade_info(raw)


def _taobao(receiver: Any) -> DeliveryAddress | None:
    if not isinstance(receiver, dict) or not receiver:
        return None
    return DeliveryAddress(
        name=_str(receiver.get("name")),
        mobile=_str(receiver.get("mobile_phone") or receiver.get("mobilePhone")),
        phone=_str(receiver.get("phone")),
        zip=_str(receiver.get("zip")),
        state=_str(receiver.get("state")),
        city=_str(receiver.get("city")),
        district=_str(receiver.get("district")),
        address=_str(receiver.get("address")),
    )


def _trade_info(raw: dict[str, Any]) -> DeliveryAddress | None:
    info = (raw.get("baseInfo") or {}).get("receiverInfo") or {}
    native = raw.get("nativeLogistics") or {}
    if not info and not native:
        return None
    return DeliveryAddress(
        name=_str(info.get("toFullName") or native.get("contactPerson")),
        mobile=_str(info.get("toMobile") or native.get("mobile")),
        phone=_str(info.get("toPhone")),
        zip=_str(info.get("toPost") or native.get("zip")),
        state=_str(native.get("province")),
        city=_str(native.get("city")),
        district=_str(native.get("area")),
        # toArea is the whole address in one line; the street alone when that is all we have.
        address=_str(info.get("toArea") or native.get("address")),
        district_code=_str(info.get("toDivisionCode")),
    )
