"""Overseas freight estimates: every service the warehouse offers for some goods to a
destination, with price, weight basis and days, cheapest and fastest marked.

Quotes come from the agent's warehouse (`purchasing.routes.warehouse`), whatever route bought
the goods. This is the one estimate behind the landed cost on item pages, the overseas freight
on the order preview and the logistics pages (which build parcels on it), so they all show the
same figure for the same goods. An estimate is cached per (items, destination) for
CAIGOU_FREIGHT_ESTIMATE_CACHE_SECONDS: one upstream call, whichever page asks first.

One item/SKU in some quantity is quoted with the item price call; several items are rendered
as one parcel, and a render carries the `render_id` a booking names until `expires_at`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.routes.warehouse import warehouse
from upstream.types.logistics import FreightItem, FreightQuote, ReceiverAddress

CACHE_PREFIX = "caigou:freight:v2"
RENDER_MARGIN_SECONDS = 60  # a cached render is dropped this long before it expires


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


def default_destination() -> ReceiverAddress:
    """CAIGOU_DEFAULT_DESTINATION_*: where estimates ship when no customer is known."""
    return ReceiverAddress(
        name="Freight estimate",
        country=settings.CAIGOU_DEFAULT_DESTINATION_COUNTRY.upper(),
        city=settings.CAIGOU_DEFAULT_DESTINATION_CITY,
        zip=settings.CAIGOU_DEFAULT_DESTINATION_ZIP,
    )


def receiver_of(destination: Any, tax_id: str = "") -> ReceiverAddress:
    """A ReceiverAddress from a ReceiverAddress, a mapping ({country, city, postcode...}) or an
    address book row (anything with name, country, city, address, postcode... attributes)."""
    if isinstance(destination, ReceiverAddress):
        return destination
    if isinstance(destination, Mapping):
        return ReceiverAddress(
            name=destination.get("name") or "Receiver",
            country=str(destination.get("country", "")).strip().upper(),
            city=destination.get("city", ""),
            zip=destination.get("postcode", "") or destination.get("zip", ""),
            state=destination.get("province", "") or destination.get("state", ""),
        )
    street = (getattr(destination, "district", ""), getattr(destination, "address", ""))
    return ReceiverAddress(
        name=destination.name,
        country=destination.country,
        city=destination.city,
        address=" ".join(part for part in street if part),
        zip=getattr(destination, "postcode", ""),
        state=getattr(destination, "province", ""),
        phone=getattr(destination, "phone", ""),
        mobile_phone=getattr(destination, "phone", ""),
        email=getattr(destination, "email", ""),
        tax_id=tax_id or getattr(destination, "tax_id", ""),
    )


def freight_items(items: Iterable[Any], *, service_id: str = "") -> list[FreightItem]:
    """FreightItems from order lines, FreightItems, or {item_id, sku_id, quantity, price_fen}."""
    out = []
    for item in items:
        if isinstance(item, PurchaseOrderLine):
            out.append(
                FreightItem(
                    item_id=item.item_id,
                    sku_id=item.sku_id,
                    quantity=item.quantity,
                    price_fen=item.unit_price_fen,
                    title=item.title[:200],
                    image_url=item.picture,
                    service_id=service_id,
                )
            )
        elif isinstance(item, FreightItem):
            out.append(item)
        else:
            out.append(
                FreightItem(
                    item_id=str(item["item_id"]),
                    sku_id=str(item.get("sku_id") or ""),
                    quantity=int(item.get("quantity") or 1),
                    price_fen=int(item.get("price_fen") or 0),
                    service_id=service_id,
                )
            )
    return out


def _cache_key(kind: str, items: Sequence[FreightItem], receiver: ReceiverAddress) -> str:
    goods = sorted((i.item_id, i.sku_id, i.quantity, i.price_fen) for i in items)
    place = (receiver.country, receiver.state, receiver.city, receiver.zip)
    digest = hashlib.sha256(repr((kind, goods, place)).encode()).hexdigest()[:32]
    return f"{CACHE_PREFIX}:{digest}"


def _seconds_left(expires_at: str) -> int | None:
    """Seconds until a render's "yyyy-MM-dd HH:mm:ss" expiry (site time), None if unreadable."""
    try:
        naive = datetime.strptime(expires_at, "%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    return int((timezone.make_aware(naive) - timezone.now()).total_seconds())


def freight_estimate(
    *, items: Sequence[Any], destination: Any = None, render: bool = False
) -> Estimate:
    """Every service offered for `items` to `destination` (default: the default destination).

    One item/SKU line is quoted with the item price call unless `render` asks for a render
    (a parcel needs its render id); several are rendered. Raises upstream.errors.UpstreamError,
    and ValueError when there is nothing to estimate. Failures are not cached."""
    receiver = receiver_of(destination if destination is not None else default_destination())
    freight = freight_items(items)
    if not freight:
        raise ValueError("nothing to estimate")
    as_render = render or len(freight) > 1
    key = _cache_key("render" if as_render else "item", freight, receiver)
    cached = cache.get(key)
    if cached is not None:
        return cached
    services = warehouse()
    timeout = int(settings.CAIGOU_FREIGHT_ESTIMATE_CACHE_SECONDS)
    if as_render:
        rendered = services.render_freight(receiver=receiver, items=freight)
        estimate = Estimate(
            country=rendered.country or receiver.country,
            quotes=rendered.quotes,
            render_id=rendered.render_id,
            expires_at=rendered.expires_at,
        )
        left = _seconds_left(rendered.expires_at)
        if left is not None:
            timeout = min(timeout, left - RENDER_MARGIN_SECONDS)
    else:
        one = freight[0]
        quoted = services.item_freight(
            item_id=one.item_id,
            sku_id=one.sku_id,
            quantity=one.quantity,
            receiver=receiver,
            price_fen=one.price_fen,
        )
        estimate = Estimate(country=quoted.country or receiver.country, quotes=quoted.quotes)
    if timeout > 0:
        cache.set(key, estimate, timeout)
    return estimate


def order_freight_estimate(order: PurchaseOrder, destination: Any = None) -> Estimate:
    """The overseas freight of an order's lines, shipped together from the warehouse."""
    return freight_estimate(items=list(order.lines.all()), destination=destination)
