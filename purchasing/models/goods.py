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

    platform = models.CharField(max_length=8, choices=Platform.choices, verbose_name=_("platform"))
    # Taobao itemId or 1688 offerId.
    item_id = models.CharField(max_length=32, verbose_name=_("item id"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    title_en = models.CharField(max_length=300, blank=True, verbose_name=_("English title"))
    # Taobao shopId or 1688 sellerOpenId.
    shop_id = models.CharField(max_length=64, blank=True, verbose_name=_("shop id"))
    shop_name = models.CharField(max_length=200, blank=True, verbose_name=_("shop name"))
    category_id = models.CharField(max_length=32, blank=True, verbose_name=_("category id"))
    pictures = models.JSONField(default=list, blank=True, verbose_name=_("pictures"))
    price_fen = models.PositiveIntegerField(default=0, verbose_name=_("lowest price (fen)"))
    # [{"start_quantity", "price_fen"}]
    price_tiers = models.JSONField(default=list, blank=True, verbose_name=_("price tiers"))
    min_order_quantity = models.PositiveIntegerField(
        default=1, verbose_name=_("minimum order quantity")
    )
    monthly_sales = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("monthly sales")
    )
    weight_g = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("weight (g)"))
    domestic_post_fee_fen = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("domestic freight (fen)")
    )
    # Taobao distribution id for carts.
    mp_id = models.CharField(max_length=32, blank=True, verbose_name=_("distribution id"))
    raw = models.JSONField(default=dict, blank=True, verbose_name=_("raw data"))
    fetched_at = models.DateTimeField(db_index=True, verbose_name=_("fetched at"))

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["platform", "item_id"], name="product_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.item_id} {self.title[:40]}"


class Sku(models.Model):
    """One orderable variant of a cached product (colour, size), with price and stock."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="skus", verbose_name=_("product")
    )
    sku_id = models.CharField(max_length=32, verbose_name=_("SKU id"))
    spec_id = models.CharField(max_length=64, blank=True, verbose_name=_("spec id"))  # 1688 specId
    # Taobao mpSkuId.
    mp_sku_id = models.CharField(max_length=32, blank=True, verbose_name=_("distribution SKU id"))
    # [{"name", "value", "value_en"}]
    properties = models.JSONField(default=list, blank=True, verbose_name=_("properties"))
    price_fen = models.PositiveIntegerField(default=0, verbose_name=_("price (fen)"))
    stock = models.PositiveIntegerField(default=0, verbose_name=_("stock"))
    available = models.BooleanField(default=True, verbose_name=_("available"))
    raw = models.JSONField(default=dict, blank=True, verbose_name=_("raw data"))

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
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
