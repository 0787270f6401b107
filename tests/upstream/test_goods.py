"""Goods over real HTTP: Taobao search, picture search, details, categories and marketing lists,
and the Dajisaas goods calls, against the sandbox catalogue (1688 is in `test_goods_1688.py`)."""

from __future__ import annotations

import io
import json

import pytest
import requests
from PIL import Image

from tests.upstream.factories import altered_picture, first_product, listed_products
from upstream import errors
from upstream.sandbox import images
from upstream.sandbox.catalogue import CATEGORIES, PARENTS, seed_catalogue
from upstream.sandbox.models import Platform, Product, Sku

TAOBAO, ALIBABA = Platform.TAOBAO, Platform.ALIBABA


@pytest.fixture
def catalogue(sandbox):
    seed_catalogue(products=60)
    return sandbox


# -- Taobao ----------------------------------------------------------------------------------
@pytest.mark.covers("taobao_product_search")
def test_taobao_keyword_search_ranks_title_matches_first_then_by_sales(catalogue):
    product = first_product(TAOBAO)
    keyword = product.category_name  # e.g. 男士短裤

    page = catalogue.pandapon.taobao_goods.search(keyword=keyword, page_size=50)

    in_title = sorted(
        listed_products(TAOBAO).filter(title__contains=keyword),
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
    product = first_product(TAOBAO)
    listed = listed_products(TAOBAO).filter(shop=product.shop)

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
    product = first_product(TAOBAO)

    page = catalogue.pandapon.taobao_goods.search_by_image(image_base64=altered_picture(product))

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
    row = first_product(TAOBAO)
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
    row = first_product(TAOBAO)

    product = catalogue.pandapon.taobao_goods.source_get(item_id=row.item_id, language="en")

    assert product.title == row.title and product.title_en == row.title_en
    assert product.language == "en" and product.shop_name == row.shop.name_en
    assert product.skus[0].properties[0].prop_name == "Colour"
    assert product.mp_id == row.mp_id
    with pytest.raises(errors.NotFound):
        catalogue.pandapon.taobao_goods.source_get(item_id="600000000001")


# -- Dajisaas --------------------------------------------------------------------------------
@pytest.mark.covers("dj_product_keyword_query")
def test_dajisaas_keyword_query_ranks_like_pandapon(catalogue):
    keyword = first_product(ALIBABA).category_name

    dj = catalogue.dajisaas.goods.keyword_query(keyword=keyword, page_size=10)
    pp = catalogue.pandapon.alibaba_goods.keyword_query(keyword=keyword, page_size=10)

    assert [p.item_id for p in dj.items] == [p.item_id for p in pp.items]
    assert dj.total == pp.total and dj.raw["totalRecords"] == dj.total
    assert dj.items[0].raw["priceInfo"]["price"] == f"{dj.items[0].price_fen / 100:.2f}"
    assert isinstance(dj.items[0].monthly_sales, int)


@pytest.mark.covers("dj_upload_image", "dj_product_image_query")
def test_dajisaas_picture_search_by_upload_and_by_address(catalogue):
    row = Product.objects.filter(platform=ALIBABA).order_by("pk")[5]

    uploaded = catalogue.dajisaas.goods.upload_image(image_base64=altered_picture(row))
    page = catalogue.dajisaas.goods.image_query(image_id=uploaded.image_id)

    assert uploaded.image_id.isdigit()
    assert page.items[0].item_id == row.item_id
    by_address = catalogue.dajisaas.goods.image_query(
        image_address=images.picture_url(None, ALIBABA, row.item_id, 1)
    )
    assert by_address.items[0].item_id == row.item_id
    with pytest.raises(errors.BadRequest):
        catalogue.dajisaas.goods.upload_image(image_base64="bm90IGEgcGljdHVyZQ==")


@pytest.mark.covers("dj_upload_image_by_url", "dj_product_image_query")
def test_dajisaas_upload_by_get_takes_a_hosted_picture_for_picture_search(catalogue):
    row = Product.objects.filter(platform=ALIBABA).order_by("pk")[3]

    uploaded = catalogue.dajisaas.goods.upload_image_url(
        image_url=images.picture_url(None, ALIBABA, row.item_id, 1)
    )
    page = catalogue.dajisaas.goods.image_query(image_id=uploaded.image_id)

    assert uploaded.raw == {"imageId": uploaded.image_id} and uploaded.image_id.isdigit()
    assert page.items[0].item_id == row.item_id
    with pytest.raises(errors.BadRequest):
        catalogue.dajisaas.goods.upload_image_url(image_url="https://example.com/cat.jpg")


@pytest.mark.covers("dj_category_get")
def test_dajisaas_category_query_answers_1688s_record_and_nothing_more(catalogue):
    goods = catalogue.dajisaas.goods
    parent_id, names = next(iter(PARENTS.items()))
    leaves = [c for c in CATEGORIES if c.parent_id == parent_id]

    root = goods.category(category_id="0")
    parent = goods.category(category_id=parent_id)
    leaf = goods.category(category_id=leaves[0].category_id)

    assert {c.category_id for c in root.children} == set(PARENTS)
    assert all(not c.leaf and not c.name_translated for c in root.children)
    assert parent.name == names[0] and parent.level == 1 and parent.parent_id == "0"
    assert [c.category_id for c in parent.children] == [c.category_id for c in leaves]
    assert leaf.leaf and leaf.parent_id == parent_id and leaf.children == []
    assert set(root.raw) == {"categoryID", "name", "level", "isLeaf", "parentIDs", "childCategorys"}
    assert set(root.raw["childCategorys"][0]) == {"id", "name", "isLeaf", "categoryType"}
    with pytest.raises(errors.NotFound):
        goods.category(category_id="424242")


@pytest.mark.covers("dj_product_detail")
def test_dajisaas_detail_matches_pandapons(catalogue):
    row = first_product(ALIBABA)

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
        {"keyword": first_product(TAOBAO).category_name, "sort": json.dumps({"price": "asc"})},
    )
    prices = [int(item["price"]) for item in reply.data["data"]]
    assert prices == sorted(prices)
    with pytest.raises(errors.BadRequest):
        catalogue.pandapon.transport.call(
            "taobao_product_search", {"keyword": "x", "sort": "cheapest"}
        )
