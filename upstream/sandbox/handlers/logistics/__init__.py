"""Sandbox handlers: the address book (foundations) and warehouse logistics.

Warehouse-logistics paths also carry `timestamp` and `sign` in the query (upstream-api.md 6.1);
the router verified the headers, and these handlers check that the query repeats them.
Freight comes from the tariff in `upstream.sandbox.freight`; money is fen, weights grams.
Bookings are never deduplicated: the same clientRequestId twice makes two bookings.
"""

from __future__ import annotations

from upstream.sandbox.db import atomic
from upstream.sandbox.handlers.logistics.addresses import address_add_or_update, address_get
from upstream.sandbox.handlers.logistics.bookings import (
    STEP_EVENTS,
    _event,
    logistics_booking_query,
    logistics_booking_track,
    logistics_order_booking,
)
from upstream.sandbox.handlers.logistics.shipping import (
    logistics_item_price,
    logistics_order_render_freight,
    logistics_update_domestic,
)
from upstream.sandbox.models import Booking
from upstream.sandbox.router import tick_step

__all__ = [
    "address_add_or_update",
    "address_get",
    "advance_bookings",
    "logistics_booking_query",
    "logistics_booking_track",
    "logistics_item_price",
    "logistics_order_booking",
    "logistics_order_render_freight",
    "logistics_update_domestic",
]


# Defined here rather than in bookings.py: the tick report names a step after the last part of
# its module, and this one has always been `logistics.advance_bookings`.
@tick_step
def advance_bookings() -> int:
    """Every undelivered booking takes its next step, with a tracking event."""
    moved = 0
    with atomic():
        for booking in Booking.objects.select_for_update().exclude(status=Booking.Status.DELIVERED):
            to = Booking.NEXT[Booking.Status(booking.status)]
            description, location = STEP_EVENTS[to]
            names = {
                "company": booking.company_name,
                "country": booking.receiver.get("country", ""),
                "city": booking.receiver.get("city", "") or "-",
            }
            booking.events = [
                *booking.events,
                _event(to, description.format(**names), location.format(**names)),
            ]
            booking.status = to
            booking.save(update_fields=["status", "events", "updated_at"])
            moved += 1
    return moved
