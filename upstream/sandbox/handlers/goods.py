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

import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

from django.db.models import Q, QuerySet

from upstream.sandbox import images
from upstream.sandbox.catalogue import CATEGORIES, CATEGORY_BY_ID, PARENTS
from upstream.sandbox.models import Platform, Product, Shop, Sku
from upstream.sandbox.router import SandboxCall, SandboxError, handles

TAOBAO = Platform.TAOBAO.value
ALIBABA = Platform.ALIBABA.value
MAX_PAGE_SIZE = 50
MATCH_DISTANCE = 16  # of 64 bits; unrelated pictures differ by about 29 on average
RELATED_COUNT = 10


# -- parameters ---------------------------------------------------------------------------
def _int(call: SandboxCall, name: str, default: int, *, low: int = 1, high: int = 10**9) -> int:
    value = call.param(name, "")
    if value in ("", None):
        return default
    try:
        number = int(str(value))
    except ValueError as exc:
        raise SandboxError(400, f"{name} must be a whole number") from exc
    if not low <= number <= high:
        raise SandboxError(400, f"{name} must be between {low} and {high}")
    return number


def _paging(call: SandboxCall, *names: str) -> tuple[int, int]:
    page = 1
    for name in names:
        if call.param(name, "") not in ("", None):
            page = _int(call, name, 1)
            break
    return page, _int(call, "pageSize", 20, high=MAX_PAGE_SIZE)


def _yuan_param(call: SandboxCall, name: str) -> int | None:
    value = call.param(name, "")
    if value in ("", None):
        return None
    try:
        return int((Decimal(str(value)) * 100).to_integral_value())
    except InvalidOperation as exc:
        raise SandboxError(400, f"{name} must be an amount in yuan") from exc


def _sort(call: SandboxCall) -> str:
    """`price_asc`, `price_desc`, `sales_desc` or "" (relevance)."""
    value = call.json_param("sort", "") or ""
    if isinstance(value, dict) and value:
        field, direction = next(iter(value.items()))
        field = {"monthSold": "sales", "sales": "sales", "price": "price"}.get(field, "")
        direction = str(direction).lower()
        if field == "price" and direction in ("asc", "desc"):
            return f"price_{direction}"
        if field == "sales":
            return "sales_desc"
        raise SandboxError(400, "sort must be by price (asc or desc) or monthSold (desc)")
    value = str(value).strip().lower()
    if value in ("", "relevance", "default"):
        return ""
    aliases = {"sales": "sales_desc", "monthsold": "sales_desc"}
    aliases.update((name, name) for name in ("price_asc", "price_desc", "sales_desc"))
    if value not in aliases:
        raise SandboxError(400, "sort must be price_asc, price_desc or sales_desc")
    return aliases[value]


def _language(call: SandboxCall, *names: str) -> str:
    for name in names:
        value = str(call.param(name, "") or "").lower()
        if value:
            return value
    return "en"


# -- finding products ---------------------------------------------------------------------
def _product(platform: str, item_id: Any, *, name: str) -> Product:
    item_id = str(item_id or "").strip()
    if not item_id.isdigit():
        raise SandboxError(400, f"{name} must be a numeric id")
    product = (
        Product.objects.select_related("shop")
        .prefetch_related("skus")
        .filter(platform=platform, item_id=item_id)
        .first()
    )
    if product is None:
        what = "Taobao item" if platform == TAOBAO else "1688 offer"
        raise SandboxError(404, f"{what} {item_id} not found")
    return product


def _listed(platform: str) -> QuerySet[Product]:
    return Product.objects.filter(platform=platform, available=True).select_related("shop")


def _category_filter(category_id: str) -> Q:
    if category_id in PARENTS:
        return Q(category_id__in=[c.category_id for c in CATEGORIES if c.parent_id == category_id])
    return Q(category_id=category_id)


TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tokens(keyword: str) -> list[str]:
    return [t for t in TOKEN.findall(keyword.lower()) if t]


