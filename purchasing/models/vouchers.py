"""Payment vouchers kept by Caigou: the file exactly as it was sent upstream, in the file storage
(local disk or the bucket), downloaded only through the order page's permission-checked view."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from purchasing.models.orders import PurchaseOrder


def voucher_path(instance: PaymentVoucher, filename: str) -> str:
    """Under a long random folder, so that a stored name cannot be guessed from the order; the
    download view, which checks the user, is the only way to the file."""
    return f"vouchers/{secrets.token_urlsafe(24)}/{filename}"


class PaymentVoucher(models.Model):
    """A voucher the upstream accepted for an order; written after its upload answered."""

    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("purchase order"),
    )
    file = models.FileField(upload_to=voucher_path, max_length=300, verbose_name=_("file"))
    # As sent upstream (its extension the content's).
    file_name = models.CharField(max_length=200, verbose_name=_("file name"))
    content_type = models.CharField(max_length=60, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    upstream_url = models.URLField(max_length=1000, blank=True, verbose_name=_("upstream URL"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("payment voucher")
        verbose_name_plural = _("payment vouchers")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.content_type}, {filesizeformat(self.size)})"
