"""Sandbox handlers: 1688 goods (details, searches, categories) and 1688 marketing lists."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlparse

from django.db.models import Q, QuerySet

from upstream.sandbox.catalogue import CATEGORIES, CATEGORY_BY_ID, PARENTS
from upstream.sandbox.handlers.goods.payloads import _alibaba_detail, _alibaba_summary
from upstream.sandbox.handlers.goods.search import (
    ALIBABA,
    MAX_PAGE_SIZE,
    _by_picture,
    _category_filter,
    _filtered,
    _int,
    _language,
    _listed,
    _page,
    _paging,
    _product,
    _query_hash,
    _ranked,
    _similarity,
    _sort,
)
from upstream.sandbox.models import Product, Shop
from upstream.sandbox.router import SandboxCall, SandboxError, handles

RELATED_COUNT = 10


# -- 1688 goods ---------------------------------------------------------------------------
@handles("alibaba_product_detail")
def alibaba_product_detail(call: SandboxCall) -> dict[str, Any]:
    """The offer like 1688's queryProductDetail: prices yuan strings, `weight` kilograms,
    `postFee` yuan; SKUs the seller does not offer are not listed."""
    return _alibaba_detail(call, _product(ALIBABA, call.param("offerId"), name="offerId"))


@handles("alibaba_wangwang_url_decrypt")
def alibaba_wangwang_url_decrypt(call: SandboxCall) -> dict[str, Any]:
    """The chat page behind an encrypted Wangwang link: `{url, loginId, sellerOpenId}`."""
    url = str(call.param("url"))
    uid = (parse_qs(urlparse(url).query).get("uid") or [""])[0]
    shop = Shop.objects.filter(shop_id=uid, platform=ALIBABA).first() if uid else None
    if shop is None:
        raise SandboxError(400, "url is not a Wangwang link the sandbox can decrypt")
    return {
        "url": "https://air.1688.com/app/ocms-fusion-components-1688/def_cbu_web_im/index.html"
        f"?touid=cnalichn{quote(shop.name)}&siteid=cnalichn&status=1#/",
        "loginId": shop.name,
        "sellerOpenId": shop.shop_id,
    }


@handles("alibaba_product_keyword_query")
def alibaba_product_keyword_query(call: SandboxCall) -> dict[str, Any]:
    page, page_size = _paging(call, "beginPage", "pageNo")
    rows = _ranked(_filtered(call, ALIBABA), str(call.param("keyword")), _sort(call))
    return _page(rows, page, page_size, lambda p: _alibaba_summary(call, p))


@handles("alibaba_product_image_query")
def alibaba_product_image_query(call: SandboxCall) -> dict[str, Any]:
    page, page_size = _paging(call, "beginPage", "pageNo")
    matches = _by_picture(ALIBABA, _query_hash(call, "imageBase64", "imageUrl"))
    return _page(
        matches,
        page,
        page_size,
        lambda m: {**_alibaba_summary(call, m[1]), "similarity": _similarity(m[0])},
    )


@handles("alibaba_product_seller_offers")
def alibaba_product_seller_offers(call: SandboxCall) -> dict[str, Any]:
    """A seller's listed offers (`keyword` optional), best sellers first by default."""
    seller = str(call.param("sellerOpenId")).strip()
    if not Shop.objects.filter(platform=ALIBABA, shop_id=seller).exists():
        raise SandboxError(404, f"seller {seller} not found")
    page, page_size = _paging(call, "beginPage", "pageNo")
    products = _filtered(call, ALIBABA, shop__shop_id=seller)
    rows = _ranked(products, str(call.param("keyword", "") or ""), _sort(call))
    return _page(rows, page, page_size, lambda p: _alibaba_summary(call, p))


@handles("alibaba_category_get")
def alibaba_category_get(call: SandboxCall) -> dict[str, Any]:
    """`{categoryId, chineseName, translatedName, language, leaf, level, parentCateId,
    childCategorys[{categoryId, chineseName, translatedName, leaf}]}`; categoryId 0 is the
    root, whose children are the top-level categories. Languages: en, vi (others get en)."""
    category_id = str(call.param("categoryId")).strip()
    language = _language(call, "language", "country")

    def entry(cid: str, names: tuple[str, str, str], **more: Any) -> dict[str, Any]:
        zh, en, vi = names
        translated = {"zh": zh, "vi": vi}.get(language, en)
        return {"categoryId": cid, "chineseName": zh, "translatedName": translated, **more}

    def leaf_entry(c: Any, **more: Any) -> dict[str, Any]:
        return entry(c.category_id, (c.zh, c.en, c.vi), leaf=True, **more)

    if category_id == "0":
        children = [entry(cid, names, leaf=False) for cid, names in PARENTS.items()]
        level, parent, names, leaf = 0, "", ("全部", "All", "Tất cả"), False
    elif category_id in PARENTS:
        children = [leaf_entry(c) for c in CATEGORIES if c.parent_id == category_id]
        level, parent, names, leaf = 1, "0", PARENTS[category_id], False
    elif category_id in CATEGORY_BY_ID:
        found = CATEGORY_BY_ID[category_id]
        children = []
        level, parent, names, leaf = 2, found.parent_id, (found.zh, found.en, found.vi), True
    else:
        raise SandboxError(404, f"category {category_id} not found")
    return entry(
        category_id,
        names,
        language=language,
        leaf=leaf,
        level=level,
        parentCateId=parent,
        childCategorys=children,
    )


