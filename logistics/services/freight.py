"""Overseas freight estimates: every service with price, weight basis and days."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from logistics.models import Address
from logistics.services.common import warehouse
from purchasing.models import PurchaseOrderLine
from upstream.types.logistics import FreightItem, FreightQuote, ReceiverAddress


@dataclass
class Estimate:
    """Quotes cheapest first; `is_cheapest` and `is_fastest` mark one each. A render (several
    items) also has `render_id`, which books the parcel until `expires_at`."""

    country: str
    quotes: list[FreightQuote] = field(default_factory=list)
    render_id: str = ""
    expires_at: str = ""

    @property
    def cheapest(self) -> FreightQuote | None:
        return next((q for q in self.quotes if q.is_cheapest), None)

    @property
    def fastest(self) -> FreightQuote | None:
        return next((q for q in self.quotes if q.is_fastest), None)

    def quote(self, service_id: str) -> FreightQuote | None:
        return next((q for q in self.quotes if q.service_id == service_id), None)


def receiver_of(
    destination: Address | ReceiverAddress | dict[str, Any], tax_id: str = ""
) -> ReceiverAddress:
    if isinstance(destination, ReceiverAddress):
        return destination
    if isinstance(destination, dict):
        return ReceiverAddress(
            name=destination.get("name") or "Receiver",
            country=str(destination.get("country", "")).upper(),
            city=destination.get("city", ""),
            zip=destination.get("postcode", "") or destination.get("zip", ""),
            state=destination.get("province", "") or destination.get("state", ""),
        )
    return ReceiverAddress(
        name=destination.name,
        country=destination.country,
        city=destination.city,
        address=" ".join(p for p in (destination.district, destination.address) if p),
        zip=destination.postcode,
        state=destination.province,
        phone=destination.phone,
        mobile_phone=destination.phone,
        email=destination.email,
        tax_id=tax_id or destination.tax_id,
    )


def freight_items(items: Iterable[Any], *, service_id: str = "") -> list[FreightItem]:
    """FreightItems from order lines or from {item_id, sku_id, quantity} mappings."""
    out = []
    for item in items:
        if isinstance(item, PurchaseOrderLine):
            out.append(
                FreightItem(
                    item_id=item.item_id, sku_id=item.sku_id, quantity=item.quantity,
                    price_fen=item.unit_price_fen, title=item.title[:200],
                    image_url=item.picture, service_id=service_id,
                )
            )  # fmt: skip
        elif isinstance(item, FreightItem):
            out.append(item)
        else:
            out.append(
                FreightItem(
                    item_id=str(item["item_id"]), sku_id=str(item.get("sku_id") or ""),
                    quantity=int(item.get("quantity") or 1),
                    price_fen=int(item.get("price_fen") or 0), service_id=service_id,
                )
            )  # fmt: skip
    return out


def freight_estimate(
    *, items: Sequence[Any], destination: Address | ReceiverAddress | dict[str, Any]
) -> Estimate:
    """Every service the upstream offers for `items` to `destination`. One item/SKU and
    quantity is quoted with the item price call; several (or order lines) are rendered."""
    receiver = receiver_of(destination)
    freight = freight_items(items)
    if not freight:
        raise ValueError("nothing to estimate")
    if len(freight) == 1 and not isinstance(items[0], PurchaseOrderLine):
        one = freight[0]
        quoted = warehouse().item_freight(
            item_id=one.item_id, sku_id=one.sku_id, quantity=one.quantity, receiver=receiver,
            price_fen=one.price_fen,
        )  # fmt: skip
        return Estimate(country=quoted.country or receiver.country, quotes=quoted.quotes)
    render = warehouse().render_freight(receiver=receiver, items=freight)
    return Estimate(
        country=render.country or receiver.country,
        quotes=render.quotes,
        render_id=render.render_id,
        expires_at=render.expires_at,
    )
