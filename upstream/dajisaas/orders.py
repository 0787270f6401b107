"""Dajisaas orders: 1688 cross-border orders and Taobao purchase orders."""

from __future__ import annotations

from upstream.api import Api


class DajisaasOrders(Api):
    """1688 orders through Dajisaas: preview, createCrossOrder, detail, list, cancel, pay."""


class DajisaasTaobaoOrders(Api):
    """Taobao purchase orders through Dajisaas: cancel and batch pay."""
