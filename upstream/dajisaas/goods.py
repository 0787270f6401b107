"""Dajisaas goods: 1688 search, picture search and detail, and the Taobao match step."""

from __future__ import annotations

from upstream.api import Api
from upstream.types.goods import Product, SearchPage, TaobaoMatch, UploadedImage

MAX_PAGE_SIZE = 50  # Dajisaas caps keyword search pages at 50


class DajisaasGoods(Api):
    """1688 goods through Dajisaas, and the Taobao product match (mpId/mpSkuId)."""

    def keyword_query(
        self, *, keyword: str, page: int = 1, page_size: int = 20, country: str = "en"
    ) -> SearchPage:
        """1688 keyword search (relevance, then sales)."""
        params = {
            "keyword": keyword,
            "beginPage": page,
            "pageSize": min(page_size, MAX_PAGE_SIZE),
            "country": country,
        }
        reply = self._call("dj_product_keyword_query", params)
        return SearchPage.from_page(reply.data, Product.from_alibaba_summary)

    def upload_image(self, *, image_base64: str) -> UploadedImage:
        """Upload a picture (JPG/PNG/WEBP, at most 3 MB) for `image_query(image_id=...)`."""
        reply = self._call("dj_upload_image", {"image_base64": image_base64})
        return UploadedImage.from_dajisaas(reply.data)

    def image_query(
        self, *, image_id: str = "", image_address: str = "", page: int = 1, page_size: int = 20
    ) -> SearchPage:
        """1688 offers like an uploaded picture (`image_id`) or a 1688-hosted one."""
        if bool(image_id) == bool(image_address):
            raise ValueError("give exactly one of image_id and image_address")
        params = {"beginPage": page, "pageSize": page_size}
        params.update({"imageId": image_id} if image_id else {"imageAddress": image_address})
        reply = self._call("dj_product_image_query", params)
        return SearchPage.from_page(reply.data, Product.from_alibaba_summary)

    def product_detail(self, *, offer_id: str, country: str = "en") -> Product:
        """The 1688 offer with SKUs (specId), price tiers, minimum order and shipping facts."""
        params = {"offerId": offer_id, "country": country}
        return Product.from_alibaba(self._call("dj_product_detail", params).data)

    def taobao_product_get(self, *, item_id: str) -> TaobaoMatch:
        """Match a Taobao item (撞库): its itemType and the mpId/mpSkuId needed to order it."""
        reply = self._call("dj_taobao_product_get", {"item_id": item_id})
        return TaobaoMatch.from_dajisaas(reply.data)
