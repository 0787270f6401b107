"""Baskets: each person's own list of goods to order, kept here rather than upstream.

The upstream cart belongs to the whole account (every staff member shares it); a basket belongs
to one person. Its lines keep a snapshot of the title, picture and price taken when they were
added, so the basket page needs no upstream call. The preview prices them again upstream.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from purchasing.models import Platform

# A line's quantity stays far below the column's limit whatever a form sends.
MAX_LINE_QUANTITY = 100_000


class Basket(models.Model):
    """One person's basket; `shared` lets the rest of the team read it (only its owner edits)."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="basket",
        verbose_name=_("owner"),
    )
    shared = models.BooleanField(verbose_name=_("shared with the team"), default=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("basket")
        verbose_name_plural = _("baskets")

    def __str__(self) -> str:
        return _("%(owner)s's basket") % {"owner": self.owner}


class BasketLine(models.Model):
    """One SKU in a basket, once: adding it again adds to the quantity."""

    basket = models.ForeignKey(
        Basket, on_delete=models.CASCADE, related_name="lines", verbose_name=_("basket")
    )
    platform = models.CharField(verbose_name=_("platform"), max_length=8, choices=Platform.choices)
    item_id = models.CharField(verbose_name=_("item id"), max_length=32)
    sku_id = models.CharField(verbose_name=_("SKU id"), max_length=32)
    spec_id = models.CharField(verbose_name=_("spec id"), max_length=64, blank=True)  # 1688 specId
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    note = models.CharField(verbose_name=_("note"), max_length=300, blank=True)
    # The snapshot shown on the basket page, as the goods cache had it when the line was added.
    title = models.CharField(verbose_name=_("title"), max_length=300)
    title_en = models.CharField(verbose_name=_("English title"), max_length=300, blank=True)
    variant = models.CharField(verbose_name=_("variant"), max_length=300, blank=True)
    picture = models.CharField(verbose_name=_("picture"), max_length=500, blank=True)
    seller_name = models.CharField(verbose_name=_("seller name"), max_length=200, blank=True)
    unit_price_fen = models.PositiveIntegerField(verbose_name=_("unit price (fen)"), default=0)
    added_at = models.DateTimeField(verbose_name=_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        ordering = ["platform", "added_at", "pk"]
        verbose_name = _("basket line")
        verbose_name_plural = _("basket lines")
        constraints = [
            models.UniqueConstraint(
                fields=["basket", "platform", "item_id", "sku_id"], name="basket_line_per_sku"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1) & models.Q(quantity__lte=MAX_LINE_QUANTITY),
                name="basket_line_quantity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def amount_fen(self) -> int:
        return self.unit_price_fen * self.quantity
