"""The agent's warehouse: where every route delivers, and where parcels abroad start.

Its services (overseas freight quotes and renders, international bookings and their tracks,
the domestic shipments it is told of, the address book of receivers abroad) belong to the
warehouse, not to a platform × provider route: a 1688 order bought through Dajisaas goes to the
same warehouse address as a Taobao order, and one parcel may hold the goods of both. So they are
not route operations; they are reached through these two accessors, the one place outside the
route classes that names the provider serving them (PandaPon, whose account holds the warehouse).
"""

from __future__ import annotations

from upstream import accounts
from upstream.pandapon.logistics import Addresses, WarehouseLogistics


def warehouse() -> WarehouseLogistics:
    """Freight estimates, renders, bookings, tracks and domestic shipments of the warehouse."""
    return accounts.pandapon().warehouse_logistics


def address_book() -> Addresses:
    """The receivers abroad that parcels from the warehouse are booked to."""
    return accounts.pandapon().addresses
