"""1688 goods over real HTTP: search, picture search, details, categories and marketing lists
against the sandbox catalogue."""

from __future__ import annotations

import pytest

from tests.upstream.factories import altered_picture, first_product, listed_products
from upstream import errors
from upstream.sandbox import images
from upstream.sandbox.catalogue import CATEGORY_BY_ID, seed_catalogue
from upstream.sandbox.handlers.goods import MATCH_DISTANCE
from upstream.sandbox.models import Platform, Product, Shop

ALIBABA = Platform.ALIBABA


@pytest.fixture
def catalogue(sandbox):
    seed_catalogue(products=60)
    return sandbox


# -- 1688 ------------------------------------------------------------------------------------
@pytest.mark.covers("alibaba_product_detail")
def test_alibaba_detail_converts_yuan_tiers_weight_and_skus(catalogue):
    row = next(
        p for p in Product.objects.filter(platform=ALIBABA).order_by("pk") if len(p.price_tiers) > 1
    )

    product = catalogue.pandapon.alibaba_goods.product_detail(offer_id=row.item_id)

    assert product.platform == "1688" and product.item_id == row.item_id
    assert product.title == row.title and product.title_en == row.title_en
    assert product.seller_open_id == row.shop.shop_id and product.shop_name == row.shop.name
    assert product.category_id == row.category_id
    assert [(t.start_quantity, t.price_fen) for t in product.price_tiers] == [
        (t["startQuantity"], t["priceFen"]) for t in row.price_tiers
    ]
    assert product.min_order_quantity == row.min_order_quantity
    assert product.weight_g == row.weight_g
    assert product.domestic_post_fee_fen == row.domestic_post_fee_fen
    assert product.price_fen == row.price_fen
    assert product.unit_price_fen(10_000) == row.price_tiers[-1]["priceFen"]
    assert product.unit_price_fen(row.min_order_quantity) == row.price_tiers[0]["priceFen"]
    offered = list(row.skus.filter(available=True).order_by("pk"))
    assert [(s.sku_id, s.spec_id, s.stock) for s in product.skus] == [
        (s.sku_id, s.spec_id, s.stock) for s in offered
    ]
    assert product.skus[0].properties[0].value_name_en
    assert product.raw["productSaleInfo"]["priceRangeList"][0]["price"] == (
        f"{row.price_tiers[0]['priceFen'] / 100:.2f}"
    )
    with pytest.raises(errors.NotFound):
        catalogue.pandapon.alibaba_goods.product_detail(offer_id="500000000001")


@pytest.mark.covers("alibaba_product_detail", "alibaba_wangwang_url_decrypt")
def test_alibaba_wangwang_link_decrypts_to_the_sellers_chat(catalogue):
    row = first_product(ALIBABA)
    detail = catalogue.pandapon.alibaba_goods.product_detail(offer_id=row.item_id)

    chat = catalogue.pandapon.alibaba_goods.wangwang_url_decrypt(url=detail.raw["wangwangUrl"])

    assert chat.seller_open_id == row.shop.shop_id and chat.login_id == row.shop.name
    assert chat.url.startswith("https://air.1688.com/") and "touid=cnalichn" in chat.url
    with pytest.raises(errors.BadRequest):
        catalogue.pandapon.alibaba_goods.wangwang_url_decrypt(url="https://example.com/?uid=x")


@pytest.mark.covers("alibaba_product_keyword_query")
def test_alibaba_keyword_query_ranks_filters_and_sorts(catalogue):
    goods = catalogue.pandapon.alibaba_goods
    row = first_product(ALIBABA)
    keyword = row.category_name

    page = goods.keyword_query(keyword=keyword, page_size=50)

    in_title = sorted(
        listed_products(ALIBABA).filter(title__contains=keyword),
        key=lambda p: (-p.monthly_sales, p.item_id),
    )
    assert [p.item_id for p in page.items[: len(in_title)]] == [p.item_id for p in in_title]
    first = page.items[0]
    db = Product.objects.get(platform=ALIBABA, item_id=first.item_id)
    assert first.price_fen == db.price_fen and first.monthly_sales == db.monthly_sales
    assert first.seller_open_id == db.shop.shop_id
    assert first.min_order_quantity == db.min_order_quantity

    by_sales = goods.keyword_query(keyword="wholesale", sort="sales_desc", page_size=50)
    sales = [p.monthly_sales for p in by_sales.items]
    assert sales == sorted(sales, reverse=True) and by_sales.total
    priced = goods.keyword_query(keyword=keyword, price_max_fen=2000, sort="price_desc")
    prices = [p.price_fen for p in priced.items]
    assert prices == sorted(prices, reverse=True) and all(p <= 2000 for p in prices)
    assert priced.raw["pageSize"] == 20 and priced.raw["currentPage"] == 1

    with pytest.raises(errors.BadRequest):
        goods.keyword_query(keyword=keyword, page_size=500)


