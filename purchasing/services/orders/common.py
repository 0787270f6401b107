"""What the order services share: domain errors, row locks, the actor's permissions, settings
and addresses. Which upstream calls serve an order is its route's business (purchasing.routes)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from purchasing import warehouse
from purchasing.actors import is_policy
from purchasing.models import PurchaseOrder
from purchasing.phrases import gettext as _
from upstream import logcontext
from upstream.types.orders import DeliveryAddress

logger = logging.getLogger("purchasing.orders")


class OrderError(Exception):
    """The order cannot do this now; the message says why, for a person."""


class NotAllowed(OrderError):
    """The actor may not do this to this order."""


class Busy(Exception):
    """A create or pay call of this order may still be in flight: try again later, and not
    before `until` where it is given (a lease that must run out before anything is called again:
    until then only the late call landing could change things, and its callback, a person's
    refresh or the read at the lease's end shows that)."""

    def __init__(self, message: str, *, until: datetime | None = None) -> None:
        super().__init__(message)
        self.until = until


def unless_taken_meanwhile(
    reference: str, *, seen: int, attempts: int, until: datetime | None
) -> None:
    """A run that looked a create, refund or booking up (outside the row lock) acts on what it
    found only if no other run took a new attempt meanwhile (`seen`, the attempts then, against
    `attempts` now): that run's call may be in flight, and its lease must stand."""
    if attempts != seen:
        raise Busy(f"{reference}: another run went on while this one looked", until=until)


EARLIEST = datetime.min.replace(tzinfo=UTC)


def sooner(first: Exception | None, second: Exception | None) -> Exception | None:
    """Of two reasons for a task to run again, the one that asks it back sooner (a reason
    without `until` asks for the next backoff)."""
    if first is None or second is None:
        return first or second
    return min((first, second), key=lambda exc: getattr(exc, "until", None) or EARLIEST)


# The demo warehouse, under the name the tests and the demo data know it by.
DEFAULT_WAREHOUSE_ADDRESS = warehouse.DEMO_WAREHOUSE_ADDRESS


class NoWarehouse(OrderError):
    """No warehouse address is configured, and the sandbox is off: nowhere to deliver."""


def warehouse_address() -> dict[str, str]:
    """Where new orders are delivered (purchasing/warehouse.py), with its source kept beside the
    address so that the order's preview shows where it came from."""
    found = warehouse.current()
    if found is None:
        raise NoWarehouse(
            _(
                "No warehouse address is configured: set CAIGOU_WAREHOUSE_ADDRESS or mark a "
                "default warehouse in Logistics → Address book."
            )
        )
    address, source = found
    return {**address, warehouse.SOURCE_KEY: source}


def locked(order_id: int) -> PurchaseOrder:
    """The order row, locked until the transaction ends (call inside transaction.atomic).
    Its reference goes on every log line of the rest of this request or task."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    logcontext.bind(order_ref=order.reference)
    return order


def require(actor: Any, permission: str) -> None:
    """A person must hold the permission. A policy holds none: each verb checks the policy's
    own conditions instead (purchasing.actors)."""
    if is_policy(actor):
        return
    if actor is None or not actor.has_perm(f"purchasing.{permission}"):
        raise NotAllowed(
            _("you need the %(permission)s permission")
            % {"permission": permission.replace("_", " ")}
        )


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
