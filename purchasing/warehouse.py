"""Where new orders are delivered: the agent's warehouse in China, from one source.

In order: CAIGOU_WAREHOUSE_ADDRESS when it is set (a JSON object in the neutral shape of
upstream.types.orders.DeliveryAddress), else the address book's default warehouse (logistics
registers it here, being above purchasing), else, only while the sandbox is on, the demo
warehouse. With the sandbox off there is no fallback: an order with nowhere to go is refused
rather than shipped to the demo warehouse, and start-up says so (purchasing/checks.py).

Nothing here touches the database or the models at import: settings parse the variable with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings

ADDRESS_KEYS = (
    "name",
    "mobile",
    "phone",
    "zip",
    "country",
    "state",
    "city",
    "district",
    "address",
    "district_code",
)
# Without these a seller cannot deliver: the rest may be empty.
REQUIRED_KEYS = ("name", "mobile", "state", "city", "address")

# The demo warehouse `make run` and the tests ship to; start-up refuses it with the sandbox off.
DEMO_WAREHOUSE_ADDRESS: dict[str, str] = {
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

SETTING, BOOK, DEMO = "setting", "book", "demo"
SOURCE_KEY = "source"  # kept on the order's address snapshot, shown on its preview

BookSource = Callable[[], dict[str, str] | None]
_book_sources: list[BookSource] = []


class WarehouseAddressError(ValueError):
    """CAIGOU_WAREHOUSE_ADDRESS is not an address; the message names the variable."""


def parse_setting(text: str) -> dict[str, str] | None:
    """CAIGOU_WAREHOUSE_ADDRESS read and checked; None when it is not set."""
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise WarehouseAddressError("CAIGOU_WAREHOUSE_ADDRESS is not valid JSON.") from None
    if not isinstance(value, dict):
        raise WarehouseAddressError("CAIGOU_WAREHOUSE_ADDRESS must be a JSON object.")
    unknown = sorted(set(value) - set(ADDRESS_KEYS))
    missing = [key for key in REQUIRED_KEYS if not str(value.get(key) or "").strip()]
    if unknown or missing:
        raise WarehouseAddressError(
            "CAIGOU_WAREHOUSE_ADDRESS must be an object of "
            f"{', '.join(ADDRESS_KEYS)} with {', '.join(REQUIRED_KEYS)} filled"
            f"{'; unknown: ' + ', '.join(unknown) if unknown else ''}"
            f"{'; empty: ' + ', '.join(missing) if missing else ''}."
        )
    if any(not isinstance(item, str | int) or isinstance(item, bool) for item in value.values()):
        raise WarehouseAddressError("CAIGOU_WAREHOUSE_ADDRESS values must be text.")
    address = {key: str(value.get(key, "")).strip() for key in ADDRESS_KEYS}
    address["country"] = address["country"] or DEMO_WAREHOUSE_ADDRESS["country"]
    return address


def register_book_source(source: BookSource) -> None:
    """Called by the app that keeps the address book: its default warehouse, or None."""
    if source not in _book_sources:
        _book_sources.append(source)


def from_book() -> dict[str, str] | None:
    for source in _book_sources:
        found = source()
        if found:
            return found
    return None


def current() -> tuple[dict[str, str], str] | None:
    """The warehouse address new orders use and its source (SETTING, BOOK or DEMO); None when
    there is none, which only happens with the sandbox off."""
    configured = settings.CAIGOU_WAREHOUSE_ADDRESS
    if configured:
        return dict(configured), SETTING
    book = from_book()
    if book:
        return book, BOOK
    if settings.UPSTREAM_SANDBOX:
        return dict(DEMO_WAREHOUSE_ADDRESS), DEMO
    return None


def is_demo(address: dict[str, Any]) -> bool:
    """The demo warehouse, whatever its source: the same person, phone and street."""
    return all(
        str(address.get(key, "")).strip() == DEMO_WAREHOUSE_ADDRESS[key]
        for key in ("name", "mobile", "address")
    )
