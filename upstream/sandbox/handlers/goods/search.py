"""Goods search: request parameters, finding and ranking products, and picture search."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet

from upstream.sandbox import images
from upstream.sandbox.catalogue import CATEGORIES, PARENTS
from upstream.sandbox.models import Platform, Product
from upstream.sandbox.router import SandboxCall, SandboxError

TAOBAO = Platform.TAOBAO.value
ALIBABA = Platform.ALIBABA.value
MAX_PAGE_SIZE = 50
MATCH_DISTANCE = 16  # of 64 bits; unrelated pictures differ by about 29 on average


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
