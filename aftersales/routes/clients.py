"""The PandaPon after-sales clients, looked up at each call (tests put a fake in their place)."""

from __future__ import annotations

from upstream import accounts
from upstream.pandapon.aftersales import AlibabaAftersales, TaobaoAftersales


def taobao() -> TaobaoAftersales:
    return accounts.pandapon().taobao_aftersales


def alibaba() -> AlibabaAftersales:
    """1688 refunds, and the voucher upload that pictures of both platforms go through."""
    return accounts.pandapon().alibaba_aftersales
