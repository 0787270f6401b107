"""The catalogue generator: ids, shops, titles, SKUs and prices, and seeding the database."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from upstream.sandbox import images
from upstream.sandbox.catalogue.tables import (
    CATEGORIES,
    CITY_EN,
    COLOUR_PROP,
    COLOURS,
    GENERAL_WORDS,
    HOME_CITIES,
    PARENTS,
    SPECS,
    SUPPLIER_KINDS,
    SUPPLIER_NAMES,
    TAOBAO_SHOP_HEADS,
    TAOBAO_SHOP_TAILS,
    WHOLESALE_WORDS,
    CategoryDef,
)
from upstream.sandbox.db import atomic
from upstream.sandbox.models import Platform, Product, Shop, Sku

PER_SHOP = 8
ALWAYS_ORDERABLE = 10  # products 0..9 are never delisted and their first SKU is in stock


def _digits(*parts: object, length: int) -> int:
    """A stable pseudo-random number of `length` digits from the parts (first digit 1-9)."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:12], "big") % (9 * 10 ** (length - 1)) + 10 ** (length - 1)


def taobao_item_id(seed: int, k: int) -> str:
    # A bijection of k onto 6xxxxxxxxxxx-7xxxxxxxxxxx, so that ids never collide within a seed.
    return str(6 * 10**11 + ((k + 1) * 37_851_940_631 + seed * 7_919_000_003) % (2 * 10**11))


def alibaba_offer_id(seed: int, k: int) -> str:
    return str(5 * 10**11 + ((k + 1) * 61_803_398_877 + seed * 7_901_000_033) % 10**11)


def taobao_shop_id(seed: int, s: int) -> str:
    return str(10**8 + ((s + 1) * 123_456_791 + seed * 7_777_777) % (9 * 10**8))


