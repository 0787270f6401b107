"""Cart services against the sandbox upstream over real HTTP: what reaches the upstream cart,
what is refused before anything is sent, and how a selection splits into upstream orders."""

from __future__ import annotations

import pytest

from carts import services
from carts.services import CartRefused, plan_orders
from purchasing import models as cache
from purchasing.splitting import split_sizes
from tests.carts.factories import cache_product, pick, point_at_sandbox, upstream_lines
from upstream import errors
from upstream.models import CallJournal
from upstream.sandbox import models as sandbox
from upstream.types.carts import CartItem

# -- fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture
def live_carts(live_server, settings, transactional_db):
    yield from point_at_sandbox(live_server, settings)


def add(sku: sandbox.Sku, quantity: int, **changes) -> str:
    fields = {
        "platform": sku.product.platform,
        "item_id": sku.product.item_id,
        "sku_id": sku.sku_id,
        "quantity": quantity,
    }
    return services.cart_add(**{**fields, **changes})


# -- add within limits ----------------------------------------------------------------------
def test_taobao_add_within_limits_reaches_the_upstream_cart(live_carts):
    sku = pick("taobao")
    cache_product(sku.product)

    cart_id = add(sku, 2)

    line = upstream_lines("taobao").get()
    assert (line.cart_id, line.sku_id, line.quantity) == (cart_id, sku.pk, 2)
    item = services.cart_get(platform="taobao").find(cart_id)
    assert item is not None and item.quantity == 2 and item.sku_id == sku.sku_id


def test_1688_add_at_the_minimum_reaches_the_upstream_cart(live_carts):
    sku = pick("1688", stock=200, minimum=1)
    minimum = sku.product.min_order_quantity
    cache_product(sku.product)

    cart_id = add(sku, minimum)

    line = upstream_lines("1688").get()
    assert (line.cart_id, line.quantity) == (cart_id, minimum)


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_add_works_with_what_the_item_page_caches(live_carts, platform):
    """The goods pages cache products through `purchasing.services.goods.product_get`."""
    from purchasing.services.goods import product_get

    sku = pick(platform, stock=200)
    product = product_get(platform=platform, item_id=sku.product.item_id)
    quantity = max(product.min_order_quantity, 1)

    cart_id = add(sku, quantity)

    line = upstream_lines(platform).get()
    assert (line.cart_id, line.sku_id, line.quantity) == (cart_id, sku.pk, quantity)


# -- refusals: a sentence, and nothing sent -------------------------------------------------
def refused(sku: sandbox.Sku, quantity, **changes) -> str:
    calls = CallJournal.objects.count()
    with pytest.raises(CartRefused) as caught:
        add(sku, quantity, **changes)
    assert not upstream_lines().exists()
    assert CallJournal.objects.count() == calls, "a refused add must not call the upstream"
    return caught.value.message


def test_below_the_1688_minimum_is_refused(live_carts):
    sku = pick("1688", stock=200, minimum=1)
    cache_product(sku.product)
    minimum = sku.product.min_order_quantity

    assert refused(sku, minimum - 1) == (f"The minimum order for this offer is {minimum} pieces.")


def test_more_than_the_stock_is_refused(live_carts):
    sku = pick("taobao")
    cache_product(sku.product)
    cache.Sku.objects.filter(sku_id=sku.sku_id).update(stock=3)

    assert refused(sku, 4) == "Only 3 left in stock."


def test_no_sku_chosen_is_refused(live_carts):
    sku = pick("taobao")
    cache_product(sku.product)

    assert refused(sku, 1, sku_id="") == "Choose a colour and size first."


@pytest.mark.parametrize("quantity", [0, -2, None])
def test_quantity_below_one_is_refused(live_carts, quantity):
    sku = pick("taobao")
    cache_product(sku.product)

    assert refused(sku, quantity) == "Enter a quantity of at least 1."


def test_unavailable_or_sold_out_sku_is_refused(live_carts):
    sku = pick("taobao")
    cache_product(sku.product)
    cache.Sku.objects.filter(sku_id=sku.sku_id).update(available=False)
    assert "cannot be ordered" in refused(sku, 1)

    cache.Sku.objects.filter(sku_id=sku.sku_id).update(available=True, stock=0)
    assert "out of stock" in refused(sku, 1)


def test_sku_of_another_item_is_refused(live_carts):
    sku = pick("taobao")
    other = pick("taobao", exclude=[sku.product.item_id])
    cache_product(sku.product)
    cache_product(other.product)

    assert "not offered for this item" in refused(sku, 1, sku_id=other.sku_id)


def test_item_never_opened_is_refused(live_carts):
    sku = pick("taobao")

    assert refused(sku, 1) == "Open the item page first, so we know its current price and stock."


