"""The Taobao cart over real HTTP: the client against the live sandbox, checked on the parsed
results and on the sandbox's own rows."""

from __future__ import annotations

import dataclasses

import pytest

from tests.upstream.factories import CART_RECEIVER, CART_USER, add_taobao, cart_row, cart_sku
from upstream import errors
from upstream.client import Transport
from upstream.pandapon import PandaPon
from upstream.sandbox import pricing
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import CartItem, LedgerEntry, Order, OrderLine, Sku
from upstream.types.carts import cart_id_of


@pytest.fixture
def catalogue(sandbox):
    seed_catalogue(products=60)
    return sandbox


# -- Taobao -------------------------------------------------------------------------------------
@pytest.mark.covers(
    "taobao_cart_add", "taobao_cart_list", "taobao_cart_edit_quantity", "taobao_cart_delete"
)
def test_taobao_cart_add_list_edit_and_delete(catalogue):
    client = catalogue.pandapon
    first = cart_sku("taobao")
    other = cart_sku("taobao", not_shops=(first.product.shop_id,))

    cart_id = add_taobao(client, first, 2)
    assert add_taobao(client, first, 1) == cart_id  # the same SKU again adds to its line
    other_id = add_taobao(client, other, 1)

    line = cart_row(cart_id)
    assert (line.user_id, line.platform, line.quantity) == (CART_USER, "taobao", 3)
    assert line.added_price_fen == first.price_fen
    assert CartItem.objects.filter(user_id=CART_USER, platform="taobao").count() == 2

    cart = client.taobao_cart.get()
    assert cart.platform == "taobao" and cart.disabled == []
    assert [seller.seller_id for seller in cart.sellers] == [
        first.product.shop.shop_id,
        other.product.shop.shop_id,
    ]
    item = cart.find(cart_id)
    assert item is not None and item.available and item.reason == ""
    assert (item.item_id, item.sku_id) == (first.product.item_id, first.sku_id)
    assert (item.mp_id, item.mp_sku_id) == (first.product.mp_id, first.mp_sku_id)
    assert (item.quantity, item.unit_price_fen, item.stock) == (3, first.price_fen, first.stock)
    assert item.amount_fen == 3 * first.price_fen
    assert item.title == first.product.title
    assert item.properties == first.properties
    assert item.picture.endswith(f"/sandbox/images/taobao/{first.product.item_id}/1.png")
    assert item.seller_name == first.product.shop.name

    assert client.taobao_cart.edit_quantity(cart_id=cart_id, quantity=1) is True
    assert cart_row(cart_id).quantity == 1

    assert client.taobao_cart.delete(cart_ids=[other_id]) is True
    assert not CartItem.objects.filter(cart_id=other_id).exists()
    assert [item.cart_id for item in client.taobao_cart.get().items] == [cart_id]


@pytest.mark.covers("taobao_cart_add")
def test_taobao_cart_add_refusals_leave_the_cart_alone(catalogue):
    client = catalogue.pandapon
    sku = cart_sku("taobao")
    product = sku.product
    base = {
        "item_id": product.item_id,
        "sku_id": sku.sku_id,
        "mp_id": product.mp_id,
        "mp_sku_id": sku.mp_sku_id,
    }

    with pytest.raises(errors.NotFound, match="mpId"):
        client.taobao_cart.add(**{**base, "mp_id": "1000000000000000000"}, quantity=1)
    with pytest.raises(errors.NotFound, match="mpSkuId"):
        client.taobao_cart.add(**{**base, "mp_sku_id": "1000000000000000000"}, quantity=1)
    with pytest.raises(errors.BadRequest, match="itemId"):
        client.taobao_cart.add(**{**base, "item_id": "600000000000"}, quantity=1)
    with pytest.raises(errors.BadRequest, match="quantity"):
        client.taobao_cart.add(**base, quantity=0)
    with pytest.raises(errors.OutOfStock):
        client.taobao_cart.add(**base, quantity=sku.stock + 1)
    Sku.objects.filter(pk=sku.pk).update(available=False)
    with pytest.raises(errors.OfferUnavailable):
        client.taobao_cart.add(**base, quantity=1)

    assert not CartItem.objects.exists()


