"""The sandbox's overseas freight tariff: a few services per destination, priced by weight.

Deterministic on purpose, so tests and demos can state exact prices. A parcel's actual weight
is the items' catalogue weight plus packaging; its volume comes from a bulkiness factor derived
from each item id (the catalogue has no dimensions). A service with a volumetric divisor charges
the larger of actual and volumetric weight; the price is a first-weight step plus additional
steps, scaled by the destination zone.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PACKAGING_G = 50  # carton and filler added once per parcel
BULKINESS = (2, 3, 5, 8)  # cm3 per gram: dense goods (2) to bulky ones (8)


@dataclass(frozen=True)
class Service:
    service_id: str
    name: str
    company_name: str
    category: str  # ECONOMY, STANDARD, EXPRESS, SEA
    first_g: int  # the first-weight step
    first_fen: int
    step_g: int  # each additional step
    step_fen: int
    divisor: int  # cm3 per kg for volumetric weight; 0 = charged by actual weight only
    days_min: int
    days_max: int
    max_weight_g: int


SERVICES: dict[str, Service] = {
    s.service_id: s
    for s in (
        Service(
            "PP-ECO-AIR",
            "Economy Air Parcel",
            "China Post",
            "ECONOMY",
            100,
            2400,
            100,
            900,
            0,
            12,
            25,
            2_000,
        ),
        Service(
            "PP-STD",
            "Standard Line",
            "Yanwen",
            "STANDARD",
            500,
            5500,
            500,
            3800,
            8000,
            8,
            15,
            30_000,
        ),
        Service(
            "PP-EXP", "Express", "DHL Express", "EXPRESS", 500, 14000, 500, 4800, 5000, 3, 6, 70_000
        ),
        Service(
            "PP-SEA",
            "Sea Freight Consolidated",
            "COSCO",
            "SEA",
            1000,
            8000,
            1000,
            1200,
            6000,
            25,
            45,
            500_000,
        ),
    )
}


@dataclass(frozen=True)
class Zone:
    country: str
    name: str
    factor_pct: int  # price scale against the base tariff
    extra_days: int
    services: tuple[str, ...]


ALL = ("PP-ECO-AIR", "PP-STD", "PP-EXP", "PP-SEA")
AIR = ("PP-ECO-AIR", "PP-STD", "PP-EXP")
ZONES: dict[str, Zone] = {
    z.country: z
    for z in (
        Zone("US", "United States", 100, 0, ALL),
        Zone("CA", "Canada", 105, 1, ALL),
        Zone("GB", "United Kingdom", 95, 0, ALL),
        Zone("DE", "Germany", 95, 1, ALL),
        Zone("FR", "France", 98, 1, ALL),
        Zone("AU", "Australia", 110, 2, ALL),
        Zone("JP", "Japan", 60, -4, ALL),
        Zone("SG", "Singapore", 65, -3, ALL),
        Zone("MY", "Malaysia", 62, -2, ALL),
        Zone("*", "Rest of the world", 130, 5, AIR),
    )
}


def zone_for(country: str) -> Zone:
    return ZONES.get(country.strip().upper(), ZONES["*"])


def bulkiness(item_id: str) -> int:
    """cm3 per gram of an item, fixed by its id."""
    return BULKINESS[zlib.crc32(item_id.encode()) % len(BULKINESS)]


@dataclass(frozen=True)
class Parcel:
    actual_g: int
    volume_cm3: int

    def volume_weight_g(self, divisor: int) -> int:
        return math.ceil(self.volume_cm3 * 1000 / divisor) if divisor else 0


def parcel(items: Iterable[tuple[str, int, int]]) -> Parcel:
    """A parcel of (item_id, unit weight in grams, quantity) lines."""
    actual = volume = 0
    for item_id, weight_g, quantity in items:
        actual += weight_g * quantity
        volume += weight_g * quantity * bulkiness(item_id)
    return Parcel(actual_g=actual + PACKAGING_G, volume_cm3=volume + PACKAGING_G * 2)


def price_fen(service: Service, zone: Zone, chargeable_g: int) -> int:
    extra_steps = math.ceil(max(0, chargeable_g - service.first_g) / service.step_g)
    base = service.first_fen + extra_steps * service.step_fen
    return base * zone.factor_pct // 100


def quote(service: Service, zone: Zone, box: Parcel) -> dict[str, Any] | None:
    """One service's offer for a parcel, in the wire shape; None when the parcel is too heavy."""
    if box.actual_g > service.max_weight_g:
        return None
    volume_g = box.volume_weight_g(service.divisor)
    volumetric = volume_g > box.actual_g
    chargeable = max(box.actual_g, volume_g)
    return {
        "serviceId": service.service_id,
        "serviceName": service.name,
        "companyName": service.company_name,
        "serviceCategory": service.category,
        "currency": "CNY",
        "freight": price_fen(service, zone, chargeable),
        "chargeableWeight": chargeable,
        "weightType": "VOLUME" if volumetric else "ACTUAL",
        "actualWeight": box.actual_g,
        "volumeWeight": volume_g,
        "deliveryMinDays": max(1, service.days_min + zone.extra_days),
        "deliveryMaxDays": max(2, service.days_max + zone.extra_days),
    }


def quotes(country: str, box: Parcel) -> list[dict[str, Any]]:
    """Every service offered to `country` that can carry the parcel, in tariff order."""
    zone = zone_for(country)
    offers = (quote(SERVICES[service_id], zone, box) for service_id in zone.services)
    return [offer for offer in offers if offer is not None]
