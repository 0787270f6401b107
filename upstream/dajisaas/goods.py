"""Dajisaas goods: 1688 search, picture search and detail, and the Taobao match step."""

from __future__ import annotations

from upstream.api import Api


class DajisaasGoods(Api):
    """1688 goods through Dajisaas, and the Taobao product match (mpId/mpSkuId)."""
