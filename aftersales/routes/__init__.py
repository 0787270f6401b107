"""The after-sales routes: one class per order route (platform × provider), looked up from the
order's route (`purchasing.routes.route_for`).

`for_order(order)` is the after-sales route of an order; `for_case(case)` that of a stored case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aftersales.routes.alibaba_dajisaas import AlibabaDajisaas
from aftersales.routes.alibaba_pandapon import AlibabaPandaPon
from aftersales.routes.base import (
    AftersalesRoute,
    CaseOptions,
    Operation,
    ReturnOptions,
)
from aftersales.routes.taobao_pandapon import TaobaoPandaPon
from purchasing.routes import route_for

if TYPE_CHECKING:
    from aftersales.models import RefundCase
    from purchasing.models import PurchaseOrder

__all__ = [
    "ROUTES",
    "AftersalesRoute",
    "CaseOptions",
    "Operation",
    "ReturnOptions",
    "for_case",
    "for_order",
]

ROUTES: dict[tuple[str, str], AftersalesRoute] = {
    (route.platform, route.provider): route
    for route in (TaobaoPandaPon(), AlibabaPandaPon(), AlibabaDajisaas())
}
# A case is stored only on an order whose route opens cases, and one route per platform does:
# so a case's platform names its route, and the rules, asked for every case of a list, need no
# query for the order. (A second such route on one platform must store its provider on the case.)
CASE_ROUTES: dict[str, AftersalesRoute] = {
    route.platform: route for route in ROUTES.values() if route.can(Operation.OPEN)
}


def for_order(order: PurchaseOrder) -> AftersalesRoute:
    """The after-sales route of the order's route (the one it was created on)."""
    route = route_for(order)
    return ROUTES[(route.platform, route.provider)]


def for_case(case: RefundCase) -> AftersalesRoute:
    """The after-sales route a stored case was opened on."""
    return CASE_ROUTES[case.platform]