@handles("alibaba_product_recommend")
def alibaba_product_recommend(call: SandboxCall) -> list[dict[str, Any]]:
    """Recommended offers (a list): with `offerId`, others of its category; with
    `categoryId`, that category's best sellers; otherwise the best seller of each category."""
    page_size = _int(call, "pageSize", 20, high=MAX_PAGE_SIZE)
    offer_id = str(call.param("offerId", "") or "")
    if offer_id:
        return _related(call, _product(ALIBABA, offer_id, name="offerId"), 1, page_size)
    category_id = str(call.param("categoryId", "") or "")
    products = _listed(ALIBABA).order_by("-monthly_sales", "item_id")
    if category_id:
        rows = list(products.filter(_category_filter(category_id))[:page_size])
    else:
        best: dict[str, Product] = {}
        for product in products:
            best.setdefault(product.category_id, product)
        rows = list(best.values())[:page_size]
    return [_alibaba_summary(call, p) for p in rows]


def _related(call: SandboxCall, product: Product, page: int, size: int) -> list[dict[str, Any]]:
    rows = (
        _listed(product.platform)
        .filter(category_id=product.category_id)
        .exclude(pk=product.pk)
        .order_by("-monthly_sales", "item_id")
    )[(page - 1) * size : page * size]
    return [_alibaba_summary(call, p) for p in rows]


@handles("alibaba_product_related")
def alibaba_product_related(call: SandboxCall) -> list[dict[str, Any]]:
    """Other offers of the same category, best sellers first (a list, paged by pageNo)."""
    product = _product(ALIBABA, call.param("offerId"), name="offerId")
    page = _int(call, "pageNo", 1)
    return _related(call, product, page, _int(call, "pageSize", RELATED_COUNT, high=MAX_PAGE_SIZE))


# -- 1688 marketing -----------------------------------------------------------------------
# Curated lists, deterministic for a catalogue: cross-border picks are one-piece-sale offers of
# apparel, shoes, bags and accessories; strict selection is offers of long-standing sellers
# (here: factories and manufacturers); the hot list is simply the best sellers.
GLOBAL_PARENTS = ("10166", "10165", "127418001", "1042954", "54")


def _marketing(call: SandboxCall, products: QuerySet[Product]) -> dict[str, Any]:
    page, page_size = _paging(call, "beginPage", "pageNo")
    category_id = str(call.param("categoryId", "") or "").strip()
    if category_id:
        products = products.filter(_category_filter(category_id))
    rows = list(products.order_by("-monthly_sales", "item_id")[:200])
    return _page(rows, page, page_size, lambda p: _alibaba_summary(call, p))


@handles("alibaba_marketing_global_strict")
def alibaba_marketing_global_strict(call: SandboxCall) -> dict[str, Any]:
    """Cross-border strict selection: a v2 page of 1688 offers that sell one piece."""
    leaves = [c.category_id for c in CATEGORIES if c.parent_id in GLOBAL_PARENTS]
    products = _listed(ALIBABA).filter(category_id__in=leaves, min_order_quantity=1)
    return _marketing(call, products.filter(monthly_sales__gte=10))


@handles("alibaba_marketing_strict")
def alibaba_marketing_strict(call: SandboxCall) -> dict[str, Any]:
    """1688 strict selection: a v2 page of offers from factories and manufacturers."""
    makers = Q(shop__name__contains="厂") | Q(shop__name__contains="实业")
    return _marketing(call, _listed(ALIBABA).filter(makers))


@handles("alibaba_marketing_hot")
def alibaba_marketing_hot(call: SandboxCall) -> dict[str, Any]:
    """The hot list: a v2 page of the best-selling offers (at most 200)."""
    return _marketing(call, _listed(ALIBABA).filter(monthly_sales__gt=0))
