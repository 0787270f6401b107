"""Typed upstream goods: products of both platforms, their SKUs, search pages and categories.

Money is integer fen: Taobao payloads carry fen (strings), 1688 payloads carry yuan (strings),
converted with `yuan_to_fen`. Ids are strings. The payload shapes are documented in
`upstream.sandbox.handlers.goods`.
"""

from upstream.types.goods.products import ALIBABA, TAOBAO, PriceTier, Product, Sku, SkuProperty
from upstream.types.goods.results import (
    BatchCheck,
    Category,
    SearchPage,
    TaobaoMatch,
    UploadedImage,
    WangwangChat,
)

__all__ = [
    "ALIBABA",
    "TAOBAO",
    "BatchCheck",
    "Category",
    "PriceTier",
    "Product",
    "SearchPage",
    "Sku",
    "SkuProperty",
    "TaobaoMatch",
    "UploadedImage",
    "WangwangChat",
]
