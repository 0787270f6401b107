"""The item page through the test client, against the sandbox upstream over real HTTP: its SKU
matrix, landed cost and refresh; and the marketing lists."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from purchasing.models import Product, Sku
from purchasing.routes.taobao_pandapon import TaobaoPandaPon
from purchasing.services import goods
from tests.purchasing.factories import UNREACHABLE, item_url, sandbox_product
from upstream.client import Transport
from upstream.sandbox.models import Fault
from upstream.sandbox.models import Product as SandboxProduct
from upstream.sandbox.models import Sku as SandboxSku


# -- the item page ---------------------------------------------------------------------------
def test_item_page_shows_the_sku_matrix_with_unavailable_combinations(live, purchaser):
    row = sandbox_product("taobao", 1)  # two colours × four sizes
    skus = list(row.skus.order_by("pk"))
    SandboxSku.objects.filter(pk=skus[0].pk).update(stock=0)
    SandboxSku.objects.filter(pk=skus[1].pk).update(available=False)

    response = purchaser.get(item_url("taobao", row.item_id))

    assert response.status_code == 200
    page = response.content.decode()
    assert row.title in page and escape(row.title_en) in page
    data = response.context["skus_json"]
    by_id = {sku["id"]: sku for sku in data["skus"]}
    assert by_id[skus[0].sku_id]["orderable"] is False and by_id[skus[0].sku_id]["stock"] == 0
    assert by_id[skus[1].sku_id]["available"] is False
    assert by_id[skus[2].sku_id]["orderable"] is True
    assert data["axes"] == ["颜色分类", "尺码"]
    # The data reaches the script through json_script, and every value has a button.
    assert json.loads(page.split('id="sku-data" type="application/json">')[1].split("</script>")[0])
    values = {v for sku in data["skus"] for v in sku["values"]}
    for value in values:
        assert f'data-value="{value}"' in page
    assert "6 of 8 combinations can be ordered" in page


def test_item_page_holds_the_add_to_cart_form_of_the_contract(live, purchaser):
    row = sandbox_product("taobao", 13)  # one SKU
    assert row.skus.count() == 1

    page = purchaser.get(item_url("taobao", row.item_id)).content.decode()

    add = reverse("baskets:add")
    assert f'<form id="add-to-cart" method="post" action="{add}" hx-post="{add}"' in page
    # The account-wide upstream cart is the second button of the same form.
    cart = reverse("carts:add")
    assert f'formaction="{cart}" hx-post="{cart}"' in page
    sku = row.skus.get()
    assert f'name="sku_id" value="{sku.sku_id}" id="add-sku-id"' in page
    assert 'name="quantity" id="add-quantity" min="1" value="1"' in page
    assert '<div id="add-to-cart-result" aria-live="polite"></div>' in page
    assert Sku.objects.filter(product__item_id=row.item_id, sku_id=sku.sku_id).exists()


def test_1688_item_page_shows_tiers_minimum_related_and_recommended(live, purchaser):
    row = sandbox_product("1688", 2)  # minimum 5, three tiers

    response = purchaser.get(item_url("1688", row.item_id))

    page = response.content.decode()
    assert "Price by quantity" in page and "Minimum order: <strong>5 pieces</strong>" in page
    assert 'id="add-quantity" min="1" value="5"' in page
    assert response.context["related"] and response.context["recommended"]
    assert "Related goods" in page and "Recommended" in page
    shop_link = f"?platform=1688&amp;shop={row.shop.shop_id}"
    assert shop_link in page and "other goods of this shop" in page


def test_item_page_shows_the_landed_cost_estimate_in_parts(live, purchaser):
    row = sandbox_product("1688", 2)

    response = purchaser.get(item_url("1688", row.item_id))

    landed = response.context["landed"]
    page = response.content.decode()
    assert "Landed cost" in page and "Estimate" in page
    assert landed.quantity == 5 and landed.freight is not None
    parts = landed.items_fen + row.domestic_post_fee_fen + landed.freight.price_fen
    assert landed.total_fen == parts
    assert "Overseas freight" in page and "Seller's domestic postage" in page


def test_landed_cost_partial_recomputes_for_a_sku_and_quantity(live, purchaser):
    row = sandbox_product("1688", 2)
    purchaser.get(item_url("1688", row.item_id))
    sku = row.skus.order_by("pk").first()
    url = reverse("goods:landed_cost", kwargs={"platform": "1688", "item_id": row.item_id})

    response = purchaser.get(url, {"sku_id": sku.sku_id, "quantity": "60"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    landed = response.context["landed"]
    assert landed.quantity == 60 and landed.unit_price_fen == row.price_tiers[1]["priceFen"]
    assert "<html" not in response.content.decode()
    other = purchaser.get(url, {"sku_id": "999", "quantity": "1"})
    assert "not one of this item" in other.content.decode()


def test_landed_cost_says_when_freight_is_unavailable(live, purchaser):
    row = sandbox_product("taobao")
    Fault.objects.create(path="logistics_item_price", mode=Fault.Mode.ERROR)

    response = purchaser.get(item_url("taobao", row.item_id))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Freight estimate unavailable" in page and UNREACHABLE in page
    assert "Items" in page and "(without freight)" in page


def test_refresh_fetches_from_the_upstream_and_says_when(live, purchaser):
    row = sandbox_product("taobao")
    url = item_url("taobao", row.item_id)
    purchaser.get(url)
    Product.objects.update(fetched_at=timezone.now() - timedelta(minutes=5))
    SandboxProduct.objects.filter(pk=row.pk).update(title="新标题")

    assert "新标题" not in purchaser.get(url).content.decode()  # still the cached copy
    response = purchaser.post(url, {"refresh": "1"}, follow=True)

    page = response.content.decode()
    assert "新标题" in page and "Refreshed from the upstream." in page
    assert "Fetched at" in page and "Refresh from upstream" in page


def test_item_page_shows_the_upstream_sentence_when_it_fails(live, purchaser):
    row = sandbox_product("taobao")
    Fault.objects.create(path="taobao_product_get", mode=Fault.Mode.ERROR, count=1)

    response = purchaser.get(item_url("taobao", row.item_id))

    assert response.status_code == 200 and UNREACHABLE in response.content.decode()
    assert not Product.objects.exists()


def test_a_stale_copy_is_shown_when_the_upstream_fails(live, purchaser):
    row = sandbox_product("taobao")
    url = item_url("taobao", row.item_id)
    purchaser.get(url)
    Product.objects.update(fetched_at=timezone.now() - timedelta(hours=2))
    Fault.objects.create(path="taobao_product_get", mode=Fault.Mode.ERROR)

    response = purchaser.get(url)

    page = response.content.decode()
    assert response.status_code == 200 and row.title in page
    assert UNREACHABLE in page and "Showing the copy fetched at" in page


def test_an_unknown_item_says_the_upstream_has_none(live, purchaser):
    response = purchaser.get(item_url("taobao", "600000000001"))

    assert response.status_code == 200
    assert "The upstream has no such item" in response.content.decode()


def test_a_bad_platform_or_id_is_404(live, purchaser):
    assert purchaser.get("/goods/amazon/123456/").status_code == 404
    assert purchaser.get("/goods/taobao/abc/").status_code == 404


# -- marketing lists ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["global", "strict", "hot"])
def test_marketing_lists_show_cards(live, purchaser, kind):
    response = purchaser.get(reverse("goods:lists"), {"list": kind})

    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["results"].cards
    assert 'aria-current="page"' in page and "goods-card" in page
    for label in ("Global strict selection", "1688 strict selection", "Hot list"):
        assert label in page


def test_a_route_without_marketing_lists_says_so_on_the_page(purchaser, monkeypatch):
    monkeypatch.setattr(goods, "route_for_platform", lambda platform: TaobaoPandaPon())
    monkeypatch.setattr(Transport, "call", lambda *args, **kwargs: pytest.fail("upstream called"))

    response = purchaser.get(reverse("goods:lists"), {"list": "hot"})

    assert response.status_code == 200
    assert "This platform has no marketing lists." in response.content.decode()
