"""An order's lines: what was bought, of which seller, and the upstream's sub-order for it."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from purchasing.models.goods import Product, Sku
from purchasing.models.orders import PurchaseOrder

# The line's columns the order search reads: titles, the seller, the ids, the variant's words.
SEARCHED = ("title", "title_en", "seller_name", "item_id", "sku_id", "spec_id", "variant")


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("purchase order"),
    )
    # Our goods cache, when the line's item is in it (sku_id below is the upstream's id).
    cached_product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cached product"),
    )
    cached_sku = models.ForeignKey(
        Sku,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cached SKU"),
    )
    line_no = models.PositiveIntegerField(default=1, verbose_name=_("line number"))
    item_id = models.CharField(max_length=64, verbose_name=_("item id"))
    sku_id = models.CharField(max_length=32, blank=True, verbose_name=_("SKU id"))
    spec_id = models.CharField(max_length=64, blank=True, verbose_name=_("spec id"))
    mp_id = models.CharField(max_length=32, blank=True, verbose_name=_("distribution id"))
    mp_sku_id = models.CharField(max_length=32, blank=True, verbose_name=_("distribution SKU id"))
    seller_id = models.CharField(max_length=64, blank=True, verbose_name=_("seller id"))
    seller_name = models.CharField(max_length=200, blank=True, verbose_name=_("seller name"))
    cart_id = models.CharField(max_length=32, blank=True, verbose_name=_("cart id"))
    title = models.CharField(max_length=300, blank=True, verbose_name=_("title"))
    title_en = models.CharField(max_length=300, blank=True, verbose_name=_("English title"))
    properties = models.JSONField(default=list, blank=True, verbose_name=_("properties"))
    # The properties in words (variants.py)
    variant = models.CharField(max_length=300, blank=True, verbose_name=_("variant"))
    picture = models.URLField(max_length=500, blank=True, verbose_name=_("picture"))
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    unit_price_fen = models.BigIntegerField(default=0, verbose_name=_("unit price (fen)"))
    amount_fen = models.BigIntegerField(default=0, verbose_name=_("amount (fen)"))
    upstream_order_id = models.CharField(
        max_length=64, blank=True, verbose_name=_("upstream order id")
    )
    upstream_sub_order_id = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("upstream sub-order id")
    )
    # The upstream's line status, raw
    status = models.CharField(max_length=40, blank=True, verbose_name=_("upstream line status"))
    # From refund messages
    aftersales_status = models.CharField(
        max_length=40, blank=True, verbose_name=_("after-sales status")
    )
    tracking_company = models.CharField(
        max_length=60, blank=True, verbose_name=_("logistics company")
    )
    tracking_no = models.CharField(max_length=60, blank=True, verbose_name=_("tracking number"))
    # What the order search matches (selectors/search.py), kept by the database itself so that
    # no way of writing a line can leave it stale. On PostgreSQL a trigram index covers it
    # (migration 0014).
    search_text = models.GeneratedField(
        expression=Concat(
            *(part for name in SEARCHED for part in (models.F(name), models.Value(" "))),
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name=_("search text"),
    )

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["order", "line_no"]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.sku_id or self.spec_id} x{self.quantity}"
