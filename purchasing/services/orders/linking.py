"""Which upstream sub-order is which of our lines: the link per-line tracking, refunds and
callbacks follow (`PurchaseOrderLine.upstream_sub_order_id`).

Strongest evidence first, each sub-order taken once:
1. the link already made;
2. `itemMapId`, the opaque id a v2 Taobao cart order names each sub-order by (seed 001), equal
   to the id our line was ordered by, with the same SKU;
3. `itemId` (or the 1688 product id) with the same SKU, where the answer names it;
4. the SKU alone, when exactly one of our lines and one unlinked sub-order carry it: a Taobao
   or 1688 SKU id belongs to one item, so it names the goods even when the item id is one we
   never saw (an `itemMapId` for a line ordered by its plain `itemId`).
A line that none of these settles stays unlinked rather than take a neighbour's sub-order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from upstream.types.orders import Order as UpstreamOrder
from upstream.types.orders import OrderLine

if TYPE_CHECKING:
    from purchasing.models import PurchaseOrderLine

Found = tuple[UpstreamOrder, OrderLine]


def _linked(line: PurchaseOrderLine, sub: OrderLine) -> bool:
    return bool(line.upstream_sub_order_id) and line.upstream_sub_order_id == sub.sub_order_id


def _by_item_map_id(line: PurchaseOrderLine, sub: OrderLine) -> bool:
    return bool(sub.item_map_id) and sub.item_map_id == line.item_id and sub.sku_id == line.sku_id


def _by_item_id(line: PurchaseOrderLine, sub: OrderLine) -> bool:
    return bool(sub.item_id) and sub.item_id == line.item_id and sub.sku_id == line.sku_id


RULES: tuple[Callable[[PurchaseOrderLine, OrderLine], bool], ...] = (
    _linked,
    _by_item_map_id,
    _by_item_id,
)


def pair_lines(
    lines: Iterable[PurchaseOrderLine], found: Iterable[UpstreamOrder]
) -> list[tuple[PurchaseOrderLine, UpstreamOrder, OrderLine]]:
    """Our lines paired with the upstream sub-orders that are theirs (see the module)."""
    free_lines = list(lines)
    free_subs: list[Found] = [(upstream, sub) for upstream in found for sub in upstream.lines]
    pairs: list[tuple[PurchaseOrderLine, UpstreamOrder, OrderLine]] = []

    def take(line: PurchaseOrderLine, match: Found) -> None:
        free_lines.remove(line)
        free_subs.remove(match)
        pairs.append((line, *match))

    for rule in RULES:
        for line in list(free_lines):
            match = next((f for f in free_subs if rule(line, f[1])), None)
            if match is not None:
                take(line, match)
    for line in list(free_lines):
        if not line.sku_id or sum(other.sku_id == line.sku_id for other in free_lines) > 1:
            continue
        matches = [f for f in free_subs if f[1].sku_id == line.sku_id]
        if len(matches) == 1:
            take(line, matches[0])
    return pairs
