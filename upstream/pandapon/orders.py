"""PandaPon orders: Taobao purchase orders and 1688 orders."""

from __future__ import annotations

from upstream.api import Api


class TaobaoOrders(Api):
    """Taobao purchase orders: create, list, pay, cancel, detail, logistics."""


class AlibabaOrders(Api):
    """1688 orders: preview, create (single or across merchants), pay, cancel, trace, receipt."""
