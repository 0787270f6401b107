"""The 1688 cart over real HTTP: the client against the live sandbox, checked on the parsed
results and on the sandbox's own rows."""

from __future__ import annotations

import pytest

from tests.upstream.factories import CART_RECEIVER, CART_USER, add_taobao, cart_row, cart_sku
from upstream import errors
from upstream.sandbox import pricing
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import CartItem, LedgerEntry, Order, OrderLine, Product, Sku
from upstream.types.carts import cart_id_of

ADDRESS_1688 = {
    "fullName": "张三",
    "mobile": "13800000000",
    "postCode": "310000",
    "provinceText": "浙江省",
    "cityText": "杭州市",
    "areaText": "西湖区",
    "address": "文三路 90 号",
}


@pytest.fixture
def catalogue(sandbox):
    seed_catalogue(products=60)
    return sandbox


def set_minimum(sku: Sku, minimum: int) -> None:
    """A 1688 offer with a minimum order quantity and a single price (no tiers)."""
    Product.objects.filter(pk=sku.product_id).update(min_order_quantity=minimum, price_tiers=[])


# -- 1688 ---------------------------------------------------------------------------------------
@pytest.mark.covers(
    "alibaba_cart_add", "alibaba_cart_list", "alibaba_cart_edit_quantity", "alibaba_cart_delete"
)
def test_alibaba_cart_add_list_edit_and_delete(catalogue):
    client = catalogue.pandapon
    first = cart_sku("1688")
    other = cart_sku("1688", not_shops=(first.product.shop_id,))
    set_minimum(first, 1)
    set_minimum(other, 1)

    cart_id = client.alibaba_cart.add(
        offer_id=first.product.item_id, spec_id=first.spec_id, quantity=4
    )
    same = client.alibaba_cart.add(
        offer_id=first.product.item_id, spec_id=first.spec_id, quantity=2
    )
    other_id = client.alibaba_cart.add(
        offer_id=other.product.item_id, spec_id=other.spec_id, quantity=1
    )

    assert same == cart_id
    line = cart_row(cart_id)
    assert (line.user_id, line.platform, line.quantity) == (CART_USER, "1688", 6)

    cart = client.alibaba_cart.get()
    assert cart.platform == "1688" and cart.disabled == []
    assert [seller.seller_id for seller in cart.sellers] == [
        first.product.shop.shop_id,
        other.product.shop.shop_id,
    ]
    item = cart.find(cart_id)
    assert (item.item_id, item.spec_id, item.sku_id) == (
        first.product.item_id,
        first.spec_id,
        first.sku_id,
    )
    assert (item.quantity, item.unit_price_fen, item.stock) == (6, first.price_fen, first.stock)
    assert item.properties == first.properties
    assert item.seller_name == first.product.shop.name
    assert item.raw["offerMapId"] == first.product.item_id

    assert client.alibaba_cart.edit_quantity(cart_id=cart_id, quantity=3) is True
    assert cart_row(cart_id).quantity == 3
    assert client.alibaba_cart.delete(cart_ids=[cart_id, other_id]) is True
    assert not CartItem.objects.exists()
    assert client.alibaba_cart.get().sellers == []


@pytest.mark.covers("alibaba_cart_add", "alibaba_cart_edit_quantity")
def test_alibaba_cart_respects_the_offers_minimum_order_quantity(catalogue):
    client = catalogue.pandapon
    sku = cart_sku("1688", stock=50)
    set_minimum(sku, 5)
    offer = sku.product.item_id

    with pytest.raises(errors.BadRequest, match="minimum order quantity 5"):
        client.alibaba_cart.add(offer_id=offer, spec_id=sku.spec_id, quantity=4)
    assert not CartItem.objects.exists()

    cart_id = client.alibaba_cart.add(offer_id=offer, spec_id=sku.spec_id, quantity=5)
    with pytest.raises(errors.BadRequest, match="minimum order quantity 5"):
        client.alibaba_cart.edit_quantity(cart_id=cart_id, quantity=2)
    assert cart_row(cart_id).quantity == 5


