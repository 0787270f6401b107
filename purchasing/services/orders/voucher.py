"""Taobao payment vouchers: an image or a PDF (at most 5 MB) attached to the upstream order.

The file is checked by its content, not its name or the browser's word. Nothing is recorded
unless the upstream stored it: the event is written after the upload answered."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from purchasing.models import Platform, PurchaseOrder
from purchasing.services.orders.common import OrderError, locked, pandapon, require
from purchasing.statuses import OrderStatus

S = OrderStatus
MAX_BYTES = 5 * 1024 * 1024
# A voucher belongs to an order created upstream that is not closed.
VOUCHER_STATES = (S.AWAITING_PAYMENT, S.PAYING, S.PAID, S.SHIPPED, S.AT_WAREHOUSE)


def sniff_voucher(content: bytes) -> str | None:
    """The content type the bytes are (PNG, JPEG, GIF, WEBP or PDF), or None."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_voucher(content: bytes) -> str:
    """The voucher's content type; OrderError (a sentence) when it is not one we send."""
    if not content:
        raise OrderError("the file is empty")
    if len(content) > MAX_BYTES:
        size = len(content) / (1024 * 1024)
        raise OrderError(f"a voucher may be at most 5 MB; this file is {size:.1f} MB")
    content_type = sniff_voucher(content)
    if content_type is None:
        raise OrderError("a voucher must be an image (PNG, JPEG, GIF or WEBP) or a PDF")
    return content_type


def order_upload_voucher(*, order: PurchaseOrder, actor: Any, content: bytes, filename: str) -> str:
    """Upload a payment voucher of a Taobao order; the stored voucher's URL."""
    require(actor, "pay_order")
    content_type = check_voucher(content)
    order = PurchaseOrder.objects.get(pk=order.pk)
    if order.platform != Platform.TAOBAO or not order.upstream_order_id:
        raise OrderError("payment vouchers are for Taobao orders created upstream")
    if order.status not in VOUCHER_STATES:
        raise OrderError(f"an order that is {order.get_status_display()} takes no voucher")
    # The upload is outside any transaction: no row lock is held across the network call.
    url = pandapon().taobao_orders.upload_voucher(
        order_id=order.upstream_order_id,
        content=content,
        filename=filename or "voucher",
        content_type=content_type,
    )
    with transaction.atomic():
        order = locked(order.pk)
        order.note(f"payment voucher {filename} uploaded: {url}", actor=actor, kind="voucher")
    return url
