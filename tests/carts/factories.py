"""The live sandbox for cart tests, an orderable sandbox SKU, and the product cache the item
page would have written for it."""

from __future__ import annotations

from django.utils import timezone

from purchasing import models as cache
from upstream import accounts
from upstream.sandbox import models as sandbox
from upstream.sandbox.catalogue import seed_catalogue


def point_at_sandbox(live_server, settings):
    """Point the clients at live_server's sandbox and seed 60 products (a fixture's body)."""
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    seed_catalogue(products=60)
    yield live_server.url
    # Kept-alive connections would hold live-server threads (and their connections) open.
    accounts.pandapon().transport.session.close()


def pick(platform: str, *, stock: int = 20, minimum: int | None = None, exclude=()):
    """An orderable sandbox SKU with at least `stock` units (optionally of an offer whose
    minimum order is above `minimum`), not of a product in `exclude`."""
    skus = (
        sandbox.Sku.objects.select_related("product__shop")
        .filter(product__platform=platform, product__available=True, available=True)
        .filter(stock__gte=stock)
        .exclude(product__item_id__in=exclude)
        .order_by("product__item_id", "pk")
    )
    if minimum is not None:
        skus = skus.filter(product__min_order_quantity__gt=minimum)
    sku = skus.first()
    assert sku is not None, f"no orderable {platform} SKU in the seeded catalogue"
    return sku


def cache_product(product: sandbox.Product) -> cache.Product:
    """What the item page caches for a sandbox product: a Product and its Skus."""
    row, _ = cache.Product.objects.update_or_create(
        platform=product.platform,
        item_id=product.item_id,
        defaults={
            "title": product.title,
            "title_en": product.title_en,
            "shop_id": product.shop.shop_id,
            "shop_name": product.shop.name,
            "price_fen": product.price_fen,
            "min_order_quantity": product.min_order_quantity,
            "mp_id": product.mp_id,
            "fetched_at": timezone.now(),
        },
    )
    row.skus.all().delete()
    cache.Sku.objects.bulk_create(
        cache.Sku(
            product=row,
            sku_id=sku.sku_id,
            spec_id=sku.spec_id,
            mp_sku_id=sku.mp_sku_id,
            properties=[
                {"name": p["propName"], "value": p["valueName"], "value_en": p.get("valueNameEn")}
                for p in sku.properties
            ],
            price_fen=sku.price_fen,
            stock=sku.stock,
            available=sku.available,
        )
        for sku in product.skus.all()
    )
    return row


def upstream_lines(platform: str | None = None):
    lines = sandbox.CartItem.objects.all()
    return lines.filter(platform=platform) if platform else lines
