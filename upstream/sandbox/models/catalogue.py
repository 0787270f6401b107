"""The sandbox catalogue: shops, products and SKUs of both platforms."""

from __future__ import annotations

from django.db import models

__all__ = ["Platform", "Product", "Shop", "Sku"]


class Platform(models.TextChoices):
    TAOBAO = "taobao", "Taobao"
    ALIBABA = "1688", "1688"


class Shop(models.Model):
    """A Taobao shop or a 1688 seller (`shop_id` is the shopId or sellerOpenId)."""

    platform = models.CharField(max_length=8, choices=Platform.choices)
    shop_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    province = models.CharField(max_length=50, blank=True)
    city = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """A Taobao item or a 1688 offer. Prices are fen; 1688 has quantity tiers and a minimum."""

    platform = models.CharField(max_length=8, choices=Platform.choices)
    item_id = models.CharField(max_length=32)  # Taobao itemId or 1688 offerId
    mp_id = models.CharField(max_length=32, blank=True)  # Taobao mpId, needed to add to cart
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    title = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    category_id = models.CharField(max_length=32, blank=True)
    category_name = models.CharField(max_length=100, blank=True)
    category_name_en = models.CharField(max_length=100, blank=True)
    price_fen = models.PositiveIntegerField()  # lowest SKU price
    # [{"startQuantity": 1, "priceFen": 1200}, ...], ascending; empty for Taobao
    price_tiers = models.JSONField(default=list, blank=True)
    min_order_quantity = models.PositiveIntegerField(default=1)
    monthly_sales = models.PositiveIntegerField(default=0)
    weight_g = models.PositiveIntegerField(default=500)
    domestic_post_fee_fen = models.PositiveIntegerField(default=0)
    picture_count = models.PositiveSmallIntegerField(default=3)
    # What the pictures are drawn from (upstream/sandbox/images.py); a reseller's copy of a
    # supplier's design ends with "~" and is a near-duplicate of it. Empty: the item id.
    picture_key = models.CharField(max_length=64, blank=True)
    image_signature = models.CharField(max_length=64, blank=True)  # for picture search
    search_text = models.TextField(blank=True)  # lower-cased title, English title, category
    available = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "item_id"], name="sandbox_product_item")
        ]
        indexes = [models.Index(fields=["platform", "category_id"])]

    def __str__(self) -> str:
        return f"{self.platform} {self.item_id}"


class Sku(models.Model):
    """One orderable combination of properties (colour, size) with its price and stock."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    sku_id = models.CharField(max_length=32)
    spec_id = models.CharField(max_length=64, blank=True)  # 1688 specId
    mp_sku_id = models.CharField(max_length=32, blank=True)  # Taobao mpSkuId
    # [{"propId", "propName", "propNameEn", "valueId", "valueName", "valueNameEn"}]
    properties = models.JSONField(default=list)
    price_fen = models.PositiveIntegerField()
    stock = models.PositiveIntegerField(default=0)
    available = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "sku_id"], name="sandbox_sku_per_product")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.sku_id}"