def seller_open_id(seed: int, s: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    number = int(hashlib.sha256(f"seller:{seed}:{s}".encode()).hexdigest(), 16)
    chars = []
    for _ in range(22):
        number, rest = divmod(number, len(alphabet))
        chars.append(alphabet[rest])
    return "BBB" + "".join(chars)


def _round_price(fen: int, platform: str) -> int:
    if platform == Platform.TAOBAO:
        return max(190, fen // 100 * 100 - 10)  # 39.90, 59.90: shop prices end in .90
    return max(50, fen // 10 * 10)  # wholesale prices to the jiao


@dataclass
class _Shop:
    shop_id: str
    platform: str
    name: str
    name_en: str
    province: str
    city: str
    main_parent: str
    main_categories: tuple[CategoryDef, ...]


def _shop(seed: int, platform: str, s: int) -> _Shop:
    rng = random.Random(f"caigou:{seed}:shop:{platform}:{s}")
    parent = rng.choice(sorted(PARENTS))
    main = tuple(c for c in CATEGORIES if c.parent_id == parent)
    province, city = rng.choice(HOME_CITIES[parent])
    if platform == Platform.TAOBAO:
        head, tail = rng.choice(TAOBAO_SHOP_HEADS), rng.choice(TAOBAO_SHOP_TAILS)
        return _Shop(
            taobao_shop_id(seed, s),
            platform,
            head[0] + tail[0],
            f"{head[1]} {tail[1]}",
            province,
            city,
            parent,
            main,
        )
    name, kind = rng.choice(SUPPLIER_NAMES), rng.choice(SUPPLIER_KINDS)
    return _Shop(
        seller_open_id(seed, s),
        platform,
        f"{city}市{name[0]}{kind[0]}",
        f"{CITY_EN[city]} {name[1]} {kind[1]}",
        province,
        city,
        parent,
        main,
    )


def _title(rng: random.Random, cat: CategoryDef, platform: str) -> tuple[str, str]:
    words = rng.sample(cat.words, k=min(len(cat.words), rng.randint(1, 3)))
    general = rng.choice(GENERAL_WORDS)
    zh_parts = [general[0], *(w[0] for w in words), cat.zh]
    en_parts = [general[1], *(w[1] for w in words), cat.en]
    if platform == Platform.ALIBABA:
        trade = rng.choice(WHOLESALE_WORDS)
        zh_parts.insert(0, trade[0])
        en_parts.insert(0, trade[1])
    en = " ".join(en_parts)
    return "".join(zh_parts), en[0].upper() + en[1:]


def _prop(prop: tuple[str, str, str], value: tuple[str, str]) -> dict[str, str]:
    return {
        "propId": prop[0],
        "propName": prop[1],
        "propNameEn": prop[2],
        "valueId": str(_digits("value", prop[0], value[0], length=9)),
        "valueName": value[0],
        "valueNameEn": value[1],
    }


def _build(
    seed: int, i: int, shops: dict[tuple[str, int], _Shop]
) -> tuple[_Shop, Product, list[Sku]]:
    """Product number i: (shop, Product, [Sku]) without saving anything."""
    platform = Platform.TAOBAO if i % 2 == 0 else Platform.ALIBABA
    k = i // 2
    s = k // PER_SHOP
    shop = shops.get((platform, s))
    if shop is None:
        shop = shops[(platform, s)] = _shop(seed, platform, s)
    rng = random.Random(f"caigou:{seed}:product:{i}")
    cat = rng.choice(shop.main_categories) if rng.random() < 0.75 else rng.choice(CATEGORIES)
    title, title_en = _title(rng, cat, platform)
    orderable = k < ALWAYS_ORDERABLE // 2
    wholesale = platform == Platform.ALIBABA

    base = rng.randint(*cat.price_fen)
    if wholesale:
        base = base * rng.randint(35, 60) // 100
    base = _round_price(base, platform)

    colours = rng.sample(COLOURS, k=rng.randint(1, 4))
    prop_id, prop_name, prop_name_en, values = SPECS[cat.spec]
    first = rng.randrange(len(values))
    spec_values = values[first : first + rng.randint(1, min(5, len(values)))]
    spec_prop = (prop_id, prop_name, prop_name_en)

    if platform == Platform.TAOBAO:
        item_id = taobao_item_id(seed, k)
        mp_id = str(_digits("mp", seed, item_id, length=19))
    else:
        item_id = alibaba_offer_id(seed, k)
        mp_id = ""
    moq = rng.choice((1, 1, 2, 3, 5, 10)) if wholesale else 1
    tiers: list[dict[str, int]] = []
    if wholesale:
        if rng.random() < 0.7:
            # 1-49, 50-199 and 200 or more pieces (from the minimum order on).
            tiers = [
                {"startQuantity": q, "priceFen": _round_price(base * f // 100, platform)}
                for q, f in ((moq, 100), (50, 92), (200, 85))
            ]
        else:
            tiers = [{"startQuantity": moq, "priceFen": base}]

    skus: list[Sku] = []
    for colour in colours:
        for si, value in enumerate(spec_values):
            n = len(skus)
            sku_rng = random.Random(f"caigou:{seed}:sku:{i}:{n}")
            if len(tiers) > 1:
                price = tiers[0]["priceFen"]
            else:
                # Bigger sizes and longer cables cost a little more.
                price = _round_price(base + base * si * sku_rng.randint(3, 10) // 100, platform)
                if n == 0:
                    price = base
            stock = sku_rng.randint(200, 99_999) if wholesale else sku_rng.randint(5, 3_000)
            roll = sku_rng.random()
            available = True
            if n > 0 or not orderable:
                if roll < 0.05:
                    available, stock = False, 0  # a combination the shop does not offer
                elif roll < 0.13:
                    stock = 0
            sku_id = str(_digits("sku", seed, item_id, n, length=13))
            skus.append(
                Sku(
                    sku_id=sku_id,
                    spec_id=hashlib.md5(f"{item_id}:{sku_id}".encode()).hexdigest()
                    if wholesale
                    else "",
                    mp_sku_id="" if wholesale else str(_digits("mpsku", seed, sku_id, length=19)),
                    properties=[
                        _prop(COLOUR_PROP, colour),
                        _prop(spec_prop, value),
                    ],
                    price_fen=price,
                    stock=stock,
                    available=available,
                )
            )
    if not any(sku.available and sku.stock for sku in skus):
        skus[0].available, skus[0].stock = True, rng.randint(10, 500)

    picture_key = f"{platform}:{item_id}"
    if platform == Platform.TAOBAO and k > 0 and rng.random() < 0.3:
        # A reseller: its pictures are a supplier's, framed and badged (near-duplicates).
        source = alibaba_offer_id(seed, rng.randrange(0, k))
        picture_key = f"{Platform.ALIBABA}:{source}{images.RESELLER_MARK}"
    picture_count = 1 + _digits("pictures", picture_key.rstrip(images.RESELLER_MARK), length=4) % 4
    sales_scale = rng.choice((10, 100, 1_000, 10_000))
    product = Product(
        platform=platform,
        item_id=item_id,
        mp_id=mp_id,
        title=title,
        title_en=title_en,
        category_id=cat.category_id,
        category_name=cat.zh,
        category_name_en=cat.en,
        price_fen=min(sku.price_fen for sku in skus),
        price_tiers=tiers,
        min_order_quantity=moq,
        monthly_sales=rng.randint(0, sales_scale),
        weight_g=rng.randint(*cat.weight_g) // 10 * 10,
        domestic_post_fee_fen=rng.choice((0, 0, 300, 500, 600, 800, 1000)),
        picture_count=picture_count,
        picture_key=picture_key,
        image_signature=images.signature(picture_key, picture_count),
        search_text=" ".join(
            (title, title_en, cat.zh, cat.en, PARENTS[cat.parent_id][0], PARENTS[cat.parent_id][1])
        ).lower(),
        available=orderable or rng.random() > 0.02,
    )
    return shop, product, skus


def seed_catalogue(*, products: int = 2000, seed: int = 1) -> int:
    """Create the first `products` products of catalogue `seed` that do not exist yet.

    Deterministic and idempotent: returns how many products it created (0 the second time).
    """

    def ident(i: int) -> tuple[str, str]:
        if i % 2 == 0:
            return Platform.TAOBAO, taobao_item_id(seed, i // 2)
        return Platform.ALIBABA, alibaba_offer_id(seed, i // 2)

    wanted = {ident(i): i for i in range(products)}
    existing = set(
        Product.objects.filter(item_id__in=[item for _, item in wanted]).values_list(
            "platform", "item_id"
        )
    )
    shops: dict[tuple[str, int], _Shop] = {}
    missing = [_build(seed, i, shops) for key, i in wanted.items() if key not in existing]
    if not missing:
        return 0
    with atomic():
        shop_ids = {shop.shop_id for shop, _, _ in missing}
        rows = {s.shop_id: s for s in Shop.objects.filter(shop_id__in=shop_ids)}
        new_shops = []
        for shop, _, _ in missing:
            if shop.shop_id not in rows:
                rows[shop.shop_id] = Shop(
                    platform=shop.platform,
                    shop_id=shop.shop_id,
                    name=shop.name,
                    name_en=shop.name_en,
                    province=shop.province,
                    city=shop.city,
                )
                new_shops.append(rows[shop.shop_id])
        Shop.objects.bulk_create(new_shops, batch_size=500)
        if new_shops and new_shops[0].pk is None:  # backends that do not return keys
            rows = {s.shop_id: s for s in Shop.objects.filter(shop_id__in=shop_ids)}
        for shop, product, _ in missing:
            product.shop = rows[shop.shop_id]
        Product.objects.bulk_create([p for _, p, _ in missing], batch_size=500)
        if missing[0][1].pk is None:
            keys = dict(
                Product.objects.filter(item_id__in=[p.item_id for _, p, _ in missing]).values_list(
                    "item_id", "pk"
                )
            )
            for _, product, _ in missing:
                product.pk = keys[product.item_id]
        skus = []
        for _, product, product_skus in missing:
            for sku in product_skus:
                sku.product = product
                skus.append(sku)
        Sku.objects.bulk_create(skus, batch_size=1000)
    return len(missing)
