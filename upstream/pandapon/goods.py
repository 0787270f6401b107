"""PandaPon goods: Taobao goods, 1688 goods and 1688 marketing lists."""

from __future__ import annotations

from upstream.api import Api


class TaobaoGoods(Api):
    """Taobao goods: search, picture search, batch check, get, source."""


class AlibabaGoods(Api):
    """1688 goods: detail, keyword and picture search, seller offers, categories, related."""


class Marketing(Api):
    """1688 marketing lists: global strict selection, 1688 strict selection, hot list."""
