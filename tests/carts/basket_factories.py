"""Goods in the cache (as the item page leaves them) and baskets filled through the service."""

from __future__ import annotations

from django.utils import timezone

from purchasing.models import Product, Sku


def cached_sku(
    platform: str = "taobao",
    item_id: str = "100001",
    sku_id: str = "5001",
    *,
    stock: int = 50,
    price_fen: int = 1250,
    minimum: int = 1,
    title: str = "瑜伽垫 加厚",
) -> Sku:
    """A product and one orderable SKU in the goods cache."""
    product, _ = Product.objects.update_or_create(
        platform=platform,
        item_id=item_id,
        defaults={
            "title": title,
            "title_en": "Yoga mat, thick",
            "shop_id": "shop-1",
            "shop_name": "Hangzhou Sports",
            "pictures": ["https://img.example/mat.jpg"],
            "price_fen": price_fen,
            "min_order_quantity": minimum,
            "mp_id": "mp-1",
            "fetched_at": timezone.now(),
        },
    )
    sku, _ = Sku.objects.update_or_create(
        product=product,
        sku_id=sku_id,
        defaults={
            "spec_id": f"spec-{sku_id}",
            "properties": [{"name": "Colour", "value": "紫色", "value_en": "Purple"}],
            "price_fen": price_fen,
            "stock": stock,
            "available": True,
        },
    )
    return sku