@pytest.mark.covers("alibaba_cart_add")
def test_alibaba_cart_add_refuses_unknown_unavailable_and_short_skus(catalogue):
    client = catalogue.pandapon
    sku = cart_sku("1688")
    set_minimum(sku, 1)
    offer = sku.product.item_id

    with pytest.raises(errors.NotFound):
        client.alibaba_cart.add(offer_id="599999999999", spec_id=sku.spec_id, quantity=1)
    with pytest.raises(errors.NotFound, match="specId"):
        client.alibaba_cart.add(offer_id=offer, spec_id="0" * 32, quantity=1)
    with pytest.raises(errors.OutOfStock):
        client.alibaba_cart.add(offer_id=offer, spec_id=sku.spec_id, quantity=sku.stock + 1)
    Product.objects.filter(pk=sku.product_id).update(available=False)
    with pytest.raises(errors.OfferUnavailable):
        client.alibaba_cart.add(offer_id=offer, spec_id=sku.spec_id, quantity=1)

    assert not CartItem.objects.exists()


@pytest.mark.covers("alibaba_cart_add", "alibaba_cart_list")
def test_alibaba_cart_lists_unorderable_lines_apart_with_reasons(catalogue):
    client = catalogue.pandapon
    good = cart_sku("1688")
    gone = cart_sku("1688", not_shops=(good.product.shop_id,))
    for sku in (good, gone):
        set_minimum(sku, 1)
    good_id = client.alibaba_cart.add(
        offer_id=good.product.item_id, spec_id=good.spec_id, quantity=2
    )
    gone_id = client.alibaba_cart.add(
        offer_id=gone.product.item_id, spec_id=gone.spec_id, quantity=2
    )
    Sku.objects.filter(pk=gone.pk).update(stock=0)

    cart = client.alibaba_cart.get()

    assert [item.cart_id for item in cart.items] == [good_id]
    assert [(item.cart_id, item.reason) for item in cart.disabled] == [
        (gone_id, pricing.OUT_OF_STOCK)
    ]
    assert cart.disabled[0].seller_id == gone.product.shop.shop_id
    assert cart.disabled[0].raw["disableReason"] == pricing.OUT_OF_STOCK


@pytest.mark.covers("alibaba_cart_add", "alibaba_cart_preview")
def test_alibaba_cart_preview_is_the_1688_preview_per_seller(catalogue):
    client = catalogue.pandapon
    first = cart_sku("1688")
    other = cart_sku("1688", not_shops=(first.product.shop_id,))
    for sku in (first, other):
        set_minimum(sku, 1)
    ids = [
        client.alibaba_cart.add(offer_id=s.product.item_id, spec_id=s.spec_id, quantity=q)
        for s, q in ((first, 3), (other, 1))
    ]

    previews = client.alibaba_cart.preview(cart_ids=ids, address=ADDRESS_1688, flow="general")

    assert [p.seller_id for p in previews] == [
        first.product.shop.shop_id,
        other.product.shop.shop_id,
    ]
    one = previews[0]
    assert one.success and one.flow == "general"
    assert cart_id_of(one.lines[0]) == ids[0]
    assert (one.lines[0].item_id, one.lines[0].spec_id) == (first.product.item_id, first.spec_id)
    # Cargo amounts travel in yuan and come out in fen.
    assert one.lines[0].unit_price_fen == first.price_fen
    assert one.lines[0].amount_fen == 3 * first.price_fen
    assert one.goods_fen == 3 * first.price_fen
    assert one.freight_fen == pricing.freight_fen(
        "1688", [pricing.PreviewLine(first.product, first, 3, 0, 0, True)]
    )
    assert one.total_fen == one.goods_fen + one.freight_fen - one.discount_fen
    assert CartItem.objects.count() == 2 and not Order.objects.exists()


