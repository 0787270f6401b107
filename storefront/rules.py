"""What a storefront may do to its customer order now: one pure function per question, asked by
the API's links and by the services that do it."""

from __future__ import annotations

from purchasing.models import PurchaseOrder
from purchasing.rules import is_being_bought
from storefront.models import CustomerOrder, CustomerOrderStatus


def purchases_being_bought(order: CustomerOrder) -> list[PurchaseOrder]:
    """The order's purchase orders already sent to be bought (read through the prefetch when
    there is one)."""
    return [purchase for purchase in order.purchase_orders.all() if is_being_bought(purchase)]


def may_cancel(order: CustomerOrder) -> bool:
    """While nothing was sent to be bought; a cancelled or failed order has nothing to cancel."""
    closed = (CustomerOrderStatus.CANCELLED, CustomerOrderStatus.FAILED)
    return order.status not in closed and not purchases_being_bought(order)
