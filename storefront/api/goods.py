"""Goods and freight as the API answers them: plain dicts in the shapes of
serializers/goods.py, built from the purchasing and logistics services."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.urls import reverse

from logistics.services.freight import Estimate, freight_estimate, item_to_estimate
from purchasing.models import Product, Sku
from purchasing.services.goods import Card, Results
from purchasing.services.landed_cost import LandedCost


def estimate_freight(*, items: list[dict[str, Any]], destination: dict[str, str]) -> Estimate:
    """Every overseas service for `items` ({platform, item_id, sku_id, quantity}) to
    `destination` ({country, postal_code, city, province}). The one place the API asks for
    freight, so the source of estimates can change here alone."""
    receiver = {
        "country": destination["country"].upper(),
        "city": destination.get("city", ""),
        "postcode": destination.get("postal_code", ""),
        "province": destination.get("province", ""),
    }
    goods = [
        item_to_estimate(item_id=i["item_id"], sku_id=i.get("sku_id", ""), quantity=i["quantity"])
        for i in items
    ]
    return freight_estimate(items=goods, destination=receiver)


def estimate_dict(estimate: Estimate) -> dict[str, Any]:
    return {
        "country": estimate.country,
        "services": [
            {
                "service_id": q.service_id,
                "name": q.name,
                "company": q.company_name,
                "category": q.category,
                "price_fen": q.price_fen,
                "chargeable_weight_g": q.chargeable_weight_g,
                "weight_basis": q.weight_basis,
                "days_min": q.days_min,
                "days_max": q.days_max,
                "is_cheapest": q.is_cheapest,
                "is_fastest": q.is_fastest,
            }
            for q in estimate.quotes
        ],
    }


def card_dict(card: Card) -> dict[str, Any]:
    return {
        "platform": card.platform,
        "item_id": card.item_id,
        "title": card.title,
        "title_en": card.title_en,
        "picture": card.picture,
        "shop_name": card.shop_name,
        "price_fen": card.price_fen,
        "price_tiers": list(card.price_tiers),
        "monthly_sales": card.monthly_sales,
        "min_order_quantity": card.min_order_quantity,
        "links": {"self": reverse("api:goods-detail", args=[card.platform, card.item_id])},
    }


def search_dict(results: Results, *, platform: str, q: str) -> dict[str, Any]:
    return {
        "platform": platform,
        "q": q,
        "page": results.page,
        "total_pages": results.total_pages,
        "total": results.total,
        "note": results.note,
        "results": [card_dict(card) for card in results.cards],
    }


def sku_dict(sku: Sku) -> dict[str, Any]:
    return {
        "sku_id": sku.sku_id,
        "properties": [
            {
                "name": str(p.get("name") or ""),
                "name_en": str(p.get("name_en") or ""),
                "value": str(p.get("value") or ""),
                "value_en": str(p.get("value_en") or ""),
            }
            for p in sku.properties or []
        ],
        "price_fen": sku.price_fen,
        "stock": sku.stock,
        # Orderable now: a SKU with no stock reads unavailable, whichever provider said so.
        "available": sku.orderable,
    }


def landed_dict(cost: LandedCost) -> dict[str, Any]:
    freight = cost.freight
    return {
        "country": cost.country,
        "sku_id": cost.sku_id,
        "quantity": cost.quantity,
        "unit_price_fen": cost.unit_price_fen,
        "items_fen": cost.items_fen,
        "domestic_post_fee_fen": cost.domestic_post_fee_fen,
        "freight": asdict(freight) if freight is not None else None,
        "freight_error": cost.freight_error,
        "total_fen": cost.total_fen,
        "complete": cost.complete,
    }


def product_dict(product: Product, cost: LandedCost) -> dict[str, Any]:
    return {
        "platform": product.platform,
        "item_id": product.item_id,
        "title": product.title,
        "title_en": product.title_en,
        "shop_name": product.shop_name,
        "pictures": [str(p) for p in product.pictures or []],
        "price_fen": product.price_fen,
        "price_tiers": list(product.price_tiers or []),
        "min_order_quantity": product.min_order_quantity,
        "weight_g": product.weight_g,
        "skus": [sku_dict(sku) for sku in product.skus.all()],
        "landed_cost": landed_dict(cost),
    }
