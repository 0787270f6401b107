"""Typed results (and the few typed inputs) of addresses and warehouse logistics.

Weights are grams, money is fen, days are calendar days. The freight payload shapes are our
contract (upstream-api.md 1.5.11 gives only the request bodies); the sandbox answers in them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upstream.types.base import Record, fen, id_str

WEIGHT_ACTUAL = "actual"
WEIGHT_VOLUMETRIC = "volumetric"
_WEIGHT_TYPES = {"ACTUAL": WEIGHT_ACTUAL, "VOLUME": WEIGHT_VOLUMETRIC}


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# -- inputs --------------------------------------------------------------------------------
@dataclass(kw_only=True)
class ReceiverAddress:
    """The overseas receiver of a parcel, as the warehouse-logistics calls take it."""

    name: str
    country: str  # ISO 3166-1 alpha-2, e.g. "US"
    city: str = ""
    address: str = ""
    zip: str = ""
    state: str = ""
    phone: str = ""
    mobile_phone: str = ""
    email: str = ""
    tax_id: str = ""

    def to_payload(self) -> dict[str, str]:
        return {
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "mobilePhone": self.mobile_phone,
            "address": self.address,
            "taxId": self.tax_id,
            "country": self.country,
            "city": self.city,
            "zip": self.zip,
            "state": self.state,
        }


@dataclass(kw_only=True)
class FreightItem:
    """One item of a freight render or booking; `service_id` picks the line when known."""

    item_id: str
    quantity: int
    sku_id: str = ""
    price_fen: int = 0
    title: str = ""
    image_url: str = ""
    service_id: str = ""
    company_name: str = ""
    service_category: str = ""

    def freight_info(self) -> dict[str, str]:
        return {
            "serviceId": self.service_id,
            "companyName": self.company_name,
            "serviceCategory": self.service_category,
        }

    def to_render_payload(self) -> dict[str, Any]:
        return {
            "itemId": self.item_id,
            "skuId": self.sku_id,
            "quantity": self.quantity,
            "freightInfo": self.freight_info(),
            "currency": "CNY",
            "price": self.price_fen,
        }

    def to_line_payload(self) -> dict[str, Any]:
        return {
            "itemId": self.item_id,
            "skuId": self.sku_id,
            "quantity": self.quantity,
            "title": self.title,
            "imageUrl": self.image_url,
            "freightInfo": self.freight_info(),
        }


@dataclass(kw_only=True)
class DomesticShipment:
    """The domestic parcel (seller to warehouse) that carries one order line."""

    item_id: str
    tracking_no: str
    company_name: str = ""
    sku_id: str = ""
    quantity: int = 0
    title: str = ""
    image_url: str = ""
    shipped_at: str = ""  # rtsTime, "yyyy-MM-dd HH:mm:ss"

    def to_payload(self) -> dict[str, Any]:
        # `logisticNumer` is the upstream's spelling (upstream-api.md 1.5.11).
        return {
            "lineItem": {
                "itemId": self.item_id,
                "skuId": self.sku_id,
                "quantity": self.quantity,
                "title": self.title,
                "imageUrl": self.image_url,
            },
            "logisticNumer": self.tracking_no,
            "domesticLogisticInfo": [
                {
                    "logisticNumer": self.tracking_no,
                    "logisticCompanyName": self.company_name,
                    "rtsTime": self.shipped_at,
                }
            ],
        }


# -- results -------------------------------------------------------------------------------
@dataclass(kw_only=True)
class Address(Record):
    address_id: str
    name: str
    phone: str
    province: str
    city: str
    district: str = ""
    address: str = ""
    postcode: str = ""
    country: str = ""
    is_default: bool = False

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Address:
        return cls(
            address_id=id_str(data.get("id")),
            name=str(data.get("name") or ""),
            phone=str(data.get("phone") or ""),
            province=str(data.get("province") or ""),
            city=str(data.get("city") or ""),
            district=str(data.get("district") or ""),
            address=str(data.get("address") or ""),
            postcode=str(data.get("postcode") or ""),
            country=str(data.get("country") or ""),
            is_default=bool(data.get("isDefault")),
            raw=data,
        )


@dataclass(kw_only=True)
class FreightQuote(Record):
    """One freight service (line) offered for a destination, priced for a parcel."""

    service_id: str
    name: str
    category: str  # ECONOMY, STANDARD, EXPRESS or SEA
    price_fen: int
    chargeable_weight_g: int
    weight_basis: str  # WEIGHT_ACTUAL or WEIGHT_VOLUMETRIC
    days_min: int
    days_max: int
    company_name: str = ""
    actual_weight_g: int = 0
    volume_weight_g: int = 0
    currency: str = "CNY"
    is_cheapest: bool = False
    is_fastest: bool = False

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> FreightQuote:
        weight_type = str(data.get("weightType") or "ACTUAL")
        return cls(
            service_id=str(data.get("serviceId") or ""),
            name=str(data.get("serviceName") or ""),
            category=str(data.get("serviceCategory") or ""),
            price_fen=fen(data.get("freight")),
            chargeable_weight_g=_int(data.get("chargeableWeight")),
            weight_basis=_WEIGHT_TYPES.get(weight_type, weight_type.lower()),
            days_min=_int(data.get("deliveryMinDays")),
            days_max=_int(data.get("deliveryMaxDays")),
            company_name=str(data.get("companyName") or ""),
            actual_weight_g=_int(data.get("actualWeight")),
            volume_weight_g=_int(data.get("volumeWeight")),
            currency=str(data.get("currency") or "CNY"),
            raw=data,
        )


def _ranked(payloads: list[dict[str, Any]]) -> list[FreightQuote]:
    """Quotes cheapest first (then fastest), with the cheapest and the fastest marked."""
    quotes = sorted(
        (FreightQuote.from_payload(item) for item in payloads),
        key=lambda q: (q.price_fen, q.days_max, q.service_id),
    )
    if quotes:
        quotes[0].is_cheapest = True
        min(quotes, key=lambda q: (q.days_max, q.days_min, q.price_fen)).is_fastest = True
    return quotes


@dataclass(kw_only=True)
class _QuoteSet(Record):
    quotes: list[FreightQuote] = field(default_factory=list)

    def cheapest(self) -> FreightQuote | None:
        return next((q for q in self.quotes if q.is_cheapest), None)

    def fastest(self) -> FreightQuote | None:
        return next((q for q in self.quotes if q.is_fastest), None)

    def quote(self, service_id: str) -> FreightQuote | None:
        return next((q for q in self.quotes if q.service_id == service_id), None)


@dataclass(kw_only=True)
class FreightEstimate(_QuoteSet):
    """Every service offered to ship some quantity of one item to a destination."""

    item_id: str
    quantity: int
    country: str
    sku_id: str = ""
    actual_weight_g: int = 0
    volume_weight_g: int = 0

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> FreightEstimate:
        return cls(
            item_id=id_str(data.get("itemId")),
            sku_id=id_str(data.get("skuId")),
            quantity=_int(data.get("quantity")),
            country=str(data.get("country") or ""),
            actual_weight_g=_int(data.get("actualWeight")),
            volume_weight_g=_int(data.get("volumeWeight")),
            quotes=_ranked(data.get("freightList") or []),
            raw=data,
        )


@dataclass(kw_only=True)
class FreightRender(_QuoteSet):
    """A priced set of items; `render_id` books it until `expires_at`."""

    render_id: str
    country: str = ""
    expires_at: str = ""
    selected_service_id: str = ""
    actual_weight_g: int = 0
    volume_weight_g: int = 0

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> FreightRender:
        return cls(
            render_id=str(data.get("renderId") or ""),
            country=str(data.get("country") or ""),
            expires_at=str(data.get("expireTime") or ""),
            selected_service_id=str(data.get("selectedServiceId") or ""),
            actual_weight_g=_int(data.get("actualWeight")),
            volume_weight_g=_int(data.get("volumeWeight")),
            quotes=_ranked(data.get("freightList") or []),
            raw=data,
        )


@dataclass(kw_only=True)
class TrackingEvent(Record):
    time: str
    status: str
    description: str
    location: str = ""

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> TrackingEvent:
        return cls(
            time=str(data.get("time") or ""),
            status=str(data.get("status") or ""),
            description=str(data.get("description") or ""),
            location=str(data.get("location") or ""),
            raw=data,
        )


@dataclass(kw_only=True)
class Booking(Record):
    """An international logistics order: a parcel from the warehouse to the customer."""

    booking_id: str
    status: str  # created, picked, in_transit, delivered
    tracking_no: str = ""
    freight_fen: int = 0
    client_request_id: str = ""
    render_id: str = ""
    service_id: str = ""
    service_name: str = ""
    weight_g: int = 0
    chargeable_weight_g: int = 0
    tmall_order_id: str = ""
    receiver: dict[str, Any] = field(default_factory=dict)
    events: list[TrackingEvent] = field(default_factory=list)
    created_at: str = ""

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Booking:
        return cls(
            booking_id=id_str(data.get("bookingId")),
            status=str(data.get("status") or ""),
            tracking_no=str(data.get("trackingNo") or ""),
            freight_fen=fen(data.get("freight")),
            client_request_id=str(data.get("clientRequestId") or ""),
            render_id=str(data.get("renderId") or ""),
            service_id=str(data.get("serviceId") or ""),
            service_name=str(data.get("serviceName") or ""),
            weight_g=_int(data.get("actualWeight")),
            chargeable_weight_g=_int(data.get("chargeableWeight")),
            tmall_order_id=id_str(data.get("tmallOrderId")),
            receiver=data.get("receiverAddress") or {},
            events=[TrackingEvent.from_payload(item) for item in data.get("events") or []],
            created_at=str(data.get("createTime") or ""),
            raw=data,
        )
