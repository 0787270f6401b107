"""Goods: searching Taobao/Tmall and 1688 (keyword, shop, picture, marketing lists) and our local
product cache (`product_get`).

Searches are not stored: their results travel to the page as `Card`s and are forgotten. A
product is cached (Product + Sku rows) when someone opens it, because the cart and the order
validate against what the purchaser saw. Everything upstream goes through the platform's route
(purchasing.routes): searches, item details, categories, marketing lists and related goods; a
route that has no such list refuses (`RouteRefused`, `Capability`).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from purchasing.models import Platform, Product, Sku
from purchasing.routes import GoodsQuery, route_for_platform
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError
from upstream.types import goods as upstream_goods

logger = logging.getLogger(__name__)

PLATFORMS = (Platform.TAOBAO.value, Platform.ALIBABA.value)
PAGE_SIZE = 20
SORTS = {
    "": gettext_lazy("Relevance"),
    "price_asc": gettext_lazy("Price: low to high"),
    "price_desc": gettext_lazy("Price: high to low"),
    "sales_desc": gettext_lazy("Sales"),
}
MARKETING_PLATFORM = Platform.ALIBABA.value  # the platform whose marketing lists the page shows
# key -> tab label
MARKETING_LISTS = {
    "global": gettext_lazy("Global strict selection"),
    "strict": gettext_lazy("1688 strict selection"),
    "hot": gettext_lazy("Hot list"),
}
CATEGORY_CACHE_SECONDS = 24 * 60 * 60


# -- what a result card shows -------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    """One result on a search page, whether it came from a search or from our cache."""

    platform: str
    item_id: str
    title: str
    title_en: str = ""
    picture: str = ""
    shop_name: str = ""
    price_fen: int = 0
    price_tiers: tuple[dict, ...] = ()  # ({"start_quantity", "price_fen"}, ...), 1688
    monthly_sales: int | None = None
    min_order_quantity: int = 1
    similarity: int | None = None  # picture search: 0-100
    category_id: str = ""
    category_name: str = ""

    @classmethod
    def from_upstream(cls, product: upstream_goods.Product) -> Card:
        return cls(
            platform=product.platform,
            item_id=product.item_id,
            title=product.title,
            title_en=product.title_en,
            picture=product.picture,
            shop_name=product.shop_name,
            price_fen=product.price_fen,
            price_tiers=tuple(_tier_dicts(product.price_tiers)),
            monthly_sales=product.monthly_sales,
            min_order_quantity=product.min_order_quantity,
            similarity=product.similarity,
            category_id=product.category_id,
            category_name=product.category_name,
        )

    @classmethod
    def from_product(cls, product: Product) -> Card:
        return cls(
            platform=product.platform,
            item_id=product.item_id,
            title=product.title,
            title_en=product.title_en,
            picture=product.pictures[0] if product.pictures else "",
            shop_name=product.shop_name,
            price_fen=product.price_fen,
            price_tiers=tuple(product.price_tiers if len(product.price_tiers) > 1 else ()),
            monthly_sales=product.monthly_sales,
            min_order_quantity=product.min_order_quantity,
            category_id=product.category_id,
        )


@dataclass(frozen=True)
class Results:
    """A page of cards with its paging; `note` says what the upstream could not do."""

    cards: list[Card]
    total: int = 0
    page: int = 1
    total_pages: int = 1
    note: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # seen in the results

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """1 … 4 5 [6] 7 8 … 20: page numbers to link, None where some are left out."""
        last = max(self.total_pages, 1)
        shown = {1, last, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= last):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def _tier_dicts(tiers: Iterable[upstream_goods.PriceTier]) -> list[dict]:
    return [{"start_quantity": t.start_quantity, "price_fen": t.price_fen} for t in tiers]


def _results(page: upstream_goods.SearchPage, *, note: str = "") -> Results:
    cards = [Card.from_upstream(item) for item in page.items]
    categories = {c.category_id: c.category_name for c in cards if c.category_id}
    return Results(
        cards=cards,
        total=page.total,
        page=page.page,
        total_pages=max(page.total_pages, 1),
        note=note,
        categories=sorted(
            ((cid, name or cid) for cid, name in categories.items()), key=lambda c: c[1]
        ),
    )


def _check_platform(platform: str) -> None:
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}")


# -- searching ----------------------------------------------------------------------------
def goods_search(
    *,
    platform: str,
    keyword: str = "",
    shop_id: str = "",
    page: int = 1,
    page_size: int | None = None,
    price_min_fen: int | None = None,
    price_max_fen: int | None = None,
    category_id: str = "",
    sort: str = "",
) -> Results:
    """A page of goods for a keyword, or of one shop's goods (Taobao shopId, 1688 seller).

    Raises upstream.errors.UpstreamError; the caller shows `upstream_message(exc)`."""
    _check_platform(platform)
    page_size = page_size or PAGE_SIZE
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    query = GoodsQuery(
        keyword=keyword,
        shop_id=shop_id,
        page=page,
        page_size=page_size,
        price_min_fen=price_min_fen,
        price_max_fen=price_max_fen,
        category_id=category_id,
        sort=sort,
    )
    found, note = route_for_platform(platform).search(query)
    return _results(found, note=note)


def goods_search_by_picture(
    *, platform: str, image: bytes, page: int = 1, page_size: int = PAGE_SIZE
) -> Results:
    """A page of goods whose pictures look like `image` (PNG, JPEG or WEBP bytes), most similar
    first."""
    _check_platform(platform)
    encoded = base64.b64encode(image).decode("ascii")
    found = route_for_platform(platform).search_by_image(encoded, page_size, page=page)
    return _results(found)


def marketing_list(
    *, kind: str, page: int = 1, page_size: int = PAGE_SIZE, platform: str = MARKETING_PLATFORM
) -> Results:
    """A page of a marketing list: "global", "strict" or "hot". RouteRefused where the
    platform's route has none."""
    _check_platform(platform)
    if kind not in MARKETING_LISTS:
        raise ValueError(f"unknown marketing list {kind!r}")
    return _results(route_for_platform(platform).marketing(kind, page=page, page_size=page_size))


