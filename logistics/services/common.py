"""What the logistics services share: errors, leases, permissions. The warehouse's upstream
services are `purchasing.routes.warehouse` (the warehouse's, not a platform route's)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from purchasing.phrases import gettext as _
from purchasing.services.orders.common import Busy  # noqa: F401  (the tasks retry on it)

logger = logging.getLogger("logistics")


class LogisticsError(Exception):
    """This cannot be done now; the message says why, for a person."""


def require(actor: Any, permission: str = "manage_logistics") -> None:
    if actor is None or not actor.has_perm(f"purchasing.{permission}"):
        raise LogisticsError(
            _("you need the %(permission)s permission")
            % {"permission": permission.replace("_", " ")}
        )


def lease() -> timedelta:
    """How long a booking call may be in flight before another run may look it up."""
    return timedelta(seconds=settings.CAIGOU_UPSTREAM_CALL_LEASE_SECONDS)


def now():
    return timezone.now()


def wait_days() -> int:
    return settings.CAIGOU_WAREHOUSE_WAIT_DAYS
