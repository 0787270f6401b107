"""What each route answers beyond the order's life: its cart, goods lists, vouchers and the
reading of arrivals; an operation a route cannot do is refused before any upstream call."""

from __future__ import annotations

import pytest

from purchasing.models import Platform, Product, PurchaseOrder, Sku
from purchasing.routes import Capability, Route, RouteRefused
from purchasing.routes.alibaba_dajisaas import AlibabaDajisaas
from purchasing.routes.alibaba_pandapon import AlibabaPandaPon
from purchasing.routes.taobao_pandapon import TaobaoPandaPon
from upstream import accounts

# The operations that a capability stands for, called with arguments that would reach the
# upstream if the route answered them.
PRODUCT, SKU = Product(item_id="1", mp_id="m"), Sku(sku_id="1", spec_id="s", mp_sku_id="m")
OPERATIONS = {
    Capability.CART: {
        "cart": lambda route: route.cart(),
        "cart_add_refusal": lambda route: route.cart_add_refusal(PRODUCT, SKU),
        "cart_add": lambda route: route.cart_add(PRODUCT, SKU, 1),
        "cart_set_quantity": lambda route: route.cart_set_quantity("1", 2),
        "cart_remove": lambda route: route.cart_remove(["1"]),
    },
    Capability.BATCH_PAY: {"pay_batch": lambda route: route.pay_batch(["1", "2"])},
    Capability.RECEIPT: {"confirm_receipt": lambda route: route.confirm_receipt("1")},
    Capability.TRACE: {"logistics": lambda route: route.logistics(PurchaseOrder())},
    Capability.WAREHOUSE: {
        "update_warehouse": lambda route: route.update_warehouse("1", name="w", address="a")
    },
    Capability.IM: {"im_link": lambda route: route.im_link("1")},
    Capability.VOUCHER: {
        "upload_voucher": lambda route: route.upload_voucher(
            "1", content=b"x", filename="v.png", content_type="image/png"
        )
    },
    Capability.CATEGORIES: {"categories": lambda route: route.categories()},
    Capability.MARKETING: {"marketing": lambda route: route.marketing("hot", page=1, page_size=20)},
    Capability.RELATED: {"related": lambda route: route.related("1", count=8)},
}


@pytest.mark.parametrize(
    "route", [TaobaoPandaPon(), AlibabaPandaPon(), AlibabaDajisaas()], ids=repr
)
def test_a_route_answers_what_it_can_and_refuses_the_rest_before_any_call(route, monkeypatch):
    monkeypatch.setattr(accounts, "pandapon", _no_upstream)
    monkeypatch.setattr(accounts, "dajisaas", _no_upstream)
    for capability, calls in OPERATIONS.items():
        for method, call in calls.items():
            overridden = getattr(type(route), method) is not getattr(Route, method)
            assert overridden == route.can(capability), (route, capability, method)
            if not route.can(capability):
                with pytest.raises(RouteRefused) as refused:
                    call(route)
                assert refused.value.sentence[0].isupper(), refused.value.sentence
                assert refused.value.sentence.endswith("."), refused.value.sentence


def _no_upstream():
    raise AssertionError("a refused operation reached the upstream client")


@pytest.mark.parametrize(
    "route", [TaobaoPandaPon(), AlibabaPandaPon(), AlibabaDajisaas()], ids=repr
)
def test_arrival_is_read_from_the_traces_only_where_no_status_says_it(route):
    overridden = type(route).arrival_traces is not Route.arrival_traces
    assert overridden == route.arrival_from_trace == (route.platform == Platform.TAOBAO)
    if not route.arrival_from_trace:
        with pytest.raises(RouteRefused):
            route.arrival_traces(PurchaseOrder())


@pytest.mark.parametrize(
    ("route", "minimums"),
    [(TaobaoPandaPon(), False), (AlibabaPandaPon(), True), (AlibabaDajisaas(), True)],
    ids=repr,
)
def test_1688_offers_carry_minimums_and_taobao_items_do_not(route, minimums):
    assert route.offer_minimums is minimums


@pytest.mark.parametrize(
    ("route", "status", "delisted"),
    [
        (TaobaoPandaPon(), "ON_SALE", False),
        (TaobaoPandaPon(), "", False),
        (TaobaoPandaPon(), "INSTOCK", True),
        (AlibabaPandaPon(), "published", False),
        (AlibabaPandaPon(), "expired", True),
        (AlibabaDajisaas(), "published", False),
        (AlibabaDajisaas(), "ON_SALE", True),
    ],
    ids=repr,
)
def test_each_route_reads_whether_the_goods_are_still_on_sale(route, status, delisted):
    assert route.delisted({"status": status}) is delisted


@pytest.mark.parametrize(
    ("route", "product", "sku", "sentence"),
    [
        (TaobaoPandaPon(), Product(mp_id="m"), Sku(mp_sku_id="m"), ""),
        (TaobaoPandaPon(), Product(mp_id=""), Sku(mp_sku_id="m"), "no distribution id"),
        (TaobaoPandaPon(), Product(mp_id="m"), Sku(spec_id="s"), "no distribution id"),
        (AlibabaPandaPon(), Product(), Sku(spec_id="s"), ""),
        (AlibabaPandaPon(), Product(mp_id="m"), Sku(mp_sku_id="m"), "no spec id"),
    ],
    ids=repr,
)
def test_each_cart_names_the_id_it_needs(route, product, sku, sentence):
    refusal = route.cart_add_refusal(product, sku)
    assert (sentence in refusal) if sentence else refusal == ""