def related_goods(*, platform: str, item_id: str, count: int = 8) -> tuple[list[Card], list[Card]]:
    """Goods related to an item, and those recommended beside it. RouteRefused where the
    platform's route suggests none."""
    _check_platform(platform)
    related, recommended = route_for_platform(platform).related(item_id, count=count)
    return [Card.from_upstream(p) for p in related], [Card.from_upstream(p) for p in recommended]


def categories(*, platform: str) -> list[tuple[str, str]]:
    """The platform's top-level categories as (id, "English · 中文"), kept in the cache for a
    day. RouteRefused where the platform's route has no category list."""
    _check_platform(platform)
    route = route_for_platform(platform)
    # Per provider: 1688 through Dajisaas lists Dajisaas's own tree, through PandaPon PandaPon's.
    key = f"caigou:goods:categories:{platform}:{route.provider}"
    choices = cache.get(key)
    if choices is None:
        choices = [
            (c.category_id, f"{c.name_translated} · {c.name}" if c.name_translated else c.name)
            for c in route.categories()
        ]
        cache.set(key, choices, CATEGORY_CACHE_SECONDS)
    return choices


# -- the local product cache ----------------------------------------------------------------
def cached_product(*, platform: str, item_id: str) -> Product | None:
    """Our cached copy (with its SKUs, in upstream order), however old; None if never fetched."""
    skus = Prefetch("skus", queryset=Sku.objects.order_by("pk"))
    return Product.objects.filter(platform=platform, item_id=item_id).prefetch_related(skus).first()


def is_fresh(product: Product) -> bool:
    age = timezone.now() - product.fetched_at
    return age < timedelta(minutes=settings.CAIGOU_PRODUCT_TTL_MINUTES)


def product_get(*, platform: str, item_id: str, refresh: bool = False) -> Product:
    """The product with its SKUs: our copy while younger than CAIGOU_PRODUCT_TTL_MINUTES (and
    not `refresh`), otherwise fetched from the upstream and stored.

    Raises upstream.errors.UpstreamError (NotFound for an unknown item)."""
    _check_platform(platform)
    item_id = str(item_id).strip()
    if not refresh:
        product = cached_product(platform=platform, item_id=item_id)
        if product is not None and is_fresh(product):
            return product
    fetched = route_for_platform(platform).product(item_id)
    _store(fetched, platform=platform, item_id=item_id)
    return cached_product(platform=platform, item_id=item_id)


