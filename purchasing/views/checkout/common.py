"""What the checkout pages share: the order's link, errors as text."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from purchasing.models import PurchaseOrder
from purchasing.statuses import OrderStatus
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

MOVING = (OrderStatus.SUBMITTING, OrderStatus.PAYING)  # the page polls while the order is in these


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
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "。")) else ".")
