"""Consolidation: which lines of a storefront order have arrived, and whether to wait."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from logistics.models import ParcelLine
from logistics.selectors import arrived_at_by_order
from logistics.services.common import now, wait_days
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.phrases import gettext as _
from purchasing.statuses import OrderStatus

ON_THE_WAY = (
    OrderStatus.SUBMITTING,
    OrderStatus.AWAITING_PAYMENT,
    OrderStatus.PAYING,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
)
WAIT, SEND_NOW, NOTHING = "wait", "send_now", "nothing_to_send"


@dataclass
class Consolidation:
    arrived: list[PurchaseOrderLine] = field(default_factory=list)  # at the warehouse, free
    on_the_way: list[PurchaseOrderLine] = field(default_factory=list)
    in_parcel: list[PurchaseOrderLine] = field(default_factory=list)  # already in a parcel
    suggestion: str = NOTHING
    reason: str = ""


def consolidation(*, orders: Iterable[PurchaseOrder]) -> Consolidation:
    """Arrived lines against lines still on the way, and a suggestion: send now when nothing
    is on the way or the first arrival has waited CAIGOU_WAREHOUSE_WAIT_DAYS; wait otherwise."""
    orders = list(orders)
    result = Consolidation()
    taken = set(
        ParcelLine.objects.filter(active=True, line__order__in=orders).values_list(
            "line_id", flat=True
        )
    )
    for order in orders:
        for line in order.lines.all():
            if line.pk in taken:
                result.in_parcel.append(line)
            elif order.status == OrderStatus.AT_WAREHOUSE:
                result.arrived.append(line)
            elif order.status in ON_THE_WAY:
                result.on_the_way.append(line)
    if not result.arrived:
        result.suggestion = WAIT if result.on_the_way else NOTHING
        result.reason = (
            _("nothing has arrived yet") if result.on_the_way else _("nothing left to send")
        )
        return result
    if not result.on_the_way:
        result.suggestion, result.reason = SEND_NOW, _("every line has arrived")
        return result
    arrivals = [t for t in arrived_at_by_order([o.pk for o in orders]).values() if t]
    days = wait_days()
    if arrivals and (now() - min(arrivals)).days >= days:
        result.suggestion = SEND_NOW
        result.reason = _(
            "the first line has waited over %(days)s days; %(count)s lines are still on the way"
        ) % {"days": days, "count": len(result.on_the_way)}
    else:
        result.suggestion = WAIT
        result.reason = _("%(count)s lines are still on the way") % {
            "count": len(result.on_the_way)
        }
    return result
