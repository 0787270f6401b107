"""Our cache of upstream products and their SKUs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    TAOBAO = "taobao", _("Taobao / Tmall")
    ALIBABA = "1688", "1688"


class Product(models.Model):
    """Our cached copy of an upstream product, refreshed when older than the cache TTL.

    Searches are not stored; a product is cached when someone opens it or adds it to a cart.
    """

    platform = models.CharField(max_length=8, choices=Platform.choices)
    item_id = models.CharField(max_length=32)  # Taobao itemId or 1688 offerId
    title = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    shop_id = models.CharField(max_length=64, blank=True)  # Taobao shopId or 1688 sellerOpenId
    shop_name = models.CharField(max_length=200, blank=True)
    category_id = models.CharField(max_length=32, blank=True)
    pictures = models.JSONField(default=list, blank=True)
    price_fen = models.PositiveIntegerField(default=0)  # lowest price
    price_tiers = models.JSONField(default=list, blank=True)  # [{"start_quantity", "price_fen"}]
    min_order_quantity = models.PositiveIntegerField(default=1)
    monthly_sales = models.PositiveIntegerField(null=True, blank=True)
    weight_g = models.PositiveIntegerField(null=True, blank=True)
    domestic_post_fee_fen = models.PositiveIntegerField(null=True, blank=True)
    mp_id = models.CharField(max_length=32, blank=True)  # Taobao distribution id for carts
    raw = models.JSONField(default=dict, blank=True)
    fetched_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "item_id"], name="product_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.item_id} {self.title[:40]}"


class Sku(models.Model):
    """One orderable variant of a cached product (colour, size), with price and stock."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    sku_id = models.CharField(max_length=32)
    spec_id = models.CharField(max_length=64, blank=True)  # 1688 specId
    mp_sku_id = models.CharField(max_length=32, blank=True)  # Taobao mpSkuId
    properties = models.JSONField(default=list, blank=True)  # [{"name", "value", "value_en"}]
    price_fen = models.PositiveIntegerField(default=0)
    stock = models.PositiveIntegerField(default=0)
    available = models.BooleanField(default=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "sku_id"], name="sku_per_product")
        ]

    def __str__(self) -> str:
        values = " / ".join(str(prop.get("value", "")) for prop in self.properties)
        return f"{self.sku_id} {values}".strip()

    @property
    def orderable(self) -> bool:
        """Offered and in stock: what a buyer may order now. Both providers report a sold-out
        combination as offered with stock 0, so `available` alone does not say it."""
        return self.available and self.stock > 0
