"""Goods and freight over the API, against the sandbox upstream over real HTTP."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db.models import Count, Q

from purchasing.models import Product
from tests.storefront.api_fixtures import api_for
from upstream import accounts
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Fault
from upstream.sandbox.models import Product as SandboxProduct

UNREACHABLE = "The upstream is not reachable right now. Try again in a moment."


@pytest.fixture
def api(live_server, settings, transactional_db, storefront):
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.UPSTREAM_READ_ATTEMPTS = 1
    seed_catalogue(products=30)
    yield api_for(storefront)
    accounts.pandapon().transport.session.close()
    accounts.dajisaas().transport.session.close()
    cache.clear()


def sandbox_product(platform: str) -> SandboxProduct:
    return SandboxProduct.objects.filter(platform=platform, available=True).order_by("pk")[0]


def test_search_finds_goods_with_links_to_them(api):
    row = sandbox_product("taobao")
    response = api.get("goods/search/", {"platform": "taobao", "q": row.title_en})
    assert response.status_code == 200, response.content
    body = response.json()
    found = {card["item_id"]: card for card in body["results"]}
    assert row.item_id in found
    assert found[row.item_id]["links"]["self"] == f"/api/v1/goods/taobao/{row.item_id}/"
    assert body["page"] == 1 and body["total"] >= 1


def test_search_checks_its_query(api):
    response = api.get("goods/search/", {"platform": "jd"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"platform", "q"}


def test_an_item_has_skus_and_a_landed_cost(api):
    row = sandbox_product("1688")
    response = api.get(f"goods/1688/{row.item_id}/", {"quantity": 3})
    assert response.status_code == 200, response.content
    body = response.json()
    product = Product.objects.get(platform="1688", item_id=row.item_id)
    assert body["title"] == product.title
    assert {s["sku_id"] for s in body["skus"]} == set(product.skus.values_list("sku_id", flat=True))
    cost = body["landed_cost"]
    assert cost["quantity"] == 3
    assert cost["items_fen"] == cost["unit_price_fen"] * 3
    assert cost["freight"]["price_fen"] > 0 and cost["freight_error"] == ""
    assert cost["total_fen"] >= cost["items_fen"] + cost["freight"]["price_fen"]


def test_an_unknown_item_or_sku_is_a_clear_error(api):
    response = api.get("goods/taobao/999999999999/")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("The upstream has no such item")
    row = sandbox_product("taobao")
    response = api.get(f"goods/taobao/{row.item_id}/", {"sku_id": "nope"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"sku_id": ["No such SKU."]}
    assert api.get("goods/jd/123/").status_code == 404


def test_an_upstream_failure_is_503_with_the_reason(api):
    Fault.objects.create(path="taobao_product_search", mode=Fault.Mode.ERROR)
    response = api.get("goods/search/", {"platform": "taobao", "q": "cup"})
    assert response.status_code == 503
    assert response.json()["error"] == {
        "code": "upstream_unavailable",
        "message": UNREACHABLE,
        "fields": {},
    }


def test_freight_for_items_lists_every_service(api):
    row = sandbox_product("taobao")
    sku = row.skus.filter(available=True).order_by("pk").first()
    body = {
        "items": [
            {"platform": "taobao", "item_id": row.item_id, "sku_id": sku.sku_id, "quantity": 2}
        ],
        "destination": {"country": "us", "postal_code": "90001", "city": "Los Angeles"},
    }
    response = api.post("freight/estimate/", body)
    assert response.status_code == 200, response.content
    estimate = response.json()
    services = estimate["services"]
    assert estimate["country"] == "US" and len(services) >= 2
    assert [s["price_fen"] for s in services] == sorted(s["price_fen"] for s in services)
    assert sum(s["is_cheapest"] for s in services) == 1 and services[0]["is_cheapest"]
    fastest = [s for s in services if s["is_fastest"]]
    assert len(fastest) == 1 and fastest[0]["days_max"] == min(s["days_max"] for s in services)
    assert {s["weight_basis"] for s in services} <= {"actual", "volumetric"}


def test_freight_checks_its_body(api):
    response = api.post("freight/estimate/", {"items": [], "destination": {"country": "USA"}})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"items", "destination.country"}


@pytest.mark.parametrize(
    ("platform", "provider"),
    [("1688", "pandapon"), ("1688", "dajisaas"), ("taobao", "pandapon")],
)
def test_a_sold_out_sku_reads_unavailable_through_every_provider(api, settings, platform, provider):
    settings.UPSTREAM_PROVIDER_1688 = provider
    row = (
        SandboxProduct.objects.filter(platform=platform, available=True)
        .annotate(offered=Count("skus", filter=Q(skus__available=True)))
        .filter(offered__gte=2)
        .order_by("pk")[0]
    )
    sold_out, in_stock = row.skus.filter(available=True).order_by("pk")[:2]
    sold_out.stock, in_stock.stock = 0, 5
    sold_out.save(update_fields=["stock"])
    in_stock.save(update_fields=["stock"])

    response = api.get(f"goods/{platform}/{row.item_id}/")

    assert response.status_code == 200, response.content
    by_id = {s["sku_id"]: s for s in response.json()["skus"]}
    assert by_id[sold_out.sku_id]["stock"] == 0
    assert by_id[sold_out.sku_id]["available"] is False
    assert by_id[in_stock.sku_id]["stock"] == 5
    assert by_id[in_stock.sku_id]["available"] is True