@pytest.mark.covers("taobao_cart_add", "taobao_cart_edit_quantity", "taobao_cart_delete")
def test_taobao_cart_stock_counts_the_whole_line_and_unknown_ids_are_not_found(catalogue):
    client = catalogue.pandapon
    sku = cart_sku("taobao")
    Sku.objects.filter(pk=sku.pk).update(stock=5)
    cart_id = add_taobao(client, sku, 4)

    with pytest.raises(errors.OutOfStock):
        add_taobao(client, sku, 2)  # 4 in the cart + 2 > 5
    with pytest.raises(errors.OutOfStock):
        client.taobao_cart.edit_quantity(cart_id=cart_id, quantity=6)
    with pytest.raises(errors.NotFound):
        client.taobao_cart.edit_quantity(cart_id="123456789", quantity=1)
    with pytest.raises(errors.NotFound):
        client.taobao_cart.delete(cart_ids=[cart_id, "123456789"])

    assert cart_row(cart_id).quantity == 4  # nothing changed, not even by the mixed delete


@pytest.mark.covers("taobao_cart_add", "taobao_cart_list")
def test_taobao_cart_lists_unorderable_lines_apart_with_reasons(catalogue):
    client = catalogue.pandapon
    good = cart_sku("taobao")
    gone = cart_sku("taobao", not_shops=(good.product.shop_id,))
    short = cart_sku("taobao", not_shops=(good.product.shop_id, gone.product.shop_id))
    ids = [add_taobao(client, sku, 3) for sku in (good, gone, short)]
    Sku.objects.filter(pk=gone.pk).update(available=False)
    Sku.objects.filter(pk=short.pk).update(stock=2)

    cart = client.taobao_cart.get()

    assert [item.cart_id for item in cart.items] == [ids[0]]
    reasons = {item.cart_id: item.reason for item in cart.disabled}
    assert reasons == {ids[1]: pricing.UNAVAILABLE, ids[2]: pricing.OUT_OF_STOCK}
    assert all(not item.available for item in cart.disabled)
    assert cart.find(ids[2]).seller_id == short.product.shop.shop_id


@pytest.mark.covers("taobao_cart_add", "taobao_cart_list")
def test_carts_belong_to_their_upstream_user(catalogue):
    sku = cart_sku("taobao")
    add_taobao(catalogue.pandapon, sku, 1)
    account = dataclasses.replace(catalogue.pandapon.transport.account, user_id="2100000000009")
    other = PandaPon(Transport(account))

    assert other.taobao_cart.get().items == []
    other_id = add_taobao(other, sku, 2)

    assert cart_row(other_id).user_id == "2100000000009"
    assert len(catalogue.pandapon.taobao_cart.get().items) == 1
    with pytest.raises(errors.NotFound):
        catalogue.pandapon.taobao_cart.delete(cart_ids=[other_id])
    other.transport.session.close()  # no kept-alive connection left for the live server


@pytest.mark.covers("taobao_cart_add", "taobao_cart_preview")
def test_taobao_cart_preview_prices_each_shop_and_reports_unavailable_lines(catalogue):
    client = catalogue.pandapon
    first = cart_sku("taobao")
    other = cart_sku("taobao", not_shops=(first.product.shop_id,))
    ids = [add_taobao(client, first, 2), add_taobao(client, other, 1)]
    Sku.objects.filter(pk=other.pk).update(stock=0)

    previews = client.taobao_cart.preview(cart_ids=ids, address=CART_RECEIVER)

    expected = pricing.preview(
        platform="taobao",
        items=[
            (first.product, Sku.objects.get(pk=first.pk), 2, ids[0]),
            (other.product, Sku.objects.get(pk=other.pk), 1, ids[1]),
        ],
    )
    assert [p.seller_id for p in previews] == [s.shop.shop_id for s in expected]
    for preview, seller in zip(previews, expected, strict=True):
        assert (preview.goods_fen, preview.freight_fen) == (seller.goods_fen, seller.freight_fen)
        assert (preview.discount_fen, preview.total_fen) == (seller.discount_fen, seller.total_fen)
    ok, bad = previews
    assert ok.success and ok.unavailable == []
    assert ok.goods_fen == 2 * first.price_fen
    assert cart_id_of(ok.lines[0]) == ids[0]
    assert (ok.lines[0].quantity, ok.lines[0].unit_price_fen) == (2, first.price_fen)
    assert not bad.success and bad.error_code == "1001"
    assert [cart_id_of(line) for line in bad.unavailable] == [ids[1]]
    assert bad.unavailable[0].reason == pricing.OUT_OF_STOCK
    assert bad.goods_fen == 0  # unavailable lines are left out of the sums

    assert CartItem.objects.filter(user_id=CART_USER).count() == 2  # a preview changes nothing
    assert not Order.objects.exists()
    with pytest.raises(errors.BadRequest, match="cart items not found"):
        client.taobao_cart.preview(cart_ids=["123456789"], address=CART_RECEIVER)


