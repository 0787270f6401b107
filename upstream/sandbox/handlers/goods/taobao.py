"""Sandbox handlers: Taobao goods (search, picture search, batch check, details)."""

from __future__ import annotations

from typing import Any

from upstream.sandbox.handlers.goods.payloads import _taobao_detail, _taobao_summary
from upstream.sandbox.handlers.goods.search import (
    TAOBAO,
    _by_picture,
    _filtered,
    _language,
    _page,
    _paging,
    _product,
    _query_hash,
    _ranked,
    _similarity,
    _sort,
)
from upstream.sandbox.models import Product
from upstream.sandbox.router import SandboxCall, SandboxError, handles


@handles("taobao_product_search")
def taobao_product_search(call: SandboxCall) -> dict[str, Any]:
    """Keyword search, or a shop's goods with `shopId` (keyword then optional)."""
    page, page_size = _paging(call, "pageNo", "beginPage")
    extra = {}
    shop_id = str(call.param("shopId", "") or "").strip()
    if shop_id:
        extra["shop__shop_id"] = shop_id
    keyword = str(call.param("keyword", "") or "")
    rows = _ranked(_filtered(call, TAOBAO, **extra), keyword, _sort(call))
    return _page(rows, page, page_size, lambda p: _taobao_summary(call, p))


@handles("taobao_product_image_search")
def taobao_product_image_search(call: SandboxCall) -> dict[str, Any]:
    page, page_size = _paging(call, "pageNo", "beginPage")
    matches = _by_picture(TAOBAO, _query_hash(call, "imageBase64", "imageUrl"))
    return _page(
        matches,
        page,
        page_size,
        lambda m: {**_taobao_summary(call, m[1]), "similarity": _similarity(m[0])},
    )


@handles("taobao_product_batch_check")
def taobao_product_batch_check(call: SandboxCall) -> dict[str, Any]:
    """`params`: JSON string of `[{itemId, skuIds[]}]` (empty skuIds: every SKU).

    Items the distribution catalogue cannot sell go to `noMpProductItemIds` with a reason in
    `noMpReasonList[{itemId, reason}]`: ITEM_NOT_FOUND, ITEM_OFF_SHELF, SKU_NOT_FOUND.
    """
    wanted = call.json_param("params")
    if isinstance(wanted, dict):
        wanted = [wanted]
    if not isinstance(wanted, list) or not all(isinstance(w, dict) for w in wanted):
        raise SandboxError(400, "params must be a JSON list of {itemId, skuIds}")
    if len(wanted) > 50:
        raise SandboxError(400, "params may hold at most 50 items")
    products: list[dict[str, Any]] = []
    missing: list[str] = []
    reasons: list[dict[str, str]] = []

    def refuse(item_id: str, reason: str) -> None:
        missing.append(item_id)
        reasons.append({"itemId": item_id, "reason": reason})

    for entry in wanted:
        item_id = str(entry.get("itemId") or "").strip()
        product = (
            Product.objects.select_related("shop")
            .prefetch_related("skus")
            .filter(platform=TAOBAO, item_id=item_id)
            .first()
        )
        if product is None:
            refuse(item_id, "ITEM_NOT_FOUND")
            continue
        if not product.available:
            refuse(item_id, "ITEM_OFF_SHELF")
            continue
        detail = _taobao_detail(call, product)
        sku_ids = {str(s) for s in entry.get("skuIds") or []}
        if sku_ids:
            detail["skuList"] = [s for s in detail["skuList"] if s["skuId"] in sku_ids]
            if not detail["skuList"]:
                refuse(item_id, "SKU_NOT_FOUND")
                continue
        products.append(detail)
    return {"mpProducts": products, "noMpProductItemIds": missing, "noMpReasonList": reasons}


@handles("taobao_product_get")
def taobao_product_get(call: SandboxCall) -> dict[str, Any]:
    """The item with `mpId`, its property table and `skuList[{skuId, mpSkuId, price,
    quantity, status, properties}]`; prices fen strings, `weight` grams, `postFee` fen."""
    return _taobao_detail(call, _product(TAOBAO, call.param("itemId"), name="itemId"))


@handles("taobao_product_source_get")
def taobao_product_source_get(call: SandboxCall) -> dict[str, Any]:
    """The item as its source describes it, translated into `language` (zh: untranslated).

    Same shape as product get, plus `language` and `originalTitle`; `title`, shop, category
    and SKU property names are in the requested language (English for any language but zh).
    """
    product = _product(TAOBAO, call.param("itemId"), name="itemId")
    language = _language(call, "language")
    english = language != "zh"
    return {
        **_taobao_detail(call, product, english=english),
        "language": language,
        "originalTitle": product.title,
    }
