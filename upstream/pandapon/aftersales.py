"""PandaPon after-sales: Taobao reverse orders and 1688 refunds."""

from __future__ import annotations

from upstream.api import Api


class TaobaoAftersales(Api):
    """Taobao reverse orders: render, submit, modify, cancel, messages, return logistics."""


class AlibabaAftersales(Api):
    """1688 refunds: reasons, vouchers, create, detail, return goods, logistics companies."""
