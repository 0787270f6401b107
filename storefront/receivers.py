"""How the storefront hears of its purchase orders: purchasing's `order_moved` event (sent for
every status change and note) and every refund callback, the work running in tasks after the
commit; and how it tells a parcel being built where its customer lives."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logistics.models import Address
from purchasing.models import OrderEvent, PurchaseOrder, PurchaseOrderLine
from purchasing.models.orders import Source
from purchasing.statuses import OrderStatus
from upstream.types.callbacks import RefundMessage


def order_moved(sender: Any, *, order: PurchaseOrder, event: OrderEvent, **kwargs: Any) -> None:
    """A storefront purchase order moved: derive its customer order's status again, and pay it
    once created upstream if the policy accepted it (the policy is the actor that pays)."""
    from storefront.models import CustomerOrder
    from storefront.tasks import pay_purchase_order, sync_status

    if order.source != Source.STOREFRONT:
        return
    ids = list(CustomerOrder.objects.filter(purchase_orders=order.pk).values_list("pk", flat=True))
    for customer_order_id in ids:
        transaction.on_commit(lambda pk=customer_order_id: sync_status.delay(customer_order_id=pk))
    moved = event.from_status != event.to_status
    if ids and moved and event.to_status == OrderStatus.AWAITING_PAYMENT:
        order_id = order.pk
        transaction.on_commit(lambda: pay_purchase_order.delay(purchase_order_id=order_id))


def refund_moved(sender: Any, *, message: RefundMessage, platform: str, **kwargs: Any) -> None:
    """A refund callback: the customer orders of the refunded purchase order are derived again
    (after-sales applies the refund first when tasks run in-process; otherwise the purchase
    order's refund event brings us back)."""
    from aftersales.models import RefundCase
    from storefront.models import CustomerOrder
    from storefront.tasks import sync_status

    refund_id = message.refund_id
    case = RefundCase.objects.filter(platform=platform, upstream_refund_id=refund_id).first()
    if not refund_id or case is None:
        return
    for pk in CustomerOrder.objects.filter(purchase_orders=case.order_id).values_list(
        "pk", flat=True
    ):
        sync_status.delay(customer_order_id=pk)


def parcel_address_suggested(
    sender: Any, *, lines: list[PurchaseOrderLine], create: bool = False, **kwargs: Any
) -> Address | None:
    """The customer orders' address when every line of the parcel was bought for customer
    orders shipping to one address, with a note naming them."""
    from storefront.services.addresses import address_for_lines

    address, orders = address_for_lines(lines=lines, create=create)
    if address is None:
        return None
    names = ", ".join(f"{o.storefront.name} #{o.external_id}" for o in orders)
    address.suggestion_note = ngettext(
        "Storefront order %(names)s ships to this address.",
        "Storefront orders %(names)s ship to this address.",
        len(orders),
    ) % {"names": names}
    return address


def line_customers_wanted(
    sender: Any, *, lines: list[PurchaseOrderLine], **kwargs: Any
) -> dict[int, str]:
    """The customer each line was bought for: their name and the storefront order."""
    from storefront.models import CustomerOrderLine

    bought = CustomerOrderLine.objects.filter(purchase_line__in=[line.pk for line in lines])
    return {
        row.purchase_line_id: _("%(customer)s (%(storefront)s #%(order)s)")
        % {
            "customer": row.order.customer_name,
            "storefront": row.order.storefront.name,
            "order": row.order.external_id,
        }
        for row in bought.select_related("order__storefront")
    }


def line_currency_wanted(
    sender: Any, *, lines: list[PurchaseOrderLine], **kwargs: Any
) -> str | None:
    """The currency the customers of these lines paid in, when they all paid in one."""
    from storefront.models import CustomerOrderLine

    bought = CustomerOrderLine.objects.filter(purchase_line__in=[line.pk for line in lines])
    currencies = set(bought.values_list("order__currency", flat=True))
    return currencies.pop() if len(currencies) == 1 else None
