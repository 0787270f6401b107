"""What the order services share: domain errors, row locks, permissions, settings and
addresses. Which upstream calls serve an order is its route's business (purchasing.routes)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from purchasing.models import PurchaseOrder
from upstream.types.orders import DeliveryAddress

logger = logging.getLogger("purchasing.orders")


class OrderError(Exception):
    """The order cannot do this now; the message says why, for a person."""


class NotAllowed(OrderError):
    """The actor may not do this to this order."""


class Busy(Exception):
    """A create or pay call of this order may still be in flight: try again later."""


# The delivery address of new orders: the agent's warehouse, from the CAIGOU_WAREHOUSE_ADDRESS
# setting (a dict in the neutral shape of upstream.types.orders.DeliveryAddress)
# when a deployment defines one, else this default.
DEFAULT_WAREHOUSE_ADDRESS: dict[str, str] = {
    "name": "集货仓",
    "mobile": "15068763421",
    "phone": "",
    "zip": "510000",
    "country": "中国",
    "state": "广东省",
    "city": "广州市",
    "district": "白云区",
    "address": "太和镇集货仓 A-12",
    "district_code": "440111",
}


def warehouse_address() -> dict[str, str]:
    """Where new orders are delivered: the agent's warehouse."""
    return dict(getattr(settings, "CAIGOU_WAREHOUSE_ADDRESS", None) or DEFAULT_WAREHOUSE_ADDRESS)


def locked(order_id: int) -> PurchaseOrder:
    """The order row, locked until the transaction ends (call inside transaction.atomic)."""
    return PurchaseOrder.objects.select_for_update().get(pk=order_id)


def require(actor: Any, permission: str) -> None:
    if actor is None or not actor.has_perm(f"purchasing.{permission}"):
        raise NotAllowed(f"you need the {permission.replace('_', ' ')} permission")


def lease() -> timedelta:
    """How long a create or pay call may be in flight before another run may look it up. Far
    above the read timeout, so a second run never overtakes a call that may still land."""
    return timedelta(seconds=settings.CAIGOU_UPSTREAM_CALL_LEASE_SECONDS)


def now():
    return timezone.now()


# -- addresses ---------------------------------------------------------------------------------
# Our address snapshot is one neutral shape (upstream.types.orders.DeliveryAddress); the
# upstream types build each platform's shape from it.
def taobao_receiver(address: dict[str, Any]) -> dict[str, Any]:
    """The order's address as Taobao's `receiver` / `orderAddress`."""
    return DeliveryAddress.of(address).as_taobao_receiver()


def alibaba_address(address: dict[str, Any]) -> dict[str, Any]:
    """The order's address as 1688's `addressParam`."""
    return DeliveryAddress.of(address).as_alibaba_address()
