"""What the upstream said an order would cost, kept whole (DESIGN.md, rule 1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchasing.models.orders import PurchaseOrder
from purchasing.money import format_cny


class OrderPreview(models.Model):
    """One upstream preview of an order, kept whole; a person accepts it before anything is
    created (DESIGN.md, rule 1)."""

    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.CASCADE,
        related_name="previews",
        verbose_name=_("purchase order"),
    )
    # The upstream's preview, raw, per seller
    response = models.JSONField(default=list, verbose_name=_("upstream response"))
    # [{seller_id, lines, goods, freight, total, ...}]
    sellers = models.JSONField(default=list, verbose_name=_("sellers"))
    goods_fen = models.BigIntegerField(default=0, verbose_name=_("goods amount (fen)"))
    freight_fen = models.BigIntegerField(default=0, verbose_name=_("freight (fen)"))
    discount_fen = models.BigIntegerField(default=0, verbose_name=_("discount (fen)"))
    total_fen = models.BigIntegerField(default=0, verbose_name=_("total (fen)"))
    # [{item_id, sku_id, reason}]
    unavailable = models.JSONField(default=list, verbose_name=_("unavailable items"))
    # Against what the cart or order showed
    differences = models.JSONField(default=list, verbose_name=_("differences"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))

    class Meta:
        verbose_name = _("order preview")
        verbose_name_plural = _("order previews")
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return _("preview: %(total)s") % {"total": format_cny(self.total_fen)}

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
