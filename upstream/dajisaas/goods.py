"""Dajisaas goods: 1688 search, picture upload (by POST and by GET) and search, detail, the
category query, and the Taobao match step."""

from __future__ import annotations

from upstream import errors
from upstream.api import Api
from upstream.types.goods import Category, Product, SearchPage, TaobaoMatch, UploadedImage

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

    def upload_image_url(self, *, image_url: str) -> UploadedImage:
        """Upload a picture by its address (the menu's "Image upload By Get", ASSUMED path and
        field) for `image_query(image_id=...)`."""
        reply = self._call("dj_upload_image_by_url", {"imageUrl": image_url})
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

    def category(self, *, category_id: str = "0") -> Category:
        """A 1688 category with its children (ASSUMED path, see operations.toml); "0" is the
        root, whose children are the top-level categories."""
        reply = self._call("dj_category_get", {"categoryID": category_id})
        # The answer is a list of category records: the one asked for.
        found = [Category.from_dajisaas(c) for c in reply.data or [] if isinstance(c, dict)]
        if not found:
            raise errors.NotFound(
                f"no category {category_id}", code=404, operation="dj_category_get"
            )
        return found[0]

    def taobao_product_get(self, *, item_id: str) -> TaobaoMatch:
        """Match a Taobao item (撞库): its itemType and the mpId/mpSkuId needed to order it."""
        reply = self._call("dj_taobao_product_get", {"item_id": item_id})
        return TaobaoMatch.from_dajisaas(reply.data)
