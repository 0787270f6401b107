"""Taobao payment vouchers: an image or a PDF (at most 5 MB) attached to the upstream order.

The file is checked by its content, not its name or the browser's word, and what is sent is what
`purchasing.uploads` made of it (a picture saved again, a PDF without scripts). Nothing is
recorded unless the upstream stored it: the event is written after the upload answered."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from purchasing.models import PurchaseOrder
from purchasing.routes import Capability, route_for
from purchasing.rules import VOUCHER_STATES
from purchasing.services.orders.common import OrderError, locked, require
from purchasing.uploads import PDF, CleanFile, UploadRefused, clean_file, sniff
from upstream.accounts import pandapon

MAX_BYTES = 5 * 1024 * 1024
VOUCHER_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", PDF)


def check_voucher(content: bytes) -> CleanFile:
    """The voucher as it will be sent: a picture saved again, or a PDF that only shows pages;
    OrderError (a sentence) when it is not one we send."""
    if not content:
        raise OrderError("the file is empty")
    if len(content) > MAX_BYTES:
        size = len(content) / (1024 * 1024)
        raise OrderError(f"a voucher may be at most 5 MB; this file is {size:.1f} MB")
    if sniff(content) not in VOUCHER_TYPES:
        raise OrderError("a voucher must be an image (PNG, JPEG, GIF or WEBP) or a PDF")
    try:
        return clean_file(content)
    except UploadRefused as exc:
        raise OrderError(str(exc).rstrip(".")) from exc


def order_upload_voucher(*, order: PurchaseOrder, actor: Any, content: bytes, filename: str) -> str:
    """Upload a payment voucher of a Taobao order; the stored voucher's URL."""
    require(actor, "pay_order")
    voucher = check_voucher(content)
    order = PurchaseOrder.objects.get(pk=order.pk)
    if not route_for(order).can(Capability.VOUCHER) or not order.upstream_order_id:
        raise OrderError("payment vouchers are for Taobao orders created upstream")
    if order.status not in VOUCHER_STATES:
        raise OrderError(f"an order that is {order.get_status_display()} takes no voucher")
    # The upload is outside any transaction: no row lock is held across the network call.
    url = pandapon().taobao_orders.upload_voucher(
        order_id=order.upstream_order_id,
        content=voucher.content,
        filename=voucher.name_for(filename or "voucher"),
        content_type=voucher.content_type,
    )
    with transaction.atomic():
        order = locked(order.pk)
        order.note(f"payment voucher {filename} uploaded: {url}", actor=actor, kind="voucher")
    return url
