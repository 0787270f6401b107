"""How an order splits into upstream orders: 1688 takes one supplier per order and at most
MAX_SKUS_PER_1688_ORDER SKUs in it. The preview, the checkout pages and the carts all ask here."""

from __future__ import annotations

MAX_SKUS_PER_1688_ORDER = 50


def split_sizes(count: int, *, limit: int = MAX_SKUS_PER_1688_ORDER) -> tuple[int, ...]:
    """`count` SKUs in orders of at most `limit`, full orders first: 71 -> (50, 21)."""
    if count <= 0:
        return ()
    full, rest = divmod(count, limit)
    return (limit,) * full + ((rest,) if rest else ())