def _token_score(token: str, title: str, title_en: str, category: str) -> float:
    if token in title:
        return 3.0
    if token in title_en:
        return 2.0
    if token in category:
        return 1.0
    if CJK.search(token) and len(token) > 2:
        # "纯棉T恤" against "新款纯棉宽松女装T恤": Chinese has no spaces, so match by bigrams.
        grams = {token[i : i + 2] for i in range(len(token) - 1)}
        found = sum(1 for g in grams if g in title or g in category)
        if found * 2 >= len(grams):
            return 2.0 * found / len(grams)
    return 0.0


def _ranked(products: Iterable[Product], keyword: str, sort: str) -> list[Product]:
    """Products matching the keyword, by relevance then sales (or by the requested sort)."""
    rows = list(products)
    tokens = _tokens(keyword)
    if tokens:
        phrase = keyword.strip().lower()
        scored: list[tuple[float, bool, Product]] = []
        for product in rows:
            title, title_en = product.title.lower(), product.title_en.lower()
            category = product.search_text  # lower-cased titles, category and its parent
            scores = [_token_score(t, title, title_en, category) for t in tokens]
            if any(scores):
                bonus = 3.0 if phrase in title or phrase in title_en else 0.0
                scored.append((sum(scores) + bonus, all(scores), product))
        # Every word must match; when nothing matches them all, any word will do.
        strict = [entry for entry in scored if entry[1]]
        chosen = strict or scored
        chosen.sort(key=lambda e: (-e[0], -e[2].monthly_sales, e[2].item_id))
        rows = [entry[2] for entry in chosen]
    elif not sort:
        sort = "sales_desc"
    if sort == "price_asc":
        rows.sort(key=lambda p: (p.price_fen, -p.monthly_sales, p.item_id))
    elif sort == "price_desc":
        rows.sort(key=lambda p: (-p.price_fen, -p.monthly_sales, p.item_id))
    elif sort == "sales_desc":
        rows.sort(key=lambda p: (-p.monthly_sales, p.item_id))
    return rows


def _filtered(call: SandboxCall, platform: str, **extra: Any) -> QuerySet[Product]:
    products = _listed(platform).filter(**extra)
    low, high = _yuan_param(call, "priceStart"), _yuan_param(call, "priceEnd")
    if low is not None:
        products = products.filter(price_fen__gte=low)
    if high is not None:
        products = products.filter(price_fen__lte=high)
    category_id = str(call.param("categoryId", "") or "").strip()
    if category_id:
        products = products.filter(_category_filter(category_id))
    return products


