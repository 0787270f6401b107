"""The landed cost estimate on an item page: what one SKU in some quantity costs to the default
destination, in parts.

    items (tier price for the quantity × quantity)
  + the seller's domestic postage to the warehouse (from the product, when the upstream says)
  + overseas freight from the warehouse (the cheapest service of the shared freight estimate,
    purchasing.services.freight, for CAIGOU_DEFAULT_DESTINATION_*, cached for a few hours)
  = the estimated landed cost

It is an estimate: the order preview prices the real thing. When the freight estimate fails,
the other parts are still shown and `freight_error` says why freight is missing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from purchasing.countries import country_name
from purchasing.models import Product, Sku
from purchasing.services.freight import default_destination, freight_estimate
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Freight:
    """The cheapest overseas service quoted for the parcel."""

    price_fen: int
    service: str
    days_min: int
    days_max: int
    chargeable_weight_g: int


@dataclass(frozen=True)
class LandedCost:
    sku_id: str
    quantity: int
    unit_price_fen: int
    items_fen: int
    domestic_post_fee_fen: int | None  # None: the upstream does not say
    freight: Freight | None
    freight_error: str  # why `freight` is None
    country: str

    @property
    def total_fen(self) -> int:
        """The sum of the parts that are known."""
        return (
            self.items_fen
            + (self.domestic_post_fee_fen or 0)
            + (self.freight.price_fen if self.freight else 0)
        )

    @property
    def complete(self) -> bool:
        return self.freight is not None and self.domestic_post_fee_fen is not None


def unit_price_fen(product: Product, sku: Sku | None, quantity: int) -> int:
    """One piece when buying `quantity`: the 1688 quantity tier reached, else the SKU's price
    (the product's lowest price when no SKU is chosen)."""
    tiers = sorted(product.price_tiers or [], key=lambda t: t["start_quantity"])
    if len(tiers) > 1:
        reached = [t for t in tiers if t["start_quantity"] <= quantity] or tiers[:1]
        return int(reached[-1]["price_fen"])
    return sku.price_fen if sku is not None else product.price_fen


def freight_for(
    *, product: Product, sku: Sku | None, quantity: int, unit_price_fen: int
) -> Freight:
    """The cheapest overseas freight for the parcel to the default destination, from the shared
    estimate (purchasing.services.freight, cached there).

    Raises UpstreamError, and LookupError when no service ships there."""
    estimate = freight_estimate(
        items=[
            {
                "item_id": product.item_id,
                "sku_id": sku.sku_id if sku is not None else "",
                "quantity": quantity,
                "price_fen": unit_price_fen,
            }
        ],
        destination=default_destination(),
    )
    cheapest = estimate.cheapest
    if cheapest is None:
        raise LookupError(
            _("No freight service ships this item to %(country)s.")
            % {"country": country_name(estimate.country)}
        )
    return Freight(
        price_fen=cheapest.price_fen,
        service=" · ".join(part for part in (cheapest.company_name, cheapest.name) if part),
        days_min=cheapest.days_min,
        days_max=cheapest.days_max,
        chargeable_weight_g=cheapest.chargeable_weight_g,
    )


def landed_cost_estimate(*, product: Product, sku: Sku | None, quantity: int) -> LandedCost:
    """The estimate for `quantity` of `sku` (None: the product's lowest price)."""
    quantity = max(int(quantity), 1)
    unit = unit_price_fen(product, sku, quantity)
    freight, freight_error = None, ""
    try:
        freight = freight_for(product=product, sku=sku, quantity=quantity, unit_price_fen=unit)
    except UpstreamError as exc:
        logger.info("freight estimate for %s %s failed: %s", product.platform, product.item_id, exc)
        freight_error = upstream_message(exc)
    except LookupError as exc:
        freight_error = str(exc)
    return LandedCost(
        sku_id=sku.sku_id if sku is not None else "",
        quantity=quantity,
        unit_price_fen=unit,
        items_fen=unit * quantity,
        domestic_post_fee_fen=product.domestic_post_fee_fen,
        freight=freight,
        freight_error=freight_error,
        country=settings.CAIGOU_DEFAULT_DESTINATION_COUNTRY.upper(),
    )
