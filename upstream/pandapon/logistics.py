"""PandaPon foundations and warehouse logistics: addresses, freight, international orders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from upstream.api import Api
from upstream.types.logistics import (
    Address,
    Booking,
    DomesticShipment,
    FreightEstimate,
    FreightItem,
    FreightRender,
    ReceiverAddress,
    TrackingEvent,
)


class Addresses(Api):
    """The account's address book (foundations API)."""

    def get(self, *, address_id: str = "") -> list[Address]:
        """Every address of the account (default first), or the one with `address_id`."""
        params = {"id": address_id} if address_id else {}
        return [Address.from_payload(item) for item in self._call("address_get", params).data or []]

    def save(
        self,
        *,
        name: str,
        phone: str,
        province: str,
        city: str,
        address: str,
        district: str = "",
        postcode: str = "",
        country: str = "CN",
        is_default: bool = False,
        address_id: str = "0",
    ) -> str | None:
        """Add (address_id "0") or update an address.

        The real API answers only `{code, msg}`, so this is None there; the sandbox returns the
        id. Callers that need the id look the address up with `get()`."""
        params = {
            "id": address_id,
            "name": name,
            "phone": phone,
            "province": province,
            "city": city,
            "district": district,
            "address": address,
            "postcode": postcode,
            "country": country,
            "isDefault": is_default,
        }
        data = self._call("address_add_or_update", params).data
        return None if data in (None, "", True) else str(data)


class WarehouseLogistics(Api):
    """Overseas freight estimates, domestic logistics updates and international logistics orders."""

    def item_freight(
        self,
        *,
        item_id: str,
        receiver: ReceiverAddress,
        quantity: int = 1,
        sku_id: str = "",
        price_fen: int = 0,
    ) -> FreightEstimate:
        """Every service offered to ship `quantity` of one item; quotes cheapest first."""
        params: dict[str, Any] = {
            "itemId": item_id,
            "skuId": sku_id,
            "receiverAddress": receiver.to_payload(),
            "quantity": quantity,
            "currency": "CNY",
            "price": price_fen,
        }
        return FreightEstimate.from_payload(self._call("logistics_item_price", params).data or {})

    def render_freight(
        self, *, receiver: ReceiverAddress, items: Sequence[FreightItem]
    ) -> FreightRender:
        """Price a set of items per service; the render id books it until it expires."""
        params = {
            "receiverAddress": receiver.to_payload(),
            "renderItems": [item.to_render_payload() for item in items],
        }
        reply = self._call("logistics_order_render_freight", params)
        return FreightRender.from_payload(reply.data or {})

    def update_domestic(
        self, *, order_id: str, shipments: Sequence[DomesticShipment], tmall_order_id: str = ""
    ) -> bool:
        """Tell the warehouse which domestic parcels carry an order's lines."""
        params = {
            "orderId": order_id,
            "tmallOrderId": tmall_order_id,
            "logisticInfos": [shipment.to_payload() for shipment in shipments],
        }
        return self._call("logistics_update_domestic", params).data is not False

    def book(
        self,
        *,
        render_id: str,
        receiver: ReceiverAddress,
        items: Sequence[FreightItem],
        client_request_id: str,
        tmall_order_id: str = "",
        remark: str = "",
    ) -> Booking:
        """Create an international logistics order. Never retried and never deduplicated
        upstream: after an unknown outcome, look it up with `bookings_by_request` first."""
        params = {
            "renderId": render_id,
            "receiverAddress": receiver.to_payload(),
            "lineItems": [item.to_line_payload() for item in items],
            "tmallOrderInfo": {"tmallOrderId": tmall_order_id},
            "remark": remark,
            "clientRequestId": client_request_id,
        }
        reply = self._call("logistics_order_booking", params, outer_ref=client_request_id)
        return Booking.from_payload(reply.data)

    def booking_get(self, *, booking_id: str) -> Booking:
        reply = self._call("logistics_booking_query", {"bookingId": booking_id})
        return Booking.from_payload(_one(reply.data))

    def bookings_by_request(self, *, client_request_id: str) -> list[Booking]:
        """Every booking made with this clientRequestId (empty: none was made)."""
        reply = self._call(
            "logistics_booking_query",
            {"clientRequestId": client_request_id},
            outer_ref=client_request_id,
        )
        items = reply.data if isinstance(reply.data, list) else [reply.data] if reply.data else []
        return [Booking.from_payload(item) for item in items]

    def track(self, *, booking_id: str) -> list[TrackingEvent]:
        """The parcel's tracking events, oldest first."""
        data = self._call("logistics_booking_track", {"bookingId": booking_id}).data or {}
        return [TrackingEvent.from_payload(item) for item in data.get("events") or []]


def _one(data: Any) -> dict[str, Any]:
    """The booking query answers a list; by bookingId it holds exactly one."""
    if isinstance(data, list):
        return data[0] if data else {}
    return data or {}