@pytest.mark.covers("alibaba_cart_add", "alibaba_cart_create_order", "alibaba_cart_list")
def test_alibaba_cart_create_order_makes_one_order_per_seller_and_empties_the_lines(catalogue):
    client = catalogue.pandapon
    first = cart_sku("1688")
    other = cart_sku("1688", not_shops=(first.product.shop_id,))
    kept = cart_sku("1688", not_shops=(first.product.shop_id, other.product.shop_id))
    for sku in (first, other, kept):
        set_minimum(sku, 1)
    ids = [
        client.alibaba_cart.add(offer_id=s.product.item_id, spec_id=s.spec_id, quantity=q)
        for s, q in ((first, 2), (other, 1))
    ]
    kept_id = client.alibaba_cart.add(
        offer_id=kept.product.item_id, spec_id=kept.spec_id, quantity=1
    )

    created = client.alibaba_cart.create_order(
        cart_ids=ids,
        client_request_id="cart-1688-0001",
        address=ADDRESS_1688,
        message="请尽快发货",
    )

    assert created.success and len(created.order_ids) == 2
    assert created.outer_ref == "cart-1688-0001"
    orders = {o.order_id: o for o in Order.objects.filter(order_id__in=created.order_ids)}
    assert {o.shop.shop_id for o in orders.values()} == {
        first.product.shop.shop_id,
        other.product.shop.shop_id,
    }
    for order in orders.values():
        assert (order.user_id, order.platform, order.status) == (CART_USER, "1688", "waitbuyerpay")
        assert order.outer_ref == "cart-1688-0001"
        assert order.flow == "general" and order.message == "请尽快发货"
        assert order.lines.count() == 1
    assert created.total_fen == sum(o.total_fen for o in orders.values())
    line = OrderLine.objects.get(order__shop=first.product.shop, order__in=orders.values())
    assert (line.order_line_no, line.quantity) == (ids[0], 2)
    assert [item.cart_id for item in client.alibaba_cart.get().items] == [kept_id]
    assert sorted(LedgerEntry.objects.get(outer_ref="cart-1688-0001").upstream_ids) == sorted(
        created.order_ids
    )

    with pytest.raises(errors.BadRequest, match="cart items not found"):
        client.alibaba_cart.create_order(cart_ids=ids, client_request_id="cart-1688-0001")
    assert Order.objects.filter(outer_ref="cart-1688-0001").count() == 2


@pytest.mark.covers("alibaba_cart_add", "alibaba_cart_create_order")
def test_alibaba_cart_create_order_refuses_stock_shortage_and_keeps_the_cart(catalogue):
    client = catalogue.pandapon
    sku = cart_sku("1688")
    set_minimum(sku, 1)
    cart_id = client.alibaba_cart.add(offer_id=sku.product.item_id, spec_id=sku.spec_id, quantity=3)
    Sku.objects.filter(pk=sku.pk).update(stock=2)

    with pytest.raises(errors.OutOfStock):
        client.alibaba_cart.create_order(cart_ids=[cart_id], client_request_id="cart-1688-x")
    with pytest.raises(errors.BadRequest, match="flow"):
        client.alibaba_cart.create_order(
            cart_ids=[cart_id], client_request_id="cart-1688-y", flow="nonsense"
        )

    assert not Order.objects.exists()
    assert cart_row(cart_id).quantity == 3


@pytest.mark.covers("taobao_cart_add", "taobao_cart_preview")
def test_taobao_cart_preview_applies_the_shops_full_reduction(catalogue):
    client = catalogue.pandapon
    sku = cart_sku("taobao")
    quantity = -(-pricing.PROMOTION_THRESHOLD_FEN // sku.price_fen)  # just over 200 yuan
    Sku.objects.filter(pk=sku.pk).update(stock=quantity + 10)
    cart_id = add_taobao(client, sku, quantity)

    (preview,) = client.taobao_cart.preview(cart_ids=[cart_id], address=CART_RECEIVER)

    assert preview.goods_fen == quantity * sku.price_fen >= pricing.PROMOTION_THRESHOLD_FEN
    assert [p["promotionId"] for p in preview.promotions] == [pricing.PROMOTION["promotionId"]]
    assert preview.discount_fen == pricing.PROMOTION_DISCOUNT_FEN
    assert preview.total_fen == preview.goods_fen + preview.freight_fen - preview.discount_fen