def test_upstream_refusal_is_an_upstream_error(live_carts):
    """Our cache may be stale: the upstream still has the last word."""
    sku = pick("taobao")
    cache_product(sku.product)
    sandbox.Sku.objects.filter(pk=sku.pk).update(stock=1)

    with pytest.raises(errors.UpstreamError):
        add(sku, 2)
    assert not upstream_lines().exists()


# -- edit and remove ------------------------------------------------------------------------
@pytest.mark.parametrize("profile", ["rich", "documented"])
@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_quantity_edit_and_remove_change_the_upstream_rows(live_carts, settings, platform, profile):
    settings.SANDBOX_PROFILE = profile
    sku = pick(platform, stock=50)
    other = pick(platform, stock=50, exclude=[sku.product.item_id])
    cache_product(sku.product)
    cache_product(other.product)
    first = max(sku.product.min_order_quantity, 1)
    cart_id = add(sku, first)
    other_id = add(other, max(other.product.min_order_quantity, 1))

    cart = services.cart_set_quantity(platform=platform, cart_id=cart_id, quantity=first + 2)

    assert upstream_lines().get(cart_id=cart_id).quantity == first + 2
    assert cart.find(cart_id).quantity == first + 2

    cart = services.cart_remove(platform=platform, cart_ids=[other_id])

    assert list(upstream_lines().values_list("cart_id", flat=True)) == [cart_id]
    assert [item.cart_id for item in cart.items] == [cart_id]


def test_quantity_edit_is_refused_beyond_stock_or_below_the_minimum(live_carts):
    sku = pick("1688", stock=200, minimum=1)
    cache_product(sku.product)
    minimum = sku.product.min_order_quantity
    cart_id = add(sku, minimum)

    with pytest.raises(CartRefused, match=f"minimum order for this offer is {minimum} pieces"):
        services.cart_set_quantity(platform="1688", cart_id=cart_id, quantity=minimum - 1)
    with pytest.raises(CartRefused, match=f"Only {sku.stock} left in stock"):
        services.cart_set_quantity(platform="1688", cart_id=cart_id, quantity=sku.stock + 1)
    with pytest.raises(CartRefused, match="at least 1"):
        services.cart_set_quantity(platform="1688", cart_id=cart_id, quantity=0)
    with pytest.raises(CartRefused, match="no longer in the cart"):
        services.cart_set_quantity(platform="1688", cart_id="999999999", quantity=5)

    assert upstream_lines().get(cart_id=cart_id).quantity == minimum


# -- how a selection splits into upstream orders (pure) -------------------------------------
def line(seller: str, n: int, name: str = "") -> CartItem:
    return CartItem(
        raw={},
        cart_id=str(100000000 + n),
        platform="1688",
        item_id="5" + str(n),
        sku_id=str(n),
        seller_id=seller,
        seller_name=name or seller,
    )


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(0, ()), (1, (1,)), (50, (50,)), (51, (50, 1)), (71, (50, 21)), (150, (50, 50, 50))],
)
def test_split_sizes_fills_orders_of_fifty_first(count, sizes):
    assert split_sizes(count) == sizes


def test_one_seller_within_the_limit_is_one_order_without_warning():
    plan = plan_orders("1688", [line("B1", n) for n in range(50)])

    assert plan.order_count == 1 and plan.warnings == ()


def test_several_sellers_make_one_order_each():
    plan = plan_orders("1688", [line("B1", 1), line("B2", 2), line("B3", 3), line("B1", 4)])

    assert [seller.order_sizes for seller in plan.sellers] == [(2,), (1,), (1,)]
    assert plan.order_count == 3
    assert plan.warnings == (
        "These 3 sellers make 3 upstream orders: 1688 takes one supplier per order.",
    )


def test_more_than_fifty_skus_of_a_seller_split_into_orders_of_fifty():
    plan = plan_orders("1688", [line("B1", n, name="Yiwu Toys") for n in range(71)])

    assert plan.order_count == 2
    assert plan.warnings == (
        "71 SKUs from Yiwu Toys make 2 orders of 50 and 21 (at most 50 SKUs per order).",
    )
    three = plan_orders("1688", [line("B1", n, name="X") for n in range(120)])
    assert three.warnings == (
        "120 SKUs from X make 3 orders of 50, 50 and 20 (at most 50 SKUs per order).",
    )


def test_taobao_selection_is_one_order_without_warnings():
    lines = [line("S1", 1), line("S2", 2)]
    for item in lines:
        item.platform = "taobao"

    plan = plan_orders("taobao", lines)

    assert plan.warnings == () and len(plan.sellers) == 2
