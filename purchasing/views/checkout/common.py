"""What the checkout pages share: the delivery address, the order's link, errors as text."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from purchasing.models import PurchaseOrder
from purchasing.statuses import OrderStatus
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

S = OrderStatus

# The delivery address of new orders: the agent's warehouse. Logistics does not keep addresses
# yet, so it comes from the CAIGOU_WAREHOUSE_ADDRESS setting (a dict in the neutral address
# shape of purchasing.services.orders.common) when a deployment defines one, else this default.
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
MOVING = (S.SUBMITTING, S.PAYING)  # the page polls while the order is in these


def warehouse_address() -> dict[str, str]:
    return dict(getattr(settings, "CAIGOU_WAREHOUSE_ADDRESS", None) or DEFAULT_WAREHOUSE_ADDRESS)


def order_page_url(order: PurchaseOrder) -> str:
    """The order page when the orders pages have one, else this order's checkout page."""
    try:
        return reverse("orders:detail", args=[order.pk])
    except NoReverseMatch:
        return reverse("checkout:preview", args=[order.pk])


def _order_link(order: PurchaseOrder) -> dict[str, Any]:
    url = order_page_url(order)
    return {"order_url": url, "has_order_page": url != reverse("checkout:preview", args=[order.pk])}


def _error_text(exc: Exception) -> str:
    if isinstance(exc, UpstreamError):
        return upstream_message(exc)
    text = str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