def _page(
    rows: list[Any], page: int, page_size: int, render: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    total = len(rows)
    start = (page - 1) * page_size
    return {
        "totalRecords": total,
        "totalPage": math.ceil(total / page_size) if total else 0,
        "pageSize": page_size,
        "currentPage": page,
        "data": [render(row) for row in rows[start : start + page_size]],
    }


# -- pictures -----------------------------------------------------------------------------
def _pictures(call: SandboxCall, product: Product) -> list[str]:
    return [
        images.picture_url(call.request, product.platform, product.item_id, n)
        for n in range(1, product.picture_count + 1)
    ]


def _main_picture(call: SandboxCall, product: Product) -> str:
    return images.picture_url(call.request, product.platform, product.item_id, 1)


def _query_hash(call: SandboxCall, base64_name: str, url_name: str) -> int:
    """The hash of the picture a search was given: uploaded bytes or one of our own URLs."""
    encoded = call.param(base64_name, "")
    try:
        if encoded:
            return images.hash_of_bytes(images.decode_base64(str(encoded)))
    except images.BadImage as exc:
        raise SandboxError(400, f"{base64_name}: {exc}") from exc
    url = str(call.param(url_name, "") or "")
    found = images.parse_picture_url(url)
    if found is None:
        raise SandboxError(400, f"{url_name} must be a picture the platform hosts")
    platform, item_id, n = found
    product = Product.objects.filter(platform=platform, item_id=item_id).first()
    if product is None or not 1 <= n <= product.picture_count:
        raise SandboxError(404, f"{url_name}: no such picture")
    key = product.picture_key or f"{platform}:{item_id}"
    return int(images.picture_hash(images.render(key, n)), 16)


def _by_picture(platform: str, query: int) -> list[tuple[int, Product]]:
    """Listed products whose pictures are near the query hash, nearest first."""
    rows = _listed(platform).exclude(image_signature="")
    matches = []
    for product in rows:
        distance = images.best_distance(query, product.image_signature)
        if distance <= MATCH_DISTANCE:
            matches.append((distance, product))
    matches.sort(key=lambda m: (m[0], -m[1].monthly_sales, m[1].item_id))
    return matches


def _similarity(distance: int) -> int:
    return round(100 * (64 - distance) / 64)


# -- Taobao payloads ----------------------------------------------------------------------
def _taobao_properties(product: Product, skus: list[Sku]) -> list[dict[str, Any]]:
    """The property table `[{propId, propName, values[{valueId, valueName}]}]` of an item."""
    table: dict[str, dict[str, Any]] = {}
    for sku in skus:
        for prop in sku.properties:
            entry = table.setdefault(
                prop["propId"],
                {
                    "propId": prop["propId"],
                    "propName": prop["propName"],
                    "propNameEn": prop.get("propNameEn", ""),
                    "values": [],
                },
            )
            if all(v["valueId"] != prop["valueId"] for v in entry["values"]):
                value = {"valueId": prop["valueId"], "valueName": prop["valueName"]}
                entry["values"].append({**value, "valueNameEn": prop.get("valueNameEn", "")})
    return list(table.values())


def _sku_props(sku: Sku, english: bool = False) -> list[dict[str, str]]:
    """`[{propId, propName, valueId, valueName, propNameEn, valueNameEn}]`: the documented
    cart-add property fields, plus English names."""
    return [
        {
            "propId": p["propId"],
            "propName": p.get("propNameEn", "") if english else p["propName"],
            "valueId": p["valueId"],
            "valueName": p.get("valueNameEn", "") if english else p["valueName"],
            "propNameEn": p.get("propNameEn", ""),
            "valueNameEn": p.get("valueNameEn", ""),
        }
        for p in sku.properties
    ]


def _taobao_summary(call: SandboxCall, product: Product) -> dict[str, Any]:
    return {
        "itemId": product.item_id,
        "mpId": product.mp_id,
        "title": product.title,
        "titleEn": product.title_en,
        "mainImageUrl": _main_picture(call, product),
        "price": str(product.price_fen),
        "monthSales": product.monthly_sales,
        "shopId": product.shop.shop_id,
        "shopName": product.shop.name,
        "categoryId": product.category_id,
        "categoryName": product.category_name,
        "location": f"{product.shop.province} {product.shop.city}".strip(),
    }


def _taobao_detail(call: SandboxCall, product: Product, *, english: bool = False) -> dict:
    skus = sorted(product.skus.all(), key=lambda s: s.pk)
    return {
        "itemId": product.item_id,
        "mpId": product.mp_id,
        "title": product.title_en if english else product.title,
        "titleEn": product.title_en,
        "picUrls": _pictures(call, product),
        "mainImageUrl": _main_picture(call, product),
        "price": str(product.price_fen),
        "promotionPrice": str(product.price_fen),
        "quantity": sum(s.stock for s in skus if s.available) if product.available else 0,
        "status": "ON_SALE" if product.available else "OFF_SHELF",
        "shopId": product.shop.shop_id,
        "shopName": product.shop.name_en if english else product.shop.name,
        "location": f"{product.shop.province} {product.shop.city}".strip(),
        "categoryId": product.category_id,
        "categoryName": product.category_name_en if english else product.category_name,
        "monthSales": product.monthly_sales,
        "weight": product.weight_g,  # grams
        "postFee": str(product.domestic_post_fee_fen),
        "properties": _taobao_properties(product, skus),
        "skuList": [
            {
                "skuId": sku.sku_id,
                "mpSkuId": sku.mp_sku_id,
                "price": str(sku.price_fen),
                "promotionPrice": str(sku.price_fen),
                "quantity": sku.stock if sku.available and product.available else 0,
                "status": "normal" if sku.available else "invalid",
                "properties": _sku_props(sku, english),
                "picUrl": _main_picture(call, product),
            }
            for sku in skus
        ],
    }


# -- 1688 payloads ------------------------------------------------------------------------
def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def _alibaba_summary(call: SandboxCall, product: Product) -> dict[str, Any]:
    category = CATEGORY_BY_ID.get(product.category_id)
    return {
        "offerId": product.item_id,
        "subject": product.title,
        "subjectTrans": product.title_en,
        "imageUrl": _main_picture(call, product),
        "priceInfo": {
            "price": _yuan(product.price_fen),
            "jxhyPrice": _yuan(product.price_fen * 97 // 100),
            "consignPrice": _yuan(product.price_fen),
        },
        "monthSold": product.monthly_sales,
        "isOnePsale": product.min_order_quantity == 1,
        "repurchaseRate": f"{int(product.item_id) % 40 + 5}%",
        "minOrderQuantity": product.min_order_quantity,
        "sellerOpenId": product.shop.shop_id,
        "topCategoryId": category.parent_id if category else "",
        "thirdCategoryId": product.category_id,
    }


def _wangwang_url(shop: Shop) -> str:
    # The "encrypted" Wangwang link 1688 hands out: the seller is hidden in `uid`.
    return (
        "https://amos.alicdn.com/getcid.aw?v=3&groupid=0&s=1&charset=utf-8"
        f"&site=cnalichn&uid={shop.shop_id}"
    )


def _alibaba_detail(call: SandboxCall, product: Product) -> dict[str, Any]:
    skus = sorted((s for s in product.skus.all() if s.available), key=lambda s: s.pk)
    tiers = product.price_tiers or [
        {"startQuantity": product.min_order_quantity, "priceFen": product.price_fen}
    ]
    return {
        "offerId": product.item_id,
        "categoryId": product.category_id,
        "categoryName": product.category_name,
        "categoryNameTrans": product.category_name_en,
        "subject": product.title,
        "subjectTrans": product.title_en,
        "status": "published" if product.available else "expired",
        "productImage": {"images": _pictures(call, product)},
        "productSkuInfos": [
            {
                "skuId": sku.sku_id,
                "specId": sku.spec_id,
                "price": _yuan(sku.price_fen),
                "consignPrice": _yuan(sku.price_fen),
                "amountOnSale": sku.stock if product.available else 0,
                "skuAttributes": [
                    {
                        "attributeId": p["propId"],
                        "attributeName": p["propName"],
                        "attributeNameTrans": p.get("propNameEn", ""),
                        "value": p["valueName"],
                        "valueTrans": p.get("valueNameEn", ""),
                    }
                    for p in sku.properties
                ],
            }
            for sku in skus
        ],
        "productSaleInfo": {
            "amountOnSale": sum(s.stock for s in skus) if product.available else 0,
            "priceRangeList": [
                {"startQuantity": tier["startQuantity"], "price": _yuan(tier["priceFen"])}
                for tier in tiers
            ],
            "quoteType": 1 if len(tiers) > 1 else 0,  # 1: by quantity, 0: by SKU
            "unitInfo": {"unit": "件", "transUnit": "piece"},
        },
        "productShippingInfo": {
            "weight": float(Decimal(product.weight_g) / 1000),  # kilograms, as 1688 gives it
            "postFee": _yuan(product.domestic_post_fee_fen),
            "sendGoodsAddressText": f"{product.shop.province}省 {product.shop.city}市",
            "shippingTimeGuarantee": "shipIn48Hours",
        },
        "monthSold": product.monthly_sales,
        "sellerOpenId": product.shop.shop_id,
        "companyName": product.shop.name,
        "wangwangUrl": _wangwang_url(product.shop),
        "minOrderQuantity": product.min_order_quantity,
        "batchNumber": 1,
    }


# -- Taobao goods -------------------------------------------------------------------------
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


# -- Dajisaas -----------------------------------------------------------------------------
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
