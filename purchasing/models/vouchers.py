"""Payment vouchers kept by Caigou: the file exactly as it was sent upstream, in the file storage
(local disk or the bucket), downloaded only through the order page's permission-checked view."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from purchasing.models.orders import PurchaseOrder


def voucher_path(instance: PaymentVoucher, filename: str) -> str:
    """Under a long random folder, so that a stored name cannot be guessed from the order; the
    download view, which checks the user, is the only way to the file."""
    return f"vouchers/{secrets.token_urlsafe(24)}/{filename}"


class PaymentVoucher(models.Model):
    """A voucher the upstream accepted for an order; written after its upload answered."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="vouchers")
    file = models.FileField(upload_to=voucher_path, max_length=300)
    file_name = models.CharField(max_length=200)  # as sent upstream (its extension the content's)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    upstream_url = models.URLField(max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.content_type}, {self.size} bytes)"
