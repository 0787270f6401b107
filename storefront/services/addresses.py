"""A customer order's shipping address in the address book, so that staff building a parcel to
the customer pick it instead of retyping it.

The address is kept locally only: booking a parcel sends the receiver's fields itself
(logistics.services.freight.receiver_of), so nothing is registered upstream here. One customer
who orders twice with the same address gets one row: an order takes the first customer address
whose cleaned fields equal its own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction

from logistics.models import Address
from logistics.validation import AddressInvalid, clean_address
from purchasing.models import PurchaseOrderLine
from storefront.models import CustomerOrder, CustomerOrderLine, Storefront

log = logging.getLogger(__name__)


def address_fields(order: CustomerOrder) -> dict[str, str]:
    """The order's shipping address cleaned as the address book stores it (kind customer).
    Raises AddressInvalid when it would not clean (the API refuses such an address, so only an
    order stored by other means can have one)."""
    return clean_address({**order.shipping_address, "kind": Address.Kind.CUSTOMER})


def find_address(fields: dict[str, str]) -> Address | None:
    """The oldest customer address equal to `fields` (cleaned, with kind), if any."""
    return Address.objects.filter(**fields).order_by("pk").first()


@transaction.atomic
def customer_order_address(order: CustomerOrder) -> Address:
    """The order's customer Address, found or created from its shipping address and stored on
    the order. Idempotent: an order that has one keeps it. Raises AddressInvalid when the
    shipping address does not clean."""
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    order = CustomerOrder.objects.select_for_update().get(pk=order.pk)
    if order.address_id is not None:
        return order.address
    fields = address_fields(order)
    # Two orders of one customer drafted at once must not both create the address: lock the
    # storefront row (the intake's order lock already takes it on PostgreSQL). The same customer
    # buying through two storefronts at the same moment can still get two equal rows.
    list(Storefront.objects.select_for_update().filter(pk=order.storefront_id).values_list("pk"))
    address = find_address(fields)
    if address is None:
        address = Address.objects.create(**fields)
        log.info("storefront order %s: address %s added to the address book", order, address.pk)
    order.address = address
    # Only the link: the storefront sees nothing new, so `updated_at` stays as it was.
    order.save(update_fields=["address"])
    return address


def customer_order_address_if_valid(order: CustomerOrder) -> Address | None:
    """customer_order_address, or None (logged) for a shipping address that does not clean: the
    goods are still bought, and a person chooses the parcel's address."""
    try:
        return customer_order_address(order)
    except AddressInvalid as exc:
        log.warning("storefront order %s: shipping address not added: %s", order, exc)
        return None


def address_for_lines(
    *, lines: Sequence[PurchaseOrderLine], create: bool = False
) -> tuple[Address | None, list[CustomerOrder]]:
    """The customer address every one of `lines` ships to, with the customer orders they were
    bought for; (None, []) unless each line was bought for a customer order and all those
    orders go to one address.

    An order stored before orders had an address is matched by its shipping address; its row
    is created (and linked) only when `create` is true, so that a page view writes nothing.
    One query when every order has its address, whatever the number of lines.
    """
    wanted = {line.pk for line in lines}
    if not wanted:
        return None, []
    bought_for = list(
        CustomerOrderLine.objects.filter(purchase_line__in=wanted).select_related(
            "order__storefront", "order__address"
        )
    )
    if len(bought_for) != len(wanted):
        return None, []  # a line bought for the warehouse's own stock, or for no one
    orders = sorted({c.order_id: c.order for c in bought_for}.values(), key=lambda o: o.pk)
    linked = {o.address_id for o in orders if o.address_id is not None}
    missing = [o for o in orders if o.address_id is None]
    if len(linked) > 1:
        return None, []
    if not missing:
        return orders[0].address, orders
    try:
        shipped_to = {tuple(sorted(address_fields(o).items())) for o in orders}
    except AddressInvalid:
        return None, []
    if len(shipped_to) != 1:
        return None, []
    if linked:
        address = next(o.address for o in orders if o.address is not None)
    elif not create:
        address = find_address(dict(shipped_to.pop()))
        return (address, orders) if address is not None else (None, [])
    else:
        address = customer_order_address(missing[0])
    if create:
        CustomerOrder.objects.filter(pk__in=[o.pk for o in missing], address__isnull=True).update(
            address=address
        )
    return address, orders