@pytest.mark.covers("alibaba_product_image_query")
def test_alibaba_picture_search_finds_the_offer_from_an_altered_copy(catalogue):
    row = Product.objects.filter(platform=ALIBABA).order_by("pk")[3]

    page = catalogue.pandapon.alibaba_goods.image_query(
        image_base64=altered_picture(row, size=480, fmt="PNG")
    )

    assert page.items[0].item_id == row.item_id
    assert all(p.platform == "1688" for p in page.items)
    assert page.items[0].similarity >= 100 * (64 - MATCH_DISTANCE) // 64

    by_url = catalogue.pandapon.alibaba_goods.image_query(
        image_url=images.picture_url(None, ALIBABA, row.item_id, row.picture_count)
    )
    assert by_url.items[0].item_id == row.item_id and by_url.items[0].similarity == 100


@pytest.mark.covers("alibaba_product_seller_offers")
def test_alibaba_seller_offers_lists_one_sellers_goods(catalogue):
    row = first_product(ALIBABA)
    listed = listed_products(ALIBABA).filter(shop=row.shop)

    page = catalogue.pandapon.alibaba_goods.seller_offers(seller_open_id=row.shop.shop_id)

    assert page.total == listed.count() >= 2
    assert {p.item_id for p in page.items} == {p.item_id for p in listed}
    assert {p.seller_open_id for p in page.items} == {row.shop.shop_id}
    narrowed = catalogue.pandapon.alibaba_goods.seller_offers(
        seller_open_id=row.shop.shop_id, keyword=row.title
    )
    assert narrowed.items[0].item_id == row.item_id
    with pytest.raises(errors.NotFound):
        catalogue.pandapon.alibaba_goods.seller_offers(seller_open_id="BBBnobody")


@pytest.mark.covers("alibaba_category_get")
def test_alibaba_category_get_answers_multilingual_names_and_children(catalogue):
    goods = catalogue.pandapon.alibaba_goods

    leaf = goods.category_get(category_id="7001")
    assert (leaf.name, leaf.name_translated, leaf.leaf, leaf.parent_id) == (
        "手机壳",
        "phone case",
        True,
        "7",
    )
    parent = goods.category_get(category_id="7", language="vi")
    assert parent.language == "vi" and not parent.leaf and parent.level == 1
    assert "ốp điện thoại" in [c.name_translated for c in parent.children]
    root = goods.category_get(category_id="0")
    assert len(root.children) == 10 and all(not c.leaf for c in root.children)
    with pytest.raises(errors.NotFound):
        goods.category_get(category_id="424242")


@pytest.mark.covers("alibaba_product_recommend", "alibaba_product_related")
def test_alibaba_recommended_and_related_offers_share_the_category(catalogue):
    goods = catalogue.pandapon.alibaba_goods
    # The offer whose category has the most company.
    row = max(
        listed_products(ALIBABA),
        key=lambda p: (listed_products(ALIBABA).filter(category_id=p.category_id).count(), -p.pk),
    )
    others = listed_products(ALIBABA).filter(category_id=row.category_id).exclude(pk=row.pk)

    related = goods.related(offer_id=row.item_id)
    assert {p.item_id for p in related} == {p.item_id for p in others}
    assert row.item_id not in {p.item_id for p in related}
    assert [p.monthly_sales for p in related] == sorted(
        (p.monthly_sales for p in related), reverse=True
    )

    like = goods.recommend(offer_id=row.item_id)
    assert [p.item_id for p in like] == [p.item_id for p in related]
    best = goods.recommend()
    assert len({p.category_id for p in best}) == len(best) >= 3
    in_category = goods.recommend(category_id=row.category_id, page_size=2)
    assert len(in_category) == min(2, others.count() + 1)
    with pytest.raises(errors.NotFound):
        goods.related(offer_id="500000000001")


@pytest.mark.covers(
    "alibaba_marketing_global_strict", "alibaba_marketing_strict", "alibaba_marketing_hot"
)
def test_marketing_lists_are_curated_and_deterministic(catalogue):
    marketing = catalogue.pandapon.marketing

    hot = marketing.hot(page_size=50)
    assert hot.total == listed_products(ALIBABA).filter(monthly_sales__gt=0).count()
    assert [p.monthly_sales for p in hot.items] == sorted(
        (p.monthly_sales for p in hot.items), reverse=True
    )
    assert [p.item_id for p in marketing.hot(page_size=50).items] == [p.item_id for p in hot.items]

    picks = marketing.global_strict(page_size=50)
    assert picks.total >= 1
    assert all(p.min_order_quantity == 1 for p in picks.items)
    strict = marketing.strict(page_size=50)
    makers = {s.shop_id for s in Shop.objects.all() if "厂" in s.name or "实业" in s.name}
    assert strict.total >= 1 and {p.seller_open_id for p in strict.items} <= makers
    phone = marketing.hot(category_id="7", page_size=50)
    assert all(CATEGORY_BY_ID[p.category_id].parent_id == "7" for p in phone.items)
