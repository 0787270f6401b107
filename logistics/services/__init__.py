"""Logistics services: one function per business operation (see each module)."""

from logistics.services.addresses import address_save, addresses_pull, default_warehouse
from logistics.services.arrivals import arrivals_check, order_arrival_check
from logistics.services.booking import parcel_book_upstream, parcel_refresh, parcel_track
from logistics.services.common import Busy, LogisticsError
from logistics.services.consolidation import consolidation
from logistics.services.domestic import line_domestic_update
from logistics.services.freight import Estimate, freight_estimate
from logistics.services.parcels import Customs, parcel_book, parcel_cancel, parcel_create

__all__ = [
    "Busy",
    "Customs",
    "Estimate",
    "LogisticsError",
    "address_save",
    "addresses_pull",
    "arrivals_check",
    "consolidation",
    "default_warehouse",
    "freight_estimate",
    "line_domestic_update",
    "order_arrival_check",
    "parcel_book",
    "parcel_book_upstream",
    "parcel_cancel",
    "parcel_create",
    "parcel_refresh",
    "parcel_track",
]
