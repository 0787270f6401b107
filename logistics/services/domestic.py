"""Domestic logistics: the seller's carrier and tracking number of an order line."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from logistics.services.common import LogisticsError, require
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.phrases import gettext as _
from purchasing.routes.warehouse import warehouse
from purchasing.statuses import OrderStatus
from upstream import errors
from upstream.types.logistics import DomesticShipment

# Between payment and the parcel abroad: the seller's parcel to the warehouse is still news.
DOMESTIC_STATES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.AT_WAREHOUSE)


def line_domestic_update(
    *, line: PurchaseOrderLine, company: str, tracking_no: str, actor: Any
) -> PurchaseOrderLine:
    """Tell the warehouse which domestic parcel carries `line` (information the upstream
    lacks), then store it on the line with an order event. Repeating it changes nothing."""
    require(actor)
    company, tracking_no = company.strip()[:60], tracking_no.strip()[:60]
    if not tracking_no:
        raise LogisticsError(_("a tracking number is required"))
    order = line.order
    if order.status not in DOMESTIC_STATES:
        raise LogisticsError(
            _(
                "the order is %(status)s: domestic logistics can be told while it is paid, "
                "shipped or at the warehouse"
            )
            % {"status": order.get_status_display().lower()}
        )
    upstream_id = line.upstream_order_id or order.upstream_order_id
    if not upstream_id:
        raise LogisticsError(
            _("the order is not created upstream yet: nothing to tell the warehouse")
        )
    shipment = DomesticShipment(
        item_id=line.item_id,
        sku_id=line.sku_id,
        quantity=line.quantity,
        title=line.title[:200],
        image_url=line.picture,
        tracking_no=tracking_no,
        company_name=company,
    )
    try:
        warehouse().update_domestic(order_id=upstream_id, shipments=[shipment])
    except errors.UpstreamError as exc:
        raise LogisticsError(
            _("the upstream refused the tracking number: %(why)s") % {"why": exc.msg}
        ) from exc
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        line = PurchaseOrderLine.objects.get(pk=line.pk)
        if (line.tracking_company, line.tracking_no) == (company, tracking_no):
            return line
        line.tracking_company, line.tracking_no = company, tracking_no
        line.save(update_fields=["tracking_company", "tracking_no"])
        order.note(
            _("domestic logistics of line %(line)s: %(company)s %(tracking)s")
            % {"line": line.line_no, "company": company, "tracking": tracking_no},
            actor=actor,
            kind="domestic_logistics",
        )
    return line
