"""Goods over real HTTP: Taobao and 1688 search, picture search, details, categories, marketing
lists and the Dajisaas goods calls, against the sandbox catalogue."""

from __future__ import annotations

import base64
import io
import json

import pytest
import requests
from PIL import Image, ImageDraw

from upstream import errors
from upstream.sandbox import images
from upstream.sandbox.catalogue import CATEGORY_BY_ID, seed_catalogue
from upstream.sandbox.handlers.goods import MATCH_DISTANCE
from upstream.sandbox.models import Platform, Product, Shop, Sku

TAOBAO, ALIBABA = Platform.TAOBAO, Platform.ALIBABA


@pytest.fixture
def catalogue(sandbox):
    seed_catalogue(products=60)
    return sandbox


def _first(platform: str) -> Product:
    return Product.objects.filter(platform=platform).order_by("pk").first()


def _altered_picture(product: Product, *, size: int = 200, fmt: str = "JPEG") -> str:
    """Picture 1 of a product, resized, re-encoded and scribbled on: base64."""
    image = images.render(product.picture_key, 1).resize((size, size))
    ImageDraw.Draw(image).ellipse([10, 10, 22, 22], fill=(255, 255, 0))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format=fmt, quality=80)
    return base64.b64encode(buffer.getvalue()).decode()


def _listed(platform: str):
    return Product.objects.filter(platform=platform, available=True)


# -- Taobao ----------------------------------------------------------------------------------
@pytest.mark.covers("taobao_product_search")
def test_taobao_keyword_search_ranks_title_matches_first_then_by_sales(catalogue):
    product = _first(TAOBAO)
    keyword = product.category_name  # e.g. 男士短裤

    page = catalogue.pandapon.taobao_goods.search(keyword=keyword, page_size=50)

    in_title = sorted(
        _listed(TAOBAO).filter(title__contains=keyword),
        key=lambda p: (-p.monthly_sales, p.item_id),
    )
    assert page.total >= len(in_title) >= 1
    assert [p.item_id for p in page.items[: len(in_title)]] == [p.item_id for p in in_title]
    first = page.items[0]
    row = Product.objects.get(platform=TAOBAO, item_id=first.item_id)
    assert first.platform == "taobao" and isinstance(first.item_id, str)
    assert first.mp_id == row.mp_id and first.price_fen == row.price_fen
    assert first.monthly_sales == row.monthly_sales and first.shop_id == row.shop.shop_id
    assert first.picture.startswith(catalogue.url + "/sandbox/images/taobao/")

    # An English word from the title finds the same item; a nonsense word finds nothing.
    english = catalogue.pandapon.taobao_goods.search(keyword=product.title_en, page_size=5)
    assert english.items[0].item_id == product.item_id
    assert catalogue.pandapon.taobao_goods.search(keyword="zzqxj").total == 0


