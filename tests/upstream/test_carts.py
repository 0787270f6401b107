"""The Taobao and 1688 carts over real HTTP: the client against the live sandbox, checked on the
parsed results and on the sandbox's own rows."""

from __future__ import annotations

import dataclasses

import pytest

from upstream import errors
from upstream.client import Transport
from upstream.pandapon import PandaPon
from upstream.sandbox import pricing
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import CartItem, LedgerEntry, Order, OrderLine, Product, Sku
from upstream.types.carts import cart_id_of

USER = "2100007341207"  # settings.PANDAPON_USER_ID, whose cart the sandbox client fills
ADDRESS = {
    "name": "张三",
    "mobilePhone": "13800000000",
    "phone": "13800000000",
    "country": "中国",
    "state": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "address": "文三路 90 号",
    "zip": "310000",
}
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


def pick(platform: str, *, stock: int = 20, not_shops: tuple[int, ...] = ()) -> Sku:
    """An orderable SKU with at least `stock` units, from a shop not in `not_shops`."""
    sku = (
        Sku.objects.select_related("product__shop")
        .filter(product__platform=platform, product__available=True, available=True)
        .filter(stock__gte=stock)
        .exclude(product__shop_id__in=not_shops)
        .order_by("product__item_id", "pk")
        .first()
    )
    assert sku is not None, f"the seeded catalogue has no orderable {platform} SKU"
    return sku


def add_taobao(client: PandaPon, sku: Sku, quantity: int) -> str:
    return client.taobao_cart.add(
        item_id=sku.product.item_id,
        sku_id=sku.sku_id,
        mp_id=sku.product.mp_id,
        mp_sku_id=sku.mp_sku_id,
        quantity=quantity,
    )


def set_minimum(sku: Sku, minimum: int) -> None:
    """A 1688 offer with a minimum order quantity and a single price (no tiers)."""
    Product.objects.filter(pk=sku.product_id).update(min_order_quantity=minimum, price_tiers=[])


def row(cart_id: str) -> CartItem:
    return CartItem.objects.get(cart_id=cart_id)


# -- Taobao -------------------------------------------------------------------------------------
@pytest.mark.covers(
    "taobao_cart_add", "taobao_cart_list", "taobao_cart_edit_quantity", "taobao_cart_delete"
)
def test_taobao_cart_add_list_edit_and_delete(catalogue):
    client = catalogue.pandapon
    first = pick("taobao")
    other = pick("taobao", not_shops=(first.product.shop_id,))

    cart_id = add_taobao(client, first, 2)
    assert add_taobao(client, first, 1) == cart_id  # the same SKU again adds to its line
    other_id = add_taobao(client, other, 1)

    line = row(cart_id)
    assert (line.user_id, line.platform, line.quantity) == (USER, "taobao", 3)
    assert line.added_price_fen == first.price_fen
    assert CartItem.objects.filter(user_id=USER, platform="taobao").count() == 2

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
    assert row(cart_id).quantity == 1

    assert client.taobao_cart.delete(cart_ids=[other_id]) is True
    assert not CartItem.objects.filter(cart_id=other_id).exists()
    assert [item.cart_id for item in client.taobao_cart.get().items] == [cart_id]


@pytest.mark.covers("taobao_cart_add")
def test_taobao_cart_add_refusals_leave_the_cart_alone(catalogue):
    client = catalogue.pandapon
    sku = pick("taobao")
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
    sku = pick("taobao")
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

    assert row(cart_id).quantity == 4  # nothing changed, not even by the mixed delete


@pytest.mark.covers("taobao_cart_add", "taobao_cart_list")
def test_taobao_cart_lists_unorderable_lines_apart_with_reasons(catalogue):
    client = catalogue.pandapon
    good = pick("taobao")
    gone = pick("taobao", not_shops=(good.product.shop_id,))
    short = pick("taobao", not_shops=(good.product.shop_id, gone.product.shop_id))
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
    sku = pick("taobao")
    add_taobao(catalogue.pandapon, sku, 1)
    account = dataclasses.replace(catalogue.pandapon.transport.account, user_id="2100000000009")
    other = PandaPon(Transport(account))

    assert other.taobao_cart.get().items == []
    other_id = add_taobao(other, sku, 2)

    assert row(other_id).user_id == "2100000000009"
    assert len(catalogue.pandapon.taobao_cart.get().items) == 1
    with pytest.raises(errors.NotFound):
        catalogue.pandapon.taobao_cart.delete(cart_ids=[other_id])


