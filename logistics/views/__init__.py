"""Staff pages of logistics. Views call services only; every refusal is a sentence on the
page, never a 500."""

from logistics.views.addresses import address_default, addresses, addresses_pull_view
from logistics.views.arrivals import arrivals_refresh, arrivals_status
from logistics.views.domestic import line_domestic
from logistics.views.freight import freight
from logistics.views.lists import index, warehouse
from logistics.views.parcels import (
    parcel,
    parcel_book_view,
    parcel_cancel_view,
    parcel_new,
    parcel_refresh_view,
)

__all__ = [
    "address_default",
    "addresses",
    "addresses_pull_view",
    "arrivals_refresh",
    "arrivals_status",
    "freight",
    "index",
    "line_domestic",
    "parcel",
    "parcel_book_view",
    "parcel_cancel_view",
    "parcel_new",
    "parcel_refresh_view",
    "warehouse",
]
