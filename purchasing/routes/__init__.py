"""The routes an order can take upstream: one class per platform × provider.

`route_for(order)` is the route an order was created on (its stored platform and provider);
`route_for_platform(platform)` is the route a new order of that platform takes now (1688 goes
through the provider that `settings.UPSTREAM_PROVIDER_1688` names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from purchasing.models import Platform
from purchasing.models.orders import Provider
from purchasing.routes.alibaba_dajisaas import AlibabaDajisaas
from purchasing.routes.alibaba_pandapon import AlibabaPandaPon
from purchasing.routes.base import Capability, Created, GoodsQuery, Route, RouteRefused
from purchasing.routes.taobao_pandapon import TaobaoPandaPon

if TYPE_CHECKING:
    from purchasing.models import PurchaseOrder

__all__ = [
    "ROUTES",
    "Capability",
    "Created",
    "GoodsQuery",
    "Route",
    "RouteRefused",
    "cart_route",
    "route_for",
    "route_for_platform",
    "route_of",
]

ROUTES: dict[tuple[str, str], Route] = {
    (route.platform, route.provider): route
    for route in (TaobaoPandaPon(), AlibabaPandaPon(), AlibabaDajisaas())
}


def route_of(platform: str, provider: str) -> Route:
    """The route of a platform through a provider; ValueError for a pair no route serves."""
    try:
        return ROUTES[(platform, provider)]
    except KeyError:
        raise ValueError(f"no route for {platform!r} through {provider!r}") from None


def route_for_platform(platform: str) -> Route:
    """The route a new order of `platform` takes: Taobao through PandaPon, 1688 through
    Dajisaas when UPSTREAM_PROVIDER_1688 says so and through PandaPon otherwise."""
    if platform == Platform.ALIBABA and settings.UPSTREAM_PROVIDER_1688 == Provider.DAJISAAS:
        return route_of(platform, Provider.DAJISAAS)
    return route_of(platform, Provider.PANDAPON)


def route_for(order: PurchaseOrder) -> Route:
    """The route an existing order was created on, whatever the settings say now; an order that
    names no provider yet takes its platform's route of today."""
    if not order.provider:
        return route_for_platform(order.platform)
    return route_of(order.platform, order.provider)


def cart_route(platform: str) -> Route:
    """Orders of upstream cart lines go through PandaPon, whose account holds the carts,
    whatever provider buys other 1688 orders."""
    return route_of(platform, Provider.PANDAPON)