@pytest.mark.covers("taobao_cart_add", "taobao_cart_create_order", "taobao_cart_list")
def test_taobao_cart_create_order_orders_the_lines_and_empties_them_from_the_cart(catalogue):
    client = catalogue.pandapon
    first = cart_sku("taobao")
    other = cart_sku("taobao", not_shops=(first.product.shop_id,))
    kept = cart_sku("taobao", not_shops=(first.product.shop_id, other.product.shop_id))
    ids = [add_taobao(client, first, 2), add_taobao(client, other, 1)]
    kept_id = add_taobao(client, kept, 1)
    stock_before = first.stock

    order = client.taobao_cart.create_order(
        cart_ids=ids, address=CART_RECEIVER, client_request_id="cart-tb-0001"
    )

    assert order.platform == "taobao" and order.status == "WAIT_BUYER_P"
    assert order.outer_ref == "cart-tb-0001"
    assert len(order.order_id) == 19 and order.order_no
    assert [line.line_no for line in order.lines] == ids
    assert [line.quantity for line in order.lines] == [2, 1]
    assert order.lines[0].amount_fen == 2 * first.price_fen
    assert order.lines[0].item_id  # itemMapId / itemId
    assert order.lines[0].result["purchase_amount"] == order.lines[0].amount_fen
    assert order.total_fen == order.goods_fen + order.freight_fen - order.discount_fen

    row_ = Order.objects.get(order_id=order.order_id)
    assert (row_.user_id, row_.platform, row_.outer_ref) == (CART_USER, "taobao", "cart-tb-0001")
    assert row_.created_by == "taobao_cart_create_order"
    assert row_.address["mobile_phone"] == CART_RECEIVER["mobilePhone"]
    assert OrderLine.objects.filter(order=row_).count() == 2
    assert Sku.objects.get(pk=first.pk).stock == stock_before - 2
    assert list(CartItem.objects.filter(user_id=CART_USER).values_list("cart_id", flat=True)) == [
        kept_id
    ]
    assert [item.cart_id for item in client.taobao_cart.get().items] == [kept_id]
    entry = LedgerEntry.objects.get(outer_ref="cart-tb-0001")
    assert entry.upstream_ids == [order.order_id]

    # The lines are gone: a repeat is refused rather than ordering twice.
    with pytest.raises(errors.BadRequest, match="cart items not found"):
        client.taobao_cart.create_order(
            cart_ids=ids, address=CART_RECEIVER, client_request_id="cart-tb-0001"
        )
    assert Order.objects.filter(outer_ref="cart-tb-0001").count() == 1


@pytest.mark.covers("taobao_cart_add", "taobao_cart_create_order")
def test_taobao_cart_create_order_is_never_deduplicated_while_lines_remain(catalogue):
    client = catalogue.pandapon
    sku = cart_sku("taobao")
    first_id = add_taobao(client, sku, 1)
    client.taobao_cart.create_order(
        cart_ids=[first_id], address=CART_RECEIVER, client_request_id="cart-tb-same"
    )
    second_id = add_taobao(client, sku, 1)  # the same SKU again: a new line

    client.taobao_cart.create_order(
        cart_ids=[second_id], address=CART_RECEIVER, client_request_id="cart-tb-same"
    )

    assert Order.objects.filter(outer_ref="cart-tb-same").count() == 2


@pytest.mark.covers("taobao_cart_add", "taobao_cart_create_order")
def test_taobao_cart_create_order_refuses_unorderable_lines_and_keeps_the_cart(catalogue):
    client = catalogue.pandapon
    first = cart_sku("taobao")
    other = cart_sku("taobao", not_shops=(first.product.shop_id,))
    ids = [add_taobao(client, first, 1), add_taobao(client, other, 3)]
    Sku.objects.filter(pk=other.pk).update(stock=1)

    with pytest.raises(errors.OutOfStock):
        client.taobao_cart.create_order(
            cart_ids=ids, address=CART_RECEIVER, client_request_id="x-1"
        )
    Sku.objects.filter(pk=other.pk).update(stock=10, available=False)
    with pytest.raises(errors.OfferUnavailable):
        client.taobao_cart.create_order(
            cart_ids=ids, address=CART_RECEIVER, client_request_id="x-2"
        )
    with pytest.raises(errors.BadRequest, match=r"orderAddress\.name"):
        client.taobao_cart.create_order(
            cart_ids=ids[:1], address={"address": "somewhere"}, client_request_id="x-3"
        )

    assert not Order.objects.exists()
    assert CartItem.objects.filter(user_id=CART_USER).count() == 2
