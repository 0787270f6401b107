"""Sandbox handlers: Taobao goods, 1688 goods, 1688 marketing lists, Dajisaas goods.

Documented shapes are followed where the docs give them (upstream-api.md 1.5.1, 1.5.5, 2.4,
2.5); elsewhere this is our contract, parsed by `upstream.types.goods`:

Money: Taobao payloads carry fen as strings (`"3990"`, like `purchaseAmount`); 1688 payloads
(PandaPon and Dajisaas) carry yuan as strings (`"39.90"`, like 1688 itself). Price filters in
requests (`priceStart`, `priceEnd`) are yuan on both platforms. Picture URLs are absolute.

Pages: every search answers the v2 page `{totalRecords, totalPage, pageSize, currentPage,
data[]}` (Taobao search too: its shape is not documented, so it follows PandaPon's v2 pages).
Paging parameters are `pageNo` (Taobao) or `beginPage` (1688; `pageNo` also accepted) and
`pageSize` (default 20, at most 50).

Search items:
- Taobao: `{itemId, mpId, title, titleEn, mainImageUrl, price, monthSales, shopId, shopName,
  categoryId, categoryName, location}`; picture search adds `similarity` (0-100).
- 1688: `{offerId, subject, subjectTrans, imageUrl, priceInfo{price, jxhyPrice,
  consignPrice}, monthSold, isOnePsale, repurchaseRate, minOrderQuantity, sellerOpenId,
  topCategoryId, thirdCategoryId}`; picture search adds `similarity`.

Sort: `{"price":"asc"}`, `{"price":"desc"}`, `{"monthSold":"desc"}` (JSON string, as the 1688
docs) or the words `price_asc`, `price_desc`, `sales_desc`. Without a sort, keyword searches
rank by relevance (the keyword in the Chinese title, the English title, the category) and then
by monthly sales. Delisted products never appear in searches; their details still answer, with
`status` `OFF_SHELF` (Taobao) or `expired` (1688).

Picture search hashes the uploaded picture (base64, or the URL of one of the sandbox's own
pictures; other URLs are refused with 400 because the sandbox never fetches from the internet)
and ranks products by the Hamming distance to their pictures' hashes (images.py), nearest first;
pictures further than MATCH_DISTANCE bits are not similar enough to list. Dajisaas' uploaded
picture id is the hash itself in decimal, so the sandbox stores nothing for an upload.
"""

from __future__ import annotations

from upstream.sandbox.handlers.goods.alibaba import (
    alibaba_category_get,
    alibaba_marketing_global_strict,
    alibaba_marketing_hot,
    alibaba_marketing_strict,
    alibaba_product_detail,
    alibaba_product_image_query,
    alibaba_product_keyword_query,
    alibaba_product_recommend,
    alibaba_product_related,
    alibaba_product_seller_offers,
    alibaba_wangwang_url_decrypt,
)
from upstream.sandbox.handlers.goods.dajisaas import (
    dj_product_detail,
    dj_product_image_query,
    dj_product_keyword_query,
    dj_taobao_product_get,
    dj_upload_image,
)
from upstream.sandbox.handlers.goods.search import MATCH_DISTANCE
from upstream.sandbox.handlers.goods.taobao import (
    taobao_product_batch_check,
    taobao_product_get,
    taobao_product_image_search,
    taobao_product_search,
    taobao_product_source_get,
)

__all__ = [
    "MATCH_DISTANCE",
    "alibaba_category_get",
    "alibaba_marketing_global_strict",
    "alibaba_marketing_hot",
    "alibaba_marketing_strict",
    "alibaba_product_detail",
    "alibaba_product_image_query",
    "alibaba_product_keyword_query",
    "alibaba_product_recommend",
    "alibaba_product_related",
    "alibaba_product_seller_offers",
    "alibaba_wangwang_url_decrypt",
    "dj_product_detail",
    "dj_product_image_query",
    "dj_product_keyword_query",
    "dj_taobao_product_get",
    "dj_upload_image",
    "taobao_product_batch_check",
    "taobao_product_get",
    "taobao_product_image_search",
    "taobao_product_search",
    "taobao_product_source_get",
]
