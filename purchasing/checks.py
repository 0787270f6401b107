"""Start-up refuses to send real orders to the demo warehouse: with the sandbox off, the
warehouse address (purchasing/warehouse.py) must be configured and must not be the demo's."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from purchasing import warehouse

HINT = (
    "Set CAIGOU_WAREHOUSE_ADDRESS to your warehouse (a JSON object, see README, Going live), or "
    "mark your warehouse as the default in Logistics → Address book."
)


@checks.register("caigou")
def warehouse_address(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.UPSTREAM_SANDBOX:
        return []
    configured = settings.CAIGOU_WAREHOUSE_ADDRESS
    if configured:
        if warehouse.is_demo(configured):
            return [
                checks.Error(
                    "CAIGOU_WAREHOUSE_ADDRESS is the demo warehouse, and the sandbox is off.",
                    hint=HINT,
                    id="purchasing.E001",
                )
            ]
        return []
    try:
        book = warehouse.from_book()
    except DatabaseError:
        # Before the first migrate there is no address book to read; orders are refused
        # until a warehouse is set (common.warehouse_address), so a warning is enough here.
        return [
            checks.Warning(
                "CAIGOU_WAREHOUSE_ADDRESS is not set and the address book cannot be read yet.",
                hint=HINT,
                id="purchasing.W001",
            )
        ]
    if book is None:
        return [
            checks.Error(
                "CAIGOU_WAREHOUSE_ADDRESS is not set and the address book has no default "
                "warehouse, and the sandbox is off.",
                hint=HINT,
                id="purchasing.E002",
            )
        ]
    if warehouse.is_demo(book):
        return [
            checks.Error(
                "The address book's default warehouse is the demo warehouse, and the sandbox "
                "is off.",
                hint=HINT,
                id="purchasing.E003",
            )
        ]
    return []
