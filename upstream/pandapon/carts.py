"""PandaPon carts: the upstream's Taobao and 1688 shopping carts."""

from __future__ import annotations

from upstream.api import Api


class TaobaoCart(Api):
    """Taobao cart: list, add, edit, delete, preview and create an order."""


class AlibabaCart(Api):
    """1688 cart: list, add, edit, delete, preview and create an order."""
