"""Payment vouchers: an image or a PDF (at most 5 MB) attached to the upstream order, on a route
that takes them (Taobao through PandaPon; the others refuse, `Capability.VOUCHER`).

The file is checked by its content, not its name or the browser's word, and what is sent is what
`purchasing.uploads` made of it (a picture saved again, a PDF without scripts). Caigou keeps
that same file (`PaymentVoucher`, in the file storage) so that anyone who may pay can see what
was sent, from any web machine. Nothing is recorded unless the upstream stored it: the file is
stored first and deleted again when the upload fails; the row and the event are written after
the upload answered."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from purchasing.actors import person
from purchasing.models import PaymentVoucher, PurchaseOrder
from purchasing.phrases import gettext as _
from purchasing.routes import Capability, route_for
from purchasing.rules import VOUCHER_STATES
from purchasing.services.orders.common import OrderError, locked, require
from purchasing.uploads import PDF, CleanFile, UploadRefused, clean_file, sniff

MAX_BYTES = 5 * 1024 * 1024
VOUCHER_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", PDF)


def check_voucher(content: bytes) -> CleanFile:
    """The voucher as it will be sent: a picture saved again, or a PDF that only shows pages;
    OrderError (a sentence) when it is not one we send."""
    if not content:
        raise OrderError(_("the file is empty"))
    if len(content) > MAX_BYTES:
        size = len(content) / (1024 * 1024)
        raise OrderError(
            _("a voucher may be at most 5 MB; this file is %(size)s MB") % {"size": f"{size:.1f}"}
        )
    if sniff(content) not in VOUCHER_TYPES:
        raise OrderError(_("a voucher must be an image (PNG, JPEG, GIF or WEBP) or a PDF"))
    try:
        return clean_file(content)
    except UploadRefused as exc:
        raise OrderError(str(exc).rstrip(".")) from exc


def order_upload_voucher(*, order: PurchaseOrder, actor: Any, content: bytes, filename: str) -> str:
    """Upload a payment voucher of an order created upstream; the stored voucher's URL."""
    require(actor, "pay_order")
    voucher = check_voucher(content)
    order = PurchaseOrder.objects.get(pk=order.pk)
    route = route_for(order)
    if not route.can(Capability.VOUCHER) or not order.upstream_order_id:
        raise OrderError(_("payment vouchers are for Taobao orders created upstream"))
    if order.status not in VOUCHER_STATES:
        raise OrderError(
            _("an order that is %(status)s takes no voucher")
            % {"status": order.get_status_display()}
        )
    name = voucher.name_for(filename or "voucher")
    # Stored before the upload, so a voucher the upstream took is never one we lack; a failed
    # store sends nothing. The upload is outside any transaction: no row lock is held across
    # the network call.
    kept = PaymentVoucher(
        order=order,
        file_name=name,
        content_type=voucher.content_type,
        size=len(voucher.content),
        uploaded_by=person(actor),
    )
    kept.file.save(name, ContentFile(voucher.content), save=False)
    try:
        url = route.upload_voucher(
            order.upstream_order_id,
            content=voucher.content,
            filename=name,
            content_type=voucher.content_type,
        )
    except BaseException:
        kept.file.delete(save=False)
        raise
    with transaction.atomic():
        order = locked(order.pk)
        kept.order, kept.upstream_url = order, url[:1000]
        kept.save()
        order.note(
            _("payment voucher %(name)s uploaded: %(url)s") % {"name": filename, "url": url},
            actor=actor,
            kind="voucher",
        )
    return url