@pytest.mark.covers("taobao_product_search")
def test_taobao_search_pages_filters_sorts_and_lists_a_shop(catalogue):
    goods = catalogue.pandapon.taobao_goods
    product = _first(TAOBAO)
    listed = _listed(TAOBAO).filter(shop=product.shop)

    shop = goods.search(shop_id=product.shop.shop_id, page_size=50)
    assert {p.item_id for p in shop.items} == {p.item_id for p in listed}
    assert [p.monthly_sales for p in shop.items] == sorted(
        (p.monthly_sales for p in shop.items), reverse=True
    )

    first, second = (
        goods.search(shop_id=product.shop.shop_id, page=n, page_size=3) for n in (1, 2)
    )
    assert first.total == second.total == listed.count()
    assert first.total_pages == -(-listed.count() // 3) and second.page == 2
    assert not {p.item_id for p in first.items} & {p.item_id for p in second.items}

    cheap = goods.search(
        shop_id=product.shop.shop_id, price_min_fen=3000, price_max_fen=8000, sort="price_asc"
    )
    prices = [p.price_fen for p in cheap.items]
    assert prices == sorted(prices) and all(3000 <= p <= 8000 for p in prices)
    assert cheap.total == listed.filter(price_fen__gte=3000, price_fen__lte=8000).count()
    dear = goods.search(shop_id=product.shop.shop_id, sort="price_desc", page_size=50)
    assert [p.price_fen for p in dear.items] == sorted(
        (p.price_fen for p in dear.items), reverse=True
    )

    in_category = goods.search(keyword=product.category_name, category_id=product.category_id)
    assert in_category.total and all(
        p.category_id == product.category_id for p in in_category.items
    )


@pytest.mark.covers("taobao_product_image_search")
def test_taobao_picture_search_finds_the_item_then_its_near_duplicates(catalogue):
    product = _first(TAOBAO)

    page = catalogue.pandapon.taobao_goods.search_by_image(image_base64=_altered_picture(product))

    assert page.items[0].item_id == product.item_id
    assert page.items[0].similarity >= 80
    similarities = [p.similarity for p in page.items]
    assert similarities == sorted(similarities, reverse=True)

    # A reseller's framed copy of a 1688 supplier's picture is found from the supplier's own.
    reseller = Product.objects.filter(platform=TAOBAO, picture_key__endswith="~", available=True)
    reseller = reseller.order_by("pk").first()
    assert reseller is not None, "the 60-product catalogue holds a reseller"
    supplier_id = reseller.picture_key.split(":")[1].rstrip("~")
    supplier_picture = images.picture_url(None, ALIBABA, supplier_id, 1)
    by_url = catalogue.pandapon.taobao_goods.search_by_image(image_url=supplier_picture)
    assert reseller.item_id in [p.item_id for p in by_url.items[:3]]

    with pytest.raises(errors.BadRequest):
        catalogue.pandapon.taobao_goods.search_by_image(image_base64="bm90IGEgcGljdHVyZQ==")
    with pytest.raises(errors.BadRequest):
        catalogue.pandapon.taobao_goods.search_by_image(image_url="https://example.com/x.png")


@pytest.mark.covers("taobao_product_batch_check")
def test_taobao_batch_check_splits_buyable_items_from_the_rest(catalogue):
    a, b, c = Product.objects.filter(platform=TAOBAO).order_by("pk")[:3]
    Product.objects.filter(pk=c.pk).update(available=False)
    sku = a.skus.order_by("pk").first()

    result = catalogue.pandapon.taobao_goods.batch_check(
        items={a.item_id: [sku.sku_id], b.item_id: [], c.item_id: [], "600000000001": []}
    )

    assert [p.item_id for p in result.products] == [a.item_id, b.item_id]
    assert result.products[0].mp_id == a.mp_id
    assert [s.mp_sku_id for s in result.products[0].skus] == [sku.mp_sku_id]
    assert len(result.products[1].skus) == b.skus.count()
    assert result.missing_item_ids == [c.item_id, "600000000001"]
    assert result.reasons == {c.item_id: "ITEM_OFF_SHELF", "600000000001": "ITEM_NOT_FOUND"}


@pytest.mark.covers("taobao_product_get")
def test_taobao_product_get_has_mp_ids_skus_prices_in_fen_and_served_pictures(catalogue):
    row = _first(TAOBAO)
    Sku.objects.filter(pk=row.skus.order_by("pk").last().pk).update(available=False, stock=0)

    product = catalogue.pandapon.taobao_goods.product_get(item_id=row.item_id)

    assert (product.item_id, product.mp_id, product.title) == (row.item_id, row.mp_id, row.title)
    assert product.shop_id == row.shop.shop_id and product.shop_name == row.shop.name
    assert product.weight_g == row.weight_g
    assert product.domestic_post_fee_fen == row.domestic_post_fee_fen
    assert product.monthly_sales == row.monthly_sales and product.available
    rows = list(row.skus.order_by("pk"))
    assert [s.sku_id for s in product.skus] == [s.sku_id for s in rows]
    assert [s.mp_sku_id for s in product.skus] == [s.mp_sku_id for s in rows]
    assert [s.price_fen for s in product.skus] == [s.price_fen for s in rows]
    assert all(isinstance(s.price_fen, int) and len(s.mp_sku_id) == 19 for s in product.skus)
    assert product.skus[-1].available is False and not product.skus[-1].orderable
    assert product.skus[0].properties[0].prop_name == "颜色分类"
    assert product.skus[0].properties[0].value_name_en
    assert product.price_fen == min(s.price_fen for s in rows if s.available)
    assert len(product.pictures) == row.picture_count

    response = requests.get(product.pictures[0], timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert response.content == images.png_bytes(row.picture_key, 1)
    with Image.open(io.BytesIO(response.content)) as picture:
        assert picture.size == (320, 320)

    with pytest.raises(errors.NotFound):
        catalogue.pandapon.taobao_goods.product_get(item_id="600000000001")


@pytest.mark.covers("taobao_product_source_get")
def test_taobao_source_get_translates_the_item(catalogue):
    row = _first(TAOBAO)

    product = catalogue.pandapon.taobao_goods.source_get(item_id=row.item_id, language="en")

    assert product.title == row.title and product.title_en == row.title_en
    assert product.language == "en" and product.shop_name == row.shop.name_en
    assert product.skus[0].properties[0].prop_name == "Colour"
    assert product.mp_id == row.mp_id
    with pytest.raises(errors.NotFound):
        catalogue.pandapon.taobao_goods.source_get(item_id="600000000001")


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
    row = _first(ALIBABA)
    detail = catalogue.pandapon.alibaba_goods.product_detail(offer_id=row.item_id)

    chat = catalogue.pandapon.alibaba_goods.wangwang_url_decrypt(url=detail.raw["wangwangUrl"])

    assert chat.seller_open_id == row.shop.shop_id and chat.login_id == row.shop.name
    assert chat.url.startswith("https://air.1688.com/") and "touid=cnalichn" in chat.url
    with pytest.raises(errors.BadRequest):
        catalogue.pandapon.alibaba_goods.wangwang_url_decrypt(url="https://example.com/?uid=x")


@pytest.mark.covers("alibaba_product_keyword_query")
def test_alibaba_keyword_query_ranks_filters_and_sorts(catalogue):
    goods = catalogue.pandapon.alibaba_goods
    row = _first(ALIBABA)
    keyword = row.category_name

    page = goods.keyword_query(keyword=keyword, page_size=50)

    in_title = sorted(
        _listed(ALIBABA).filter(title__contains=keyword),
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
        image_base64=_altered_picture(row, size=480, fmt="PNG")
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
    row = _first(ALIBABA)
    listed = _listed(ALIBABA).filter(shop=row.shop)

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
        _listed(ALIBABA),
        key=lambda p: (_listed(ALIBABA).filter(category_id=p.category_id).count(), -p.pk),
    )
    others = _listed(ALIBABA).filter(category_id=row.category_id).exclude(pk=row.pk)

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
    assert hot.total == _listed(ALIBABA).filter(monthly_sales__gt=0).count()
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


# -- Dajisaas --------------------------------------------------------------------------------
@pytest.mark.covers("dj_product_keyword_query")
def test_dajisaas_keyword_query_ranks_like_pandapon(catalogue):
    keyword = _first(ALIBABA).category_name

    dj = catalogue.dajisaas.goods.keyword_query(keyword=keyword, page_size=10)
    pp = catalogue.pandapon.alibaba_goods.keyword_query(keyword=keyword, page_size=10)

    assert [p.item_id for p in dj.items] == [p.item_id for p in pp.items]
    assert dj.total == pp.total and dj.raw["totalRecords"] == dj.total
    assert dj.items[0].raw["priceInfo"]["price"] == f"{dj.items[0].price_fen / 100:.2f}"
    assert isinstance(dj.items[0].monthly_sales, int)


@pytest.mark.covers("dj_upload_image", "dj_product_image_query")
def test_dajisaas_picture_search_by_upload_and_by_address(catalogue):
    row = Product.objects.filter(platform=ALIBABA).order_by("pk")[5]

    uploaded = catalogue.dajisaas.goods.upload_image(image_base64=_altered_picture(row))
    page = catalogue.dajisaas.goods.image_query(image_id=uploaded.image_id)

    assert uploaded.image_id.isdigit()
    assert page.items[0].item_id == row.item_id
    by_address = catalogue.dajisaas.goods.image_query(
        image_address=images.picture_url(None, ALIBABA, row.item_id, 1)
    )
    assert by_address.items[0].item_id == row.item_id
    with pytest.raises(errors.BadRequest):
        catalogue.dajisaas.goods.upload_image(image_base64="bm90IGEgcGljdHVyZQ==")


@pytest.mark.covers("dj_product_detail")
def test_dajisaas_detail_matches_pandapons(catalogue):
    row = _first(ALIBABA)

    dj = catalogue.dajisaas.goods.product_detail(offer_id=row.item_id)
    pp = catalogue.pandapon.alibaba_goods.product_detail(offer_id=row.item_id)

    assert dj.item_id == row.item_id and dj.seller_open_id == row.shop.shop_id
    assert [(s.spec_id, s.price_fen) for s in dj.skus] == [
        (s.spec_id, s.price_fen) for s in pp.skus
    ]
    assert dj.price_tiers == pp.price_tiers and dj.min_order_quantity == row.min_order_quantity
    assert dj.pictures[0].startswith(catalogue.url)
    with pytest.raises(errors.NotFound):
        catalogue.dajisaas.goods.product_detail(offer_id="500000000001")


@pytest.mark.covers("dj_taobao_product_get")
def test_dajisaas_taobao_match_gives_mp_ids_and_refuses_delisted_items(catalogue):
    row, gone = Product.objects.filter(platform=TAOBAO).order_by("pk")[:2]
    Product.objects.filter(pk=gone.pk).update(available=False)

    match = catalogue.dajisaas.goods.taobao_product_get(item_id=row.item_id)

    assert match.item_id == row.item_id and match.mp_id == row.mp_id
    assert match.item_type in ("HAVE_MATERIAL", "WITHOUT_MATERIAL")
    assert match.has_material == (row.picture_count > 1)
    offered = list(row.skus.filter(available=True).order_by("pk"))
    assert [(s.sku_id, s.mp_sku_id, s.price_fen) for s in match.skus] == [
        (s.sku_id, s.mp_sku_id, s.price_fen) for s in offered
    ]
    assert match.quantity == sum(s.stock for s in offered)
    assert match.skus[0].raw["mpId"] == row.mp_id

    with pytest.raises(errors.OfferUnavailable):
        catalogue.dajisaas.goods.taobao_product_get(item_id=gone.item_id)
    with pytest.raises(errors.NotFound):
        catalogue.dajisaas.goods.taobao_product_get(item_id="600000000001")


def test_sort_parameter_accepts_the_json_form(catalogue):
    reply = catalogue.pandapon.transport.call(
        "taobao_product_search",
        {"keyword": _first(TAOBAO).category_name, "sort": json.dumps({"price": "asc"})},
    )
    prices = [int(item["price"]) for item in reply.data["data"]]
    assert prices == sorted(prices)
    with pytest.raises(errors.BadRequest):
        catalogue.pandapon.transport.call(
            "taobao_product_search", {"keyword": "x", "sort": "cheapest"}
        )
