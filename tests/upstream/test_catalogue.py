"""The sandbox catalogue: deterministic, idempotent, believable; pictures and their hashes."""

from __future__ import annotations

import io
import time
from collections import Counter

import pytest
from django.core.management import call_command
from PIL import Image

from upstream.sandbox import images
from upstream.sandbox.catalogue import CATEGORY_BY_ID, seed_catalogue
from upstream.sandbox.models import Platform, Product, Shop, Sku

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    products = [
        (
            p.platform,
            p.item_id,
            p.mp_id,
            p.title,
            p.title_en,
            p.shop.shop_id,
            p.shop.name,
            p.category_id,
            p.price_fen,
            p.price_tiers,
            p.min_order_quantity,
            p.monthly_sales,
            p.weight_g,
            p.domestic_post_fee_fen,
            p.picture_key,
            p.picture_count,
            p.image_signature,
            p.available,
        )
        for p in Product.objects.select_related("shop").order_by("platform", "item_id")
    ]
    skus = list(
        Sku.objects.order_by("product__item_id", "sku_id").values_list(
            "product__item_id",
            "sku_id",
            "spec_id",
            "mp_sku_id",
            "properties",
            "price_fen",
            "stock",
            "available",
        )
    )
    return products + skus


def test_same_arguments_make_the_same_catalogue_and_a_second_run_adds_nothing():
    started = time.monotonic()
    assert seed_catalogue(products=60) == 60
    assert time.monotonic() - started < 1.5  # tests seed it often
    first = _snapshot()
    assert seed_catalogue(products=60) == 0
    assert _snapshot() == first

    Shop.objects.all().delete()
    assert seed_catalogue(products=60) == 60
    assert _snapshot() == first


def test_a_smaller_catalogue_is_a_prefix_and_another_seed_is_another_catalogue():
    seed_catalogue(products=20)
    small = set(Product.objects.values_list("item_id", flat=True))
    assert seed_catalogue(products=30) == 10
    assert small < set(Product.objects.values_list("item_id", flat=True))

    assert seed_catalogue(products=10, seed=2) == 10
    assert Product.objects.count() == 40


def test_products_look_like_taobao_items_and_1688_offers():
    seed_catalogue(products=200)
    taobao = Product.objects.filter(platform=Platform.TAOBAO)
    alibaba = Product.objects.filter(platform=Platform.ALIBABA)
    assert taobao.count() == alibaba.count() == 100

    for product in taobao:
        assert len(product.item_id) == 12 and product.item_id[0] in "67"
        assert len(product.mp_id) == 19 and not product.price_tiers
        assert product.shop.shop_id.isdigit() and product.min_order_quantity == 1
        assert all(len(s.mp_sku_id) == 19 and not s.spec_id for s in product.skus.all())
    for product in alibaba:
        assert len(product.item_id) == 12 and product.item_id.startswith("5")
        assert product.shop.shop_id.startswith("BBB") and not product.mp_id
        assert 1 <= product.min_order_quantity <= 10
        starts = [t["startQuantity"] for t in product.price_tiers]
        prices = [t["priceFen"] for t in product.price_tiers]
        assert starts[0] == product.min_order_quantity and starts == sorted(starts)
        assert prices == sorted(prices, reverse=True)
        assert all(len(s.spec_id) == 32 and len(s.sku_id) == 13 for s in product.skus.all())
    assert any(len(p.price_tiers) == 3 for p in alibaba)
    assert any(len(p.price_tiers) == 1 for p in alibaba)  # priced by SKU

    for product in Product.objects.all():
        category = CATEGORY_BY_ID[product.category_id]
        assert category.zh in product.title and category.en in product.title_en
        assert product.title_en[0].isupper() and product.price_fen > 0
        assert 1 <= product.picture_count <= 4
        assert len(product.image_signature) == 16 * product.picture_count
        skus = list(product.skus.all())
        assert skus and product.price_fen == min(s.price_fen for s in skus)
        assert any(s.available and s.stock for s in skus)
        names = [tuple(p["propName"] for p in s.properties) for s in skus]
        assert names[0][0] == "颜色分类" and len(set(names)) == 1

    everything = Sku.objects.all()
    assert everything.filter(stock=0, available=True).exists()  # sold out
    assert everything.filter(available=False).exists()  # not offered any more
    assert Product.objects.filter(available=False).exists()  # delisted
    first_ones = Product.objects.filter(platform=Platform.TAOBAO).order_by("pk")[:5]
    assert all(p.available for p in first_ones)
    assert len(Counter(Product.objects.values_list("category_id", flat=True))) >= 15
    assert Product.objects.filter(picture_key__endswith="~").exists()  # resellers


def test_pictures_are_deterministic_pngs_whose_hash_is_the_signature():
    seed_catalogue(products=10)
    product = Product.objects.order_by("pk").first()

    data = images.png_bytes(product.picture_key, 1)
    images.png_bytes.cache_clear()
    assert images.png_bytes(product.picture_key, 1) == data
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "PNG" and picture.size == (320, 320)
        assert len(picture.getcolors(1_000) or []) >= 2
    assert images.hash_of_bytes(data) == int(product.image_signature[:16], 16)


def test_near_duplicates_are_near_and_other_pictures_are_far():
    seed_catalogue(products=120)
    reseller = Product.objects.filter(picture_key__endswith="~").order_by("pk").first()
    supplier_key = reseller.picture_key.rstrip("~")
    near = images.distance(
        int(images.picture_hash(images.render(reseller.picture_key, 1)), 16),
        int(images.picture_hash(images.render(supplier_key, 1)), 16),
    )
    assert near <= 16

    hashes = [
        int(p.image_signature[:16], 16) for p in Product.objects.exclude(picture_key__endswith="~")
    ]
    far = [images.distance(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1 :]]
    assert sum(far) / len(far) > 20


def test_sandbox_seed_command_reports_what_it_created():
    out = io.StringIO()
    call_command("sandbox_seed", products=30, stdout=out)
    assert "Created 30 products" in out.getvalue()
    assert "15 Taobao items, 15 1688 offers" in out.getvalue()

    out = io.StringIO()
    call_command("sandbox_seed", products=30, stdout=out)
    assert "already has these 30 products" in out.getvalue()