@pytest.mark.covers("taobao_cart_add", "taobao_cart_preview")
def test_taobao_cart_preview_prices_each_shop_and_reports_unavailable_lines(catalogue):
    client = catalogue.pandapon
    first = pick("taobao")
    other = pick("taobao", not_shops=(first.product.shop_id,))
    ids = [add_taobao(client, first, 2), add_taobao(client, other, 1)]
    Sku.objects.filter(pk=other.pk).update(stock=0)

    previews = client.taobao_cart.preview(cart_ids=ids, address=ADDRESS)

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

    assert CartItem.objects.filter(user_id=USER).count() == 2  # a preview changes nothing
    assert not Order.objects.exists()
    with pytest.raises(errors.BadRequest, match="cart items not found"):
        client.taobao_cart.preview(cart_ids=["123456789"], address=ADDRESS)


@pytest.mark.covers("taobao_cart_add", "taobao_cart_create_order", "taobao_cart_list")
def test_taobao_cart_create_order_orders_the_lines_and_empties_them_from_the_cart(catalogue):
    client = catalogue.pandapon
    first = pick("taobao")
    other = pick("taobao", not_shops=(first.product.shop_id,))
    kept = pick("taobao", not_shops=(first.product.shop_id, other.product.shop_id))
    ids = [add_taobao(client, first, 2), add_taobao(client, other, 1)]
    kept_id = add_taobao(client, kept, 1)
    stock_before = first.stock

    order = client.taobao_cart.create_order(
        cart_ids=ids, address=ADDRESS, client_request_id="cart-tb-0001"
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
    assert (row_.user_id, row_.platform, row_.outer_ref) == (USER, "taobao", "cart-tb-0001")
    assert row_.created_by == "taobao_cart_create_order"
    assert row_.address["mobile_phone"] == ADDRESS["mobilePhone"]
    assert OrderLine.objects.filter(order=row_).count() == 2
    assert Sku.objects.get(pk=first.pk).stock == stock_before - 2
    assert list(CartItem.objects.filter(user_id=USER).values_list("cart_id", flat=True)) == [
        kept_id
    ]
    assert [item.cart_id for item in client.taobao_cart.get().items] == [kept_id]
    entry = LedgerEntry.objects.get(outer_ref="cart-tb-0001")
    assert entry.upstream_ids == [order.order_id]

    # The lines are gone: a repeat is refused rather than ordering twice.
    with pytest.raises(errors.BadRequest, match="cart items not found"):
        client.taobao_cart.create_order(
            cart_ids=ids, address=ADDRESS, client_request_id="cart-tb-0001"
        )
    assert Order.objects.filter(outer_ref="cart-tb-0001").count() == 1


@pytest.mark.covers("taobao_cart_add", "taobao_cart_create_order")
def test_taobao_cart_create_order_is_never_deduplicated_while_lines_remain(catalogue):
    client = catalogue.pandapon
    sku = pick("taobao")
    first_id = add_taobao(client, sku, 1)
    client.taobao_cart.create_order(
        cart_ids=[first_id], address=ADDRESS, client_request_id="cart-tb-same"
    )
    second_id = add_taobao(client, sku, 1)  # the same SKU again: a new line

    client.taobao_cart.create_order(
        cart_ids=[second_id], address=ADDRESS, client_request_id="cart-tb-same"
    )

    assert Order.objects.filter(outer_ref="cart-tb-same").count() == 2


@pytest.mark.covers("taobao_cart_add", "taobao_cart_create_order")
def test_taobao_cart_create_order_refuses_unorderable_lines_and_keeps_the_cart(catalogue):
    client = catalogue.pandapon
    first = pick("taobao")
    other = pick("taobao", not_shops=(first.product.shop_id,))
    ids = [add_taobao(client, first, 1), add_taobao(client, other, 3)]
    Sku.objects.filter(pk=other.pk).update(stock=1)

    with pytest.raises(errors.OutOfStock):
        client.taobao_cart.create_order(cart_ids=ids, address=ADDRESS, client_request_id="x-1")
    Sku.objects.filter(pk=other.pk).update(stock=10, available=False)
    with pytest.raises(errors.OfferUnavailable):
        client.taobao_cart.create_order(cart_ids=ids, address=ADDRESS, client_request_id="x-2")
    with pytest.raises(errors.BadRequest, match=r"orderAddress\.name"):
        client.taobao_cart.create_order(
            cart_ids=ids[:1], address={"address": "somewhere"}, client_request_id="x-3"
        )

    assert not Order.objects.exists()
    assert CartItem.objects.filter(user_id=USER).count() == 2


# -- 1688 ---------------------------------------------------------------------------------------
@pytest.mark.covers(
    "alibaba_cart_add", "alibaba_cart_list", "alibaba_cart_edit_quantity", "alibaba_cart_delete"
)
def test_alibaba_cart_add_list_edit_and_delete(catalogue):
    client = catalogue.pandapon
    first = pick("1688")
    other = pick("1688", not_shops=(first.product.shop_id,))
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
    line = row(cart_id)
    assert (line.user_id, line.platform, line.quantity) == (USER, "1688", 6)

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
    assert row(cart_id).quantity == 3
    assert client.alibaba_cart.delete(cart_ids=[cart_id, other_id]) is True
    assert not CartItem.objects.exists()
    assert client.alibaba_cart.get().sellers == []


@pytest.mark.covers("alibaba_cart_add", "alibaba_cart_edit_quantity")
def test_alibaba_cart_respects_the_offers_minimum_order_quantity(catalogue):
    client = catalogue.pandapon
    sku = pick("1688", stock=50)
    set_minimum(sku, 5)
    offer = sku.product.item_id

    with pytest.raises(errors.BadRequest, match="minimum order quantity 5"):
        client.alibaba_cart.add(offer_id=offer, spec_id=sku.spec_id, quantity=4)
    assert not CartItem.objects.exists()

    cart_id = client.alibaba_cart.add(offer_id=offer, spec_id=sku.spec_id, quantity=5)
    with pytest.raises(errors.BadRequest, match="minimum order quantity 5"):
        client.alibaba_cart.edit_quantity(cart_id=cart_id, quantity=2)
    assert row(cart_id).quantity == 5


@pytest.mark.covers("alibaba_cart_add")
def test_alibaba_cart_add_refuses_unknown_unavailable_and_short_skus(catalogue):
    client = catalogue.pandapon
    sku = pick("1688")
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
    good = pick("1688")
    gone = pick("1688", not_shops=(good.product.shop_id,))
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
    first = pick("1688")
    other = pick("1688", not_shops=(first.product.shop_id,))
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
    first = pick("1688")
    other = pick("1688", not_shops=(first.product.shop_id,))
    kept = pick("1688", not_shops=(first.product.shop_id, other.product.shop_id))
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
        assert (order.user_id, order.platform, order.status) == (USER, "1688", "waitbuyerpay")
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
    sku = pick("1688")
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
    assert row(cart_id).quantity == 3


@pytest.mark.covers("taobao_cart_add", "taobao_cart_preview")
def test_taobao_cart_preview_applies_the_shops_full_reduction(catalogue):
    client = catalogue.pandapon
    sku = pick("taobao")
    quantity = -(-pricing.PROMOTION_THRESHOLD_FEN // sku.price_fen)  # just over 200 yuan
    Sku.objects.filter(pk=sku.pk).update(stock=quantity + 10)
    cart_id = add_taobao(client, sku, quantity)

    (preview,) = client.taobao_cart.preview(cart_ids=[cart_id], address=ADDRESS)

    assert preview.goods_fen == quantity * sku.price_fen >= pricing.PROMOTION_THRESHOLD_FEN
    assert [p["promotionId"] for p in preview.promotions] == [pricing.PROMOTION["promotionId"]]
    assert preview.discount_fen == pricing.PROMOTION_DISCOUNT_FEN
    assert preview.total_fen == preview.goods_fen + preview.freight_fen - preview.discount_fen
