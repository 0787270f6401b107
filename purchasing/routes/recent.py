"""Upstream answers kept for seconds in this process, so that a burst of orders of the same goods
(a storefront's best seller, all bound for the agent's one warehouse) asks the upstream once.

Only answers that something later checks again are kept: a product read builds draft lines (the
preview prices them again), a preview is what a person or a policy accepts (the create carries the
accepted total as its budget where the route can, and the read before every pay stops an order
whose upstream total moved). A create, a pay and the read before a pay are never kept.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from django.conf import settings

if TYPE_CHECKING:
    from purchasing.models import PurchaseOrder, PurchaseOrderLine

T = TypeVar("T")


class Recent(Generic[T]):
    """Answers by key, each kept for the number of seconds its setting names (0: none kept).
    Bounded. The upstream call runs outside the lock: two threads may both make it, never wait
    on each other's call. A call that raises keeps nothing."""

    MOST = 2_000

    def __init__(self, seconds_setting: str) -> None:
        self._setting = seconds_setting
        self._lock = threading.Lock()
        self._known: dict[Hashable, tuple[float, T]] = {}

    def get(self, key: Hashable, call: Callable[[], T], *, reuse: bool = True) -> T:
        """The answer kept for `key`, else `call()`'s, kept. `reuse=False` always calls, and
        keeps the newer answer for the next one."""
        fresh = getattr(settings, self._setting)
        if fresh <= 0:
            return call()
        with self._lock:
            known = self._known.get(key)
        if reuse and known is not None and time.monotonic() - known[0] <= fresh:
            return known[1]
        answer = call()
        with self._lock:
            if len(self._known) >= self.MOST:
                self._known.clear()
            self._known[key] = (time.monotonic(), answer)
        return answer

    def forget(self) -> None:
        with self._lock:
            self._known.clear()


recent_products: Recent = Recent("CAIGOU_PRODUCT_READ_FRESH_SECONDS")
recent_previews: Recent = Recent("CAIGOU_PREVIEW_REUSE_SECONDS")


def preview_key(order: PurchaseOrder, lines: Sequence[PurchaseOrderLine]) -> str:
    """Everything a route's preview sends: where the goods go, where they come from (the cart
    or item ids) and each line's goods, seller and quantity."""
    fields = ("cart_id", "item_id", "sku_id", "spec_id", "mp_sku_id", "seller_id", "quantity")
    goods = [[getattr(line, name) for name in fields] for line in lines]
    return json.dumps([order.source, order.address, goods], sort_keys=True, default=str)
