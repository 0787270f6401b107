"""What the order services share: domain errors, row locks, permissions, settings, addresses
and the upstream clients of an order."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from purchasing.models import Platform, PurchaseOrder
from upstream import accounts
from upstream.types.orders import DeliveryAddress
from upstream.types.orders import Order as UpstreamOrder

logger = logging.getLogger("purchasing.orders")

PANDAPON, DAJISAAS = "pandapon", "dajisaas"


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


def provider_for(platform: str) -> str:
    """Taobao buys through PandaPon; 1688 through UPSTREAM_PROVIDER_1688."""
    if platform == Platform.ALIBABA and settings.UPSTREAM_PROVIDER_1688 == DAJISAAS:
        return DAJISAAS
    return PANDAPON


def pandapon():
    return accounts.pandapon()


def dajisaas():
    return accounts.dajisaas()


# -- addresses ---------------------------------------------------------------------------------
# Our address snapshot is one neutral shape (upstream.types.orders.DeliveryAddress); the
# upstream types build each platform's shape from it.
def taobao_receiver(address: dict[str, Any]) -> dict[str, Any]:
    """The order's address as Taobao's `receiver` / `orderAddress`."""
    return DeliveryAddress.of(address).as_taobao_receiver()


def alibaba_address(address: dict[str, Any]) -> dict[str, Any]:
    """The order's address as 1688's `addressParam`."""
    return DeliveryAddress.of(address).as_alibaba_address()


# -- reading the order upstream ----------------------------------------------------------------
def find_by_reference(order: PurchaseOrder) -> list[UpstreamOrder]:
    """Every upstream order carrying our reference (the look-up before any new create)."""
    if order.provider == DAJISAAS:
        page = dajisaas().orders.list(outer_ref=order.reference, page_size=50)
    elif order.platform == Platform.TAOBAO:
        page = pandapon().taobao_orders.page(outer_ref=order.reference, page_size=50)
    else:
        page = pandapon().alibaba_orders.page(outer_ref=order.reference, page_size=50)
    # A list filter the upstream ignores would hand us other orders: keep only ours.
    return [o for o in page.orders if not o.outer_ref or o.outer_ref == order.reference]


def read_upstream(order: PurchaseOrder) -> list[UpstreamOrder]:
    """The order's upstream orders, read by id (detail), in upstream_order_ids order."""
    found = []
    for order_id in order.upstream_ids:
        if order.provider == DAJISAAS:
            found.append(dajisaas().orders.get(order_id=order_id))
        elif order.platform == Platform.TAOBAO:
            found.append(pandapon().taobao_orders.get(order_id=order_id))
        else:
            found.append(pandapon().alibaba_orders.detail(order_id=order_id))
    return found
