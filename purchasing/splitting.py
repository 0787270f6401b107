"""How an order splits into upstream orders: 1688 takes one supplier per order and at most
CAIGOU_1688_SKUS_PER_ORDER SKUs in it. The preview, the checkout pages and the carts all ask here.

Where one create cannot carry what an order holds (several sellers on a route that creates one
seller at a time, or a seller's SKUs past the limit), Caigou splits the draft into parts, each
an order of its own (services/orders/split.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.conf import settings

from purchasing.models import Platform
from purchasing.models.orders import Source
from purchasing.routes import Capability, route_for

if TYPE_CHECKING:
    from collections.abc import Sequence

    from purchasing.models import PurchaseOrder, PurchaseOrderLine

T = TypeVar("T")


def skus_per_order() -> int:
    """The most SKUs one 1688 upstream order takes (CAIGOU_1688_SKUS_PER_ORDER)."""
    return max(1, int(settings.CAIGOU_1688_SKUS_PER_ORDER))


def split_sizes(count: int, *, limit: int | None = None) -> tuple[int, ...]:
    """`count` SKUs in orders of at most `limit`, full orders first: 71 -> (50, 21)."""
    limit = limit or skus_per_order()
    if count <= 0:
        return ()
    full, rest = divmod(count, limit)
    return (limit,) * full + ((rest,) if rest else ())


def runs(items: Sequence[T]) -> list[list[T]]:
    """One seller's SKUs in runs of at most the limit, in order: one list per upstream order."""
    limit = skus_per_order()
    return [list(items[start : start + limit]) for start in range(0, len(items), limit)]


def parts_of(lines: Sequence[PurchaseOrderLine]) -> list[list[PurchaseOrderLine]]:
    """The lines by seller (in the order first met), each seller's in runs: one list per
    upstream order."""
    sellers: dict[str, list[PurchaseOrderLine]] = {}
    for line in lines:
        sellers.setdefault(line.seller_id, []).append(line)
    return [run for group in sellers.values() for run in runs(group)]


def needs_split(order: PurchaseOrder, lines: Sequence[PurchaseOrderLine] | None = None) -> bool:
    """Whether one create cannot carry this 1688 order: a seller's SKUs past the limit, or
    several sellers on a route that creates one seller at a time. A cart order is the cart's
    (its route splits it upstream)."""
    if order.platform != Platform.ALIBABA or order.source == Source.CART:
        return False
    lines = list(order.lines.all()) if lines is None else lines
    parts = parts_of(lines)
    sellers = {line.seller_id for line in lines}
    if len(parts) > len(sellers):
        return True
    return len(sellers) > 1 and not route_for(order).can(Capability.SEVERAL_SELLERS)
