"""What the logistics services share: errors, the upstream client, leases, permissions."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from purchasing.services.orders.common import Busy  # noqa: F401  (the tasks retry on it)
from upstream import accounts
from upstream.pandapon.logistics import Addresses, WarehouseLogistics

logger = logging.getLogger("logistics")


class LogisticsError(Exception):
    """This cannot be done now; the message says why, for a person."""


def require(actor: Any, permission: str = "manage_logistics") -> None:
    if actor is None or not actor.has_perm(f"purchasing.{permission}"):
        raise LogisticsError(f"you need the {permission.replace('_', ' ')} permission")


def warehouse() -> WarehouseLogistics:
    return accounts.pandapon().warehouse_logistics


def address_book() -> Addresses:
    return accounts.pandapon().addresses


def lease() -> timedelta:
    """How long a booking call may be in flight before another run may look it up."""
    return timedelta(seconds=settings.CAIGOU_UPSTREAM_CALL_LEASE_SECONDS)


def now():
    return timezone.now()


def wait_days() -> int:
    return settings.CAIGOU_WAREHOUSE_WAIT_DAYS
