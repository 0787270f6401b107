"""Sandbox handlers: Dajisaas goods (search, picture upload and search, details, the category
query, matching)."""

from __future__ import annotations

from typing import Any

from upstream.sandbox import images
from upstream.sandbox.catalogue import CATEGORIES, CATEGORY_BY_ID, PARENTS
from upstream.sandbox.handlers.goods.payloads import _alibaba_detail, _alibaba_summary, _sku_props
from upstream.sandbox.handlers.goods.search import (
    ALIBABA,
    TAOBAO,
    _by_picture,
    _filtered,
    _page,
    _paging,
    _product,
    _query_hash,
    _ranked,
    _similarity,
    _sort,
)
from upstream.sandbox.router import SandboxCall, SandboxError, handles


@handles("dj_product_keyword_query")
def dj_product_keyword_query(call: SandboxCall) -> dict[str, Any]:
    """`{totalRecords, totalPage, pageSize, currentPage, data[]}` with 1688 search items."""
    page, page_size = _paging(call, "beginPage", "pageNo")
    rows = _ranked(_filtered(call, ALIBABA), str(call.param("keyword")), _sort(call))
    return _page(rows, page, page_size, lambda p: _alibaba_summary(call, p))


@handles("dj_upload_image")
def dj_upload_image(call: SandboxCall) -> dict[str, str]:
    """`{imageId}`: the picture's hash in decimal, which imageQuery decodes again."""
    try:
        data = images.decode_base64(str(call.param("image_base64")))
        if len(data) > 3 * 1024 * 1024:
            raise SandboxError(400, "image_base64 is larger than 3 MB")
        return {"imageId": str(images.hash_of_bytes(data))}
    except images.BadImage as exc:
        raise SandboxError(400, f"image_base64: {exc}") from exc


@handles("dj_upload_image_by_url")
def dj_upload_image_by_url(call: SandboxCall) -> dict[str, str]:
    """`{imageId}`, the POST upload's one documented field, for a picture the platform hosts
    (`imageUrl`): its hash in decimal, which imageQuery decodes again."""
    return {"imageId": str(_query_hash(call, "", "imageUrl"))}


@handles("dj_category_get")
def dj_category_get(call: SandboxCall) -> list[dict[str, Any]]:
    """`[{categoryID, name, level, isLeaf, parentIDs, childCategorys[{id, name, isLeaf,
    categoryType}]}]`: 1688's own category record, with Chinese names only, as the public
    client of upstream-api.md (gh-file#5462219729) reads it, and nothing more. categoryID 0 is
    the root, whose children are the top-level categories."""
    category_id = str(call.param("categoryID")).strip()

    def child(cid: str, name: str, leaf: bool) -> dict[str, Any]:
        return {"id": int(cid), "name": name, "isLeaf": leaf, "categoryType": "1"}

    if category_id == "0":
        name, level, parents, leaf = "全部", 0, [], False
        children = [child(cid, names[0], False) for cid, names in PARENTS.items()]
    elif category_id in PARENTS:
        name, level, parents, leaf = PARENTS[category_id][0], 1, [0], False
        children = [
            child(c.category_id, c.zh, True) for c in CATEGORIES if c.parent_id == category_id
        ]
    elif category_id in CATEGORY_BY_ID:
        found = CATEGORY_BY_ID[category_id]
        name, level, parents, leaf = found.zh, 2, [int(found.parent_id)], True
        children = []
    else:
        raise SandboxError(404, f"category {category_id} not found")
    return [
        {
            "categoryID": int(category_id),
            "name": name,
            "level": level,
            "isLeaf": leaf,
            "parentIDs": parents,
            "childCategorys": children,
        }
    ]


@handles("dj_product_image_query")
def dj_product_image_query(call: SandboxCall) -> dict[str, Any]:
    """Search by an uploaded `imageId` or by `imageAddress` (a picture the sandbox hosts)."""
    page, page_size = _paging(call, "beginPage", "pageNo")
    image_id = str(call.param("imageId", "") or "").strip()
    if image_id:
        if not image_id.isdigit() or int(image_id) >= 2**64:
            raise SandboxError(404, f"image {image_id} not found")
        query = int(image_id)
    else:
        query = _query_hash(call, "", "imageAddress")
    matches = _by_picture(ALIBABA, query)
    return _page(
        matches,
        page,
        page_size,
        lambda m: {**_alibaba_summary(call, m[1]), "similarity": _similarity(m[0])},
    )


@handles("dj_product_detail")
def dj_product_detail(call: SandboxCall) -> dict[str, Any]:
    """queryProductDetail: the same 1688 detail as PandaPon's (prices yuan strings)."""
    return _alibaba_detail(call, _product(ALIBABA, call.param("offerId"), name="offerId"))


@handles("dj_taobao_product_get")
def dj_taobao_product_get(call: SandboxCall) -> dict[str, Any]:
    """The match step (撞库): `{itemId, mpId, itemType, title, quantity, skuList[{skuId, mpId,
    mpSkuId, price, quantity, properties}]}`. itemType is HAVE_MATERIAL when the item has
    several pictures to distribute with, WITHOUT_MATERIAL otherwise. A delisted item cannot be
    matched: 1003. Prices fen strings."""
    product = _product(TAOBAO, call.param("item_id"), name="item_id")
    if not product.available:
        raise SandboxError(1003, f"Taobao item {product.item_id} is off the shelf")
    skus = sorted((s for s in product.skus.all() if s.available), key=lambda s: s.pk)
    return {
        "itemId": product.item_id,
        "mpId": product.mp_id,
        "itemType": "HAVE_MATERIAL" if product.picture_count > 1 else "WITHOUT_MATERIAL",
        "title": product.title,
        "quantity": sum(s.stock for s in skus),
        "skuList": [
            {
                "skuId": sku.sku_id,
                "mpId": product.mp_id,
                "mpSkuId": sku.mp_sku_id,
                "price": str(sku.price_fen),
                "quantity": sku.stock,
                "properties": _sku_props(sku),
            }
            for sku in skus
        ],
    }