def _product_fields(fetched: upstream_goods.Product) -> dict:
    return {
        "title": fetched.title[:300],
        "title_en": fetched.title_en[:300],
        # Taobao: shopId; 1688: the seller's open id (what a shop search takes).
        "shop_id": (fetched.shop_id or fetched.seller_open_id)[:64],
        "shop_name": fetched.shop_name[:200],
        "category_id": fetched.category_id[:32],
        "pictures": list(fetched.pictures),
        "price_fen": fetched.price_fen,
        "price_tiers": _tier_dicts(fetched.price_tiers),
        "min_order_quantity": max(fetched.min_order_quantity, 1),
        "monthly_sales": fetched.monthly_sales,
        "weight_g": fetched.weight_g,
        "domestic_post_fee_fen": fetched.domestic_post_fee_fen,
        "mp_id": fetched.mp_id,
        "raw": fetched.raw,
        "fetched_at": timezone.now(),
    }


def _sku_fields(sku: upstream_goods.Sku, *, listed: bool) -> dict:
    return {
        "spec_id": sku.spec_id,
        "mp_sku_id": sku.mp_sku_id,
        "properties": [
            {
                "name": p.prop_name,
                "name_en": p.prop_name_en,
                "value": p.value_name,
                "value_en": p.value_name_en,
            }
            for p in sku.properties
        ],
        "price_fen": sku.price_fen,
        "stock": max(sku.stock, 0),
        # A delisted product's SKUs cannot be bought, whatever each says.
        "available": sku.available and listed,
        "raw": sku.raw,
    }


SKU_UPDATE_FIELDS = ("spec_id", "mp_sku_id", "properties", "price_fen", "stock", "available", "raw")


@transaction.atomic
def _store(fetched: upstream_goods.Product, *, platform: str, item_id: str) -> None:
    """Upsert the product and its SKUs. SKUs the upstream no longer lists are kept (carts and
    orders may name them) but marked unavailable with no stock."""
    fields = _product_fields(fetched)
    product = Product.objects.select_for_update().filter(platform=platform, item_id=item_id).first()
    created = False
    if product is None:
        try:
            with transaction.atomic():
                product = Product.objects.create(platform=platform, item_id=item_id, **fields)
                created = True
        except IntegrityError:
            # Someone else stored it between our look and our insert: update theirs.
            product = Product.objects.select_for_update().get(platform=platform, item_id=item_id)
    if not created:
        for name, value in fields.items():
            setattr(product, name, value)
        product.save(update_fields=list(fields))

    existing = {sku.sku_id: sku for sku in Sku.objects.filter(product=product)}
    to_create, to_update, seen = [], [], set()
    for sku in fetched.skus:
        if not sku.sku_id or sku.sku_id in seen:
            continue
        seen.add(sku.sku_id)
        values = _sku_fields(sku, listed=fetched.available)
        row = existing.get(sku.sku_id)
        if row is None:
            to_create.append(Sku(product=product, sku_id=sku.sku_id, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    for sku_id, row in existing.items():
        if sku_id not in seen:
            row.available, row.stock = False, 0
            to_update.append(row)
    if to_create:
        Sku.objects.bulk_create(to_create)
    if to_update:
        Sku.objects.bulk_update(to_update, SKU_UPDATE_FIELDS)


def is_delisted(product: Product) -> bool:
    """The upstream says the product is no longer on sale."""
    return route_for_platform(product.platform).delisted(product.raw or {})


def cards_for_items(refs: Iterable) -> tuple[list[Card], list[str]]:
    """Cards for pasted item refs (each fetched through the cache), and one sentence per item
    the upstream could not give."""
    cards, problems = [], []
    for ref in refs:
        try:
            product = product_get(platform=ref.platform, item_id=ref.item_id)
        except UpstreamError as exc:
            problems.append(f"{ref.item_id}: {upstream_message(exc)}")
            continue
        cards.append(Card.from_product(product))
    return cards, problems
