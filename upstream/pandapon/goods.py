"""PandaPon goods: Taobao goods, 1688 goods and 1688 marketing lists."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal

from upstream.api import Api
from upstream.types.goods import (
    BatchCheck,
    Category,
    Product,
    SearchPage,
    WangwangChat,
)

Sort = Literal["", "price_asc", "price_desc", "sales_desc"]
ALIBABA_SORTS = {
    "price_asc": {"price": "asc"},
    "price_desc": {"price": "desc"},
    "sales_desc": {"monthSold": "desc"},
}


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else f"{Decimal(fen) / 100:.2f}"


def _image(image_base64: str, image_url: str) -> dict[str, str]:
    if bool(image_base64) == bool(image_url):
        raise ValueError("give exactly one of image_base64 and image_url")
    return {"imageBase64": image_base64} if image_base64 else {"imageUrl": image_url}


def _compact(params: Mapping[str, Any]) -> dict[str, Any]:
    """Leave out what the caller did not ask for (None and empty strings)."""
    return {key: value for key, value in params.items() if value not in (None, "")}


class TaobaoGoods(Api):
    """Taobao goods: search, picture search, batch check, get, source."""

    def search(
        self,
        *,
        keyword: str = "",
        shop_id: str = "",
        page: int = 1,
        page_size: int = 20,
        price_min_fen: int | None = None,
        price_max_fen: int | None = None,
        category_id: str = "",
        sort: Sort = "",
    ) -> SearchPage:
        """Keyword search (relevance, then sales, unless `sort`); `shop_id` lists one shop."""
        if not keyword and not shop_id:
            raise ValueError("give a keyword or a shop_id")
        params = {
            "keyword": keyword,
            "shopId": shop_id,
            "pageNo": page,
            "pageSize": page_size,
            "priceStart": _yuan(price_min_fen),
            "priceEnd": _yuan(price_max_fen),
            "categoryId": category_id,
            "sort": sort,
        }
        reply = self._call("taobao_product_search", _compact(params))
        return SearchPage.from_page(reply.data, Product.from_taobao_summary)

    def search_by_image(
        self, *, image_base64: str = "", image_url: str = "", page: int = 1, page_size: int = 20
    ) -> SearchPage:
        """Items whose pictures look like the given one, most similar first."""
        params = {**_image(image_base64, image_url), "pageNo": page, "pageSize": page_size}
        reply = self._call("taobao_product_image_search", params)
        return SearchPage.from_page(reply.data, Product.from_taobao_summary)

    def batch_check(self, *, items: Mapping[str, Iterable[str]] | Iterable[str]) -> BatchCheck:
        """Which items can be bought (with their mpId); `items` maps itemId to skuIds
        (empty: all SKUs), or is a plain list of itemIds."""
        if isinstance(items, Mapping):
            wanted = [
                {"itemId": str(i), "skuIds": [str(s) for s in skus]} for i, skus in items.items()
            ]
        else:
            wanted = [{"itemId": str(i), "skuIds": []} for i in items]
        params = {"params": json.dumps(wanted, separators=(",", ":"))}
        return BatchCheck.from_taobao(self._call("taobao_product_batch_check", params).data)

    def product_get(self, *, item_id: str) -> Product:
        """The item with its mpId and SKUs (mpSkuId, price, stock)."""
        return Product.from_taobao(self._call("taobao_product_get", {"itemId": item_id}).data)

    def source_get(self, *, item_id: str, language: str = "en") -> Product:
        """The item translated into `language`: the translation lands in `title_en`."""
        params = {"itemId": item_id, "language": language}
        return Product.from_taobao_source(self._call("taobao_product_source_get", params).data)


class AlibabaGoods(Api):
    """1688 goods: detail, keyword and picture search, seller offers, categories, related."""

    def product_detail(self, *, offer_id: str, country: str = "en") -> Product:
        """The offer with its SKUs (specId), price tiers, minimum order and shipping facts."""
        params = {"offerId": offer_id, "country": country}
        return Product.from_alibaba(self._call("alibaba_product_detail", params).data)

    def wangwang_url_decrypt(self, *, url: str) -> WangwangChat:
        """The chat page behind an encrypted Wangwang link (from a detail's `wangwangUrl`)."""
        return WangwangChat.from_alibaba(
            self._call("alibaba_wangwang_url_decrypt", {"url": url}).data
        )

    def keyword_query(
        self,
        *,
        keyword: str,
        page: int = 1,
        page_size: int = 20,
        price_min_fen: int | None = None,
        price_max_fen: int | None = None,
        category_id: str = "",
        sort: Sort = "",
        country: str = "en",
    ) -> SearchPage:
        """Keyword search (relevance, then sales, unless `sort`)."""
        params = {
            "keyword": keyword,
            "beginPage": page,
            "pageSize": page_size,
            "country": country,
            "priceStart": _yuan(price_min_fen),
            "priceEnd": _yuan(price_max_fen),
            "categoryId": category_id,
            "sort": _alibaba_sort(sort),
        }
        reply = self._call("alibaba_product_keyword_query", _compact(params))
        return SearchPage.from_page(reply.data, Product.from_alibaba_summary)

    def image_query(
        self, *, image_base64: str = "", image_url: str = "", page: int = 1, page_size: int = 20
    ) -> SearchPage:
        """Offers whose pictures look like the given one, most similar first."""
        params = {**_image(image_base64, image_url), "beginPage": page, "pageSize": page_size}
        reply = self._call("alibaba_product_image_query", params)
        return SearchPage.from_page(reply.data, Product.from_alibaba_summary)

    def seller_offers(
        self,
        *,
        seller_open_id: str,
        keyword: str = "",
        page: int = 1,
        page_size: int = 20,
        sort: Sort = "",
        country: str = "en",
    ) -> SearchPage:
        """A seller's other offers."""
        params = {
            "sellerOpenId": seller_open_id,
            "keyword": keyword,
            "beginPage": page,
            "pageSize": page_size,
            "sort": _alibaba_sort(sort),
            "country": country,
        }
        reply = self._call("alibaba_product_seller_offers", _compact(params))
        return SearchPage.from_page(reply.data, Product.from_alibaba_summary)

    def category_get(self, *, category_id: str, language: str = "en") -> Category:
        """A category with its Chinese and translated names and its children ("0": the root)."""
        params = {"categoryId": category_id, "language": language}
        return Category.from_alibaba(self._call("alibaba_category_get", params).data, language)

    def recommend(
        self,
        *,
        offer_id: str = "",
        category_id: str = "",
        page_size: int = 20,
        language: str = "en",
    ) -> list[Product]:
        """Recommended offers: like `offer_id`, best of `category_id`, or best of each category."""
        params = {
            "offerId": offer_id,
            "categoryId": category_id,
            "pageSize": page_size,
            "language": language,
        }
        data = self._call("alibaba_product_recommend", _compact(params)).data
        return [Product.from_alibaba_summary(item) for item in data or []]

    def related(
        self, *, offer_id: str, page: int = 1, page_size: int = 10, language: str = "en"
    ) -> list[Product]:
        """Offers related to `offer_id` (the same category), best sellers first."""
        params = {"offerId": offer_id, "pageNo": page, "pageSize": page_size, "language": language}
        data = self._call("alibaba_product_related", params).data
        return [Product.from_alibaba_summary(item) for item in data or []]


def _alibaba_sort(sort: Sort) -> str:
    if not sort:
        return ""
    return json.dumps(ALIBABA_SORTS[sort], separators=(",", ":"))


class Marketing(Api):
    """1688 marketing lists: global strict selection, 1688 strict selection, hot list."""

    def global_strict(
        self, *, page: int = 1, page_size: int = 20, category_id: str = ""
    ) -> SearchPage:
        """Cross-border strict selection (跨境严选)."""
        params = _list_params(page, page_size, category_id)
        reply = self._call("alibaba_marketing_global_strict", params)
        return SearchPage.from_page(reply.data, Product.from_alibaba_summary)

    def strict(self, *, page: int = 1, page_size: int = 20, category_id: str = "") -> SearchPage:
        """1688 strict selection (1688严选)."""
        reply = self._call("alibaba_marketing_strict", _list_params(page, page_size, category_id))
        return SearchPage.from_page(reply.data, Product.from_alibaba_summary)

    def hot(self, *, page: int = 1, page_size: int = 20, category_id: str = "") -> SearchPage:
        """The hot list (热销榜): best-selling offers."""
        reply = self._call("alibaba_marketing_hot", _list_params(page, page_size, category_id))
        return SearchPage.from_page(reply.data, Product.from_alibaba_summary)


def _list_params(page: int, page_size: int, category_id: str) -> dict[str, Any]:
    return _compact({"beginPage": page, "pageSize": page_size, "categoryId": category_id})
