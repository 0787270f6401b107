"""Goods services against the sandbox upstream over real HTTP: searches, picture search, the local
product cache (TTL, refresh, SKU upserts, both 1688 providers) and the landed cost estimate."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from purchasing.models import Product, Sku
from purchasing.services import goods
from purchasing.services.landed_cost import landed_cost_estimate
from upstream import accounts, errors
from upstream.client import Transport
from upstream.sandbox import images
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Fault
from upstream.sandbox.models import Product as SandboxProduct
from upstream.sandbox.models import Sku as SandboxSku
from upstream.types.logistics import ReceiverAddress


@pytest.fixture
def upstream_calls(live_server, settings, transactional_db, monkeypatch) -> list[str]:
    """The sandbox over HTTP with 60 products; returns the operations called, in order."""
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{live_server.url}/callbacks/"
    settings.UPSTREAM_READ_ATTEMPTS = 1  # a fault is a failure at once, not three
    seed_catalogue(products=60)
    cache.clear()
    called: list[str] = []
    real_call = Transport.call

    def recording_call(self, op, *args, **kwargs):
        called.append(op if isinstance(op, str) else op.name)
        return real_call(self, op, *args, **kwargs)

    monkeypatch.setattr(Transport, "call", recording_call)
    yield called
    accounts.pandapon().transport.session.close()
    accounts.dajisaas().transport.session.close()
    cache.clear()


def sandbox_product(platform: str, index: int = 0) -> SandboxProduct:
    return SandboxProduct.objects.filter(platform=platform).order_by("pk")[index]


def png_of(row: SandboxProduct) -> bytes:
    buffer = io.BytesIO()
    images.render(row.picture_key, 1).save(buffer, format="PNG")
    return buffer.getvalue()


# -- the product cache ---------------------------------------------------------------------
def test_product_get_caches_until_the_ttl_then_fetches_again(upstream_calls, settings):
    settings.CAIGOU_PRODUCT_TTL_MINUTES = 30
    row = sandbox_product("taobao")

    first = goods.product_get(platform="taobao", item_id=row.item_id)
    again = goods.product_get(platform="taobao", item_id=row.item_id)

    assert upstream_calls == ["taobao_product_get"]
    assert again.pk == first.pk and again.fetched_at == first.fetched_at
    assert Product.objects.count() == 1

    Product.objects.filter(pk=first.pk).update(fetched_at=timezone.now() - timedelta(minutes=31))
    stale = goods.product_get(platform="taobao", item_id=row.item_id)
    assert upstream_calls == ["taobao_product_get"] * 2
    assert stale.fetched_at > timezone.now() - timedelta(minutes=1)


def test_refresh_fetches_even_a_fresh_product(upstream_calls):
    row = sandbox_product("taobao")
    first = goods.product_get(platform="taobao", item_id=row.item_id)

    refreshed = goods.product_get(platform="taobao", item_id=row.item_id, refresh=True)

    assert upstream_calls == ["taobao_product_get"] * 2
    assert refreshed.fetched_at > first.fetched_at
    assert Product.objects.count() == 1


def test_taobao_product_is_stored_with_mp_ids_properties_and_prices_in_fen(upstream_calls):
    row = sandbox_product("taobao", 1)

    product = goods.product_get(platform="taobao", item_id=row.item_id)

    assert (product.title, product.title_en, product.mp_id) == (row.title, row.title_en, row.mp_id)
    assert product.shop_id == row.shop.shop_id and product.shop_name == row.shop.name
    assert product.domestic_post_fee_fen == row.domestic_post_fee_fen
    assert len(product.pictures) == row.picture_count
    rows = list(row.skus.order_by("pk"))
    skus = list(product.skus.all())
    assert [s.sku_id for s in skus] == [s.sku_id for s in rows]
    assert [s.mp_sku_id for s in skus] == [s.mp_sku_id for s in rows]
    assert [s.price_fen for s in skus] == [s.price_fen for s in rows]
    assert [s.stock for s in skus] == [s.stock for s in rows]
    assert skus[0].properties[0] == {
        "name": "颜色分类",
        "name_en": "Colour",
        "value": rows[0].properties[0]["valueName"],
        "value_en": rows[0].properties[0]["valueNameEn"],
    }


def test_refresh_upserts_skus_and_marks_the_ones_gone_unavailable(upstream_calls):
    row = sandbox_product("taobao", 1)  # eight SKUs
    product = goods.product_get(platform="taobao", item_id=row.item_id)
    first, second, *_ = row.skus.order_by("pk")
    SandboxSku.objects.filter(pk=first.pk).update(price_fen=12345, stock=7)
    gone_id = second.sku_id
    second.delete()

    goods.product_get(platform="taobao", item_id=row.item_id, refresh=True)

    stored = {s.sku_id: s for s in Sku.objects.filter(product=product)}
    assert len(stored) == 8  # kept: a cart or an order may name it
    assert (stored[first.sku_id].price_fen, stored[first.sku_id].stock) == (12345, 7)
    assert stored[gone_id].available is False and stored[gone_id].stock == 0
    assert sum(s.available for s in stored.values()) == 7


@pytest.mark.parametrize(
    ("provider", "operation"),
    [("pandapon", "alibaba_product_detail"), ("dajisaas", "dj_product_detail")],
)
def test_1688_offer_comes_from_the_configured_provider(
    upstream_calls, settings, provider, operation
):
    settings.UPSTREAM_PROVIDER_1688 = provider
    row = sandbox_product("1688")  # tiers from 2 pieces

    product = goods.product_get(platform="1688", item_id=row.item_id)

    assert upstream_calls == [operation]
    assert product.platform == "1688" and product.title == row.title
    assert product.shop_id == row.shop.shop_id  # the sellerOpenId a shop search takes
    assert product.min_order_quantity == row.min_order_quantity
    assert product.price_tiers == [
        {"start_quantity": t["startQuantity"], "price_fen": t["priceFen"]} for t in row.price_tiers
    ]
    assert [s.spec_id for s in product.skus.all()] == [s.spec_id for s in row.skus.order_by("pk")]
    assert all(len(s.spec_id) == 32 for s in product.skus.all())


def test_an_unknown_item_is_not_found_and_nothing_is_stored(upstream_calls):
    with pytest.raises(errors.NotFound):
        goods.product_get(platform="taobao", item_id="600000000001")
    assert not Product.objects.exists()


# -- searches ------------------------------------------------------------------------------
def test_keyword_search_gives_cards_with_prices_and_paging(upstream_calls):
    row = sandbox_product("taobao")

    results = goods.goods_search(platform="taobao", keyword=row.category_name, page_size=2)

    assert results.cards and len(results.cards) <= 2
    card = results.cards[0]
    assert card.platform == "taobao" and card.title and card.picture and card.price_fen > 0
    assert card.monthly_sales is not None and card.shop_name
    assert results.total >= len(results.cards) and results.page == 1
    assert not Product.objects.exists()  # searches are not stored


def test_1688_search_with_filters_and_sort(upstream_calls):
    results = goods.goods_search(
        platform="1688", keyword="男", price_min_fen=1000, price_max_fen=5000, sort="price_asc"
    )

    prices = [c.price_fen for c in results.cards]
    assert len(prices) > 1
    assert prices == sorted(prices) and all(1000 <= p <= 5000 for p in prices)
    assert upstream_calls == ["alibaba_product_keyword_query"]


def test_dajisaas_search_says_which_filters_it_cannot_apply(upstream_calls, settings):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"

    results = goods.goods_search(platform="1688", keyword="男", sort="price_asc")

    assert upstream_calls == ["dj_product_keyword_query"]
    assert results.cards and "keyword only" in results.note


def test_shop_search_lists_a_shop_on_each_platform(upstream_calls):
    taobao, alibaba = sandbox_product("taobao"), sandbox_product("1688")

    shop = goods.goods_search(platform="taobao", shop_id=taobao.shop.shop_id, page_size=50)
    seller = goods.goods_search(platform="1688", shop_id=alibaba.shop.shop_id, page_size=50)

    assert upstream_calls == ["taobao_product_search", "alibaba_product_seller_offers"]
    assert taobao.item_id in {c.item_id for c in shop.cards}
    assert alibaba.item_id in {c.item_id for c in seller.cards}


@pytest.mark.parametrize(
    ("platform", "provider", "operations"),
    [
        ("taobao", "pandapon", ["taobao_product_image_search"]),
        ("1688", "pandapon", ["alibaba_product_image_query"]),
        ("1688", "dajisaas", ["dj_upload_image", "dj_product_image_query"]),
    ],
)
def test_picture_search_finds_the_item_first(
    upstream_calls, settings, platform, provider, operations
):
    settings.UPSTREAM_PROVIDER_1688 = provider
    row = sandbox_product(platform, 2)

    results = goods.goods_search_by_picture(platform=platform, image=png_of(row))

    assert upstream_calls == operations
    assert results.cards[0].item_id == row.item_id
    assert results.cards[0].similarity >= 80


def test_marketing_lists_and_related_goods(upstream_calls):
    row = sandbox_product("1688")

    hot = goods.marketing_list(kind="hot")
    related, recommended = goods.related_goods(platform="1688", item_id=row.item_id)

    assert hot.cards and all(c.platform == "1688" for c in hot.cards)
    assert related and row.item_id not in {c.item_id for c in related}
    assert recommended
    with pytest.raises(ValueError):
        goods.marketing_list(kind="nope")


# -- landed cost -----------------------------------------------------------------------------
def _cheapest_freight(item_id: str, sku_id: str, quantity: int, settings) -> int:
    receiver = ReceiverAddress(name="check", country=settings.CAIGOU_DEFAULT_DESTINATION_COUNTRY)
    estimate = accounts.pandapon().warehouse_logistics.item_freight(
        item_id=item_id, sku_id=sku_id, receiver=receiver, quantity=quantity
    )
    return estimate.cheapest().price_fen


def test_landed_cost_parts_add_up_with_the_tier_price_for_the_quantity(upstream_calls, settings):
    row = sandbox_product("1688")  # tiers: 2+, 50+, 200+
    product = goods.product_get(platform="1688", item_id=row.item_id)
    sku = product.skus.all()[0]
    tiers = product.price_tiers

    at_minimum = landed_cost_estimate(product=product, sku=sku, quantity=2)
    at_fifty = landed_cost_estimate(product=product, sku=sku, quantity=50)

    assert at_minimum.unit_price_fen == tiers[0]["price_fen"]
    assert at_fifty.unit_price_fen == tiers[1]["price_fen"]
    assert at_fifty.items_fen == 50 * tiers[1]["price_fen"]
    assert at_fifty.domestic_post_fee_fen == row.domestic_post_fee_fen
    assert at_fifty.freight.price_fen == _cheapest_freight(row.item_id, sku.sku_id, 50, settings)
    assert at_fifty.total_fen == (
        at_fifty.items_fen + at_fifty.domestic_post_fee_fen + at_fifty.freight.price_fen
    )
    assert at_fifty.freight.price_fen > at_minimum.freight.price_fen
    assert at_fifty.complete and at_fifty.country == "US"


def test_freight_estimate_is_cached_per_item_sku_quantity_and_destination(upstream_calls, settings):
    row = sandbox_product("taobao")
    product = goods.product_get(platform="taobao", item_id=row.item_id)
    sku = product.skus.all()[0]

    landed_cost_estimate(product=product, sku=sku, quantity=1)
    landed_cost_estimate(product=product, sku=sku, quantity=1)
    landed_cost_estimate(product=product, sku=sku, quantity=3)
    settings.CAIGOU_DEFAULT_DESTINATION_COUNTRY = "JP"
    japan = landed_cost_estimate(product=product, sku=sku, quantity=1)

    assert upstream_calls.count("logistics_item_price") == 3
    assert japan.country == "JP"


def test_a_failed_freight_estimate_leaves_the_other_parts(upstream_calls):
    row = sandbox_product("taobao")
    product = goods.product_get(platform="taobao", item_id=row.item_id)
    sku = product.skus.all()[0]
    Fault.objects.create(path="logistics_item_price", mode=Fault.Mode.ERROR)

    estimate = landed_cost_estimate(product=product, sku=sku, quantity=2)

    assert estimate.freight is None and estimate.freight_error
    assert estimate.items_fen == 2 * sku.price_fen
    assert estimate.total_fen == estimate.items_fen + (product.domestic_post_fee_fen or 0)
    assert not estimate.complete
