"""Overseas freight estimates for the logistics pages and parcels: the one shared estimate of
purchasing.services.freight (also behind landed costs and order previews), so every page
shows the same figure for the same goods and destination."""

from __future__ import annotations

from typing import Any

from purchasing.models import Product
from purchasing.services.freight import Estimate, freight_estimate, freight_items, receiver_of
from purchasing.services.landed_cost import unit_price_fen

__all__ = ["Estimate", "freight_estimate", "freight_items", "item_to_estimate", "receiver_of"]


def item_to_estimate(*, item_id: str, sku_id: str = "", quantity: int = 1) -> dict[str, Any]:
    """One item/SKU and quantity, priced as the item page prices it when we hold the product
    (the 1688 tier for the quantity, else the SKU's price), so both pages share one estimate."""
    item: dict[str, Any] = {
        "item_id": item_id.strip(),
        "sku_id": sku_id.strip(),
        "quantity": quantity,
    }
    product = Product.objects.filter(item_id=item["item_id"]).prefetch_related("skus").first()
    if product is not None:
        sku = next((s for s in product.skus.all() if s.sku_id == item["sku_id"]), None)
        item["price_fen"] = unit_price_fen(product, sku, quantity)
    return item
