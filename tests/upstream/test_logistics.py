"""Addresses and warehouse logistics over real HTTP against the live sandbox: freight quotes,
renders, international bookings with their tracking, and domestic tracking updates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from upstream import errors
from upstream.client import Transport
from upstream.sandbox import control, freight
from upstream.sandbox.handlers.logistics import advance_bookings
from upstream.sandbox.ids import new_id
from upstream.sandbox.models import (
    Address,
    Booking,
    FreightRender,
    Order,
    OrderLine,
    Platform,
    Product,
    Shop,
    Sku,
)
from upstream.types.logistics import (
    WEIGHT_ACTUAL,
    WEIGHT_VOLUMETRIC,
    DomesticShipment,
    FreightItem,
    ReceiverAddress,
)

BULKY = "6100000000002"  # 8 cm3/g: volumetric for express and sea, not for the standard line
DENSE = "6100000000005"  # 2 cm3/g: always charged by actual weight
ALICE = ReceiverAddress(
    name="Alice Smith",
    country="US",
    city="Portland",
    state="OR",
    zip="97201",
    address="1 Main St",
    phone="+15035550100",
)


def make_product(item_id: str, weight_g: int) -> Product:
    shop, _ = Shop.objects.get_or_create(
        shop_id="shop-logistics", defaults={"platform": Platform.TAOBAO, "name": "义乌小商品"}
    )
    product = Product.objects.create(
        platform=Platform.TAOBAO,
        item_id=item_id,
        shop=shop,
        title="收纳箱",
        price_fen=2500,
        weight_g=weight_g,
    )
    Sku.objects.create(product=product, sku_id=f"{item_id}1", price_fen=2500, stock=50)
    return product


def tick() -> int:
    with transaction.atomic():
        return advance_bookings()


# -- addresses -------------------------------------------------------------------------------
@pytest.mark.covers("address_add_or_update", "address_get")
def test_address_book_adds_updates_and_lists(sandbox):
    api = sandbox.pandapon.addresses

    home = api.save(
        name="张三",
        phone="138 0000 0000",
        province="浙江省",
        city="杭州市",
        district="余杭区",
        address="文一西路 969 号",
        postcode="311121",
    )
    office = api.save(
        name="李四",
        phone="13900000000",
        province="广东省",
        city="深圳市",
        address="科技园 1 号",
        is_default=True,
    )
    assert (
        api.save(
            address_id=home,
            name="张三",
            phone="13800000001",
            province="浙江省",
            city="杭州市",
            address="文一西路 970 号",
        )
        == home
    )

    addresses = api.get()
    assert [address.address_id for address in addresses] == [office, home]
    assert addresses[0].is_default and not addresses[1].is_default
    assert addresses[1].phone == "13800000001" and addresses[1].address == "文一西路 970 号"
    assert [address.name for address in api.get(address_id=office)] == ["李四"]
    assert Address.objects.filter(user_id=settings.PANDAPON_USER_ID).count() == 2


@pytest.mark.covers("address_add_or_update")
def test_invalid_addresses_are_refused_naming_the_field(sandbox):
    api = sandbox.pandapon.addresses
    valid = {
        "name": "张三",
        "phone": "13800000000",
        "province": "浙江省",
        "city": "杭州市",
        "address": "1 号",
    }

    with pytest.raises(errors.BadRequest, match="phone"):
        api.save(**{**valid, "phone": "call me"})
    with pytest.raises(errors.BadRequest, match="name"):
        api.save(**{**valid, "name": "   "})
    with pytest.raises(errors.BadRequest, match="postcode"):
        api.save(**valid, postcode="31#121")
    with pytest.raises(errors.NotFound):
        api.save(**valid, address_id="1000000000000000001")
    assert not Address.objects.exists()


# -- freight ---------------------------------------------------------------------------------
@pytest.mark.covers("logistics_item_price")
def test_item_freight_offers_every_service_cheapest_first(sandbox):
    make_product(BULKY, weight_g=1000)

    estimate = sandbox.pandapon.warehouse_logistics.item_freight(
        item_id=BULKY, sku_id=f"{BULKY}1", receiver=ALICE, quantity=1
    )

    assert estimate.actual_weight_g == 1050  # the item and its packaging
    assert [q.service_id for q in estimate.quotes] == ["PP-SEA", "PP-ECO-AIR", "PP-STD", "PP-EXP"]
    assert [q.price_fen for q in estimate.quotes] == [9200, 11400, 13100, 28400]
    assert estimate.cheapest().service_id == "PP-SEA" and estimate.quotes[0].is_cheapest
    assert estimate.fastest().service_id == "PP-EXP" and estimate.fastest().days_max == 6
    express, standard = estimate.quote("PP-EXP"), estimate.quote("PP-STD")
    assert (express.weight_basis, express.chargeable_weight_g) == (WEIGHT_VOLUMETRIC, 1620)
    assert (standard.weight_basis, standard.chargeable_weight_g) == (WEIGHT_ACTUAL, 1050)
    assert express.category == "EXPRESS" and express.company_name == "DHL Express"
    assert not FreightRender.objects.exists()  # an estimate keeps nothing


@pytest.mark.covers("logistics_item_price")
def test_freight_depends_on_destination_and_weight(sandbox):
    make_product(DENSE, weight_g=3000)
    api = sandbox.pandapon.warehouse_logistics

    japan = api.item_freight(item_id=DENSE, receiver=ReceiverAddress(name="Ken", country="JP"))
    elsewhere = api.item_freight(item_id=DENSE, receiver=ReceiverAddress(name="Ana", country="BR"))

    # 3050 g is too heavy for economy air; the rest of the world has no sea line.
    assert {q.service_id for q in japan.quotes} == {"PP-STD", "PP-EXP", "PP-SEA"}
    assert {q.service_id for q in elsewhere.quotes} == {"PP-STD", "PP-EXP"}
    assert japan.quote("PP-EXP").price_fen < elsewhere.quote("PP-EXP").price_fen
    assert japan.quote("PP-EXP").days_max < elsewhere.quote("PP-EXP").days_max
    assert all(q.weight_basis == WEIGHT_ACTUAL for q in japan.quotes)
    with pytest.raises(errors.NotFound):
        api.item_freight(item_id="404404", receiver=ALICE)
    with pytest.raises(errors.BadRequest, match=r"receiverAddress\.country"):
        api.item_freight(item_id=DENSE, receiver=ReceiverAddress(name="X", country="USA"))


@pytest.mark.covers(
    "logistics_order_render_freight",
    "logistics_order_booking",
    "logistics_booking_query",
    "logistics_booking_track",
)
def test_booking_on_a_render_then_travels_to_delivery(sandbox):
    make_product(BULKY, weight_g=1000)
    make_product(DENSE, weight_g=400)
    api = sandbox.pandapon.warehouse_logistics
    items = [FreightItem(item_id=BULKY, quantity=1), FreightItem(item_id=DENSE, quantity=2)]

    render = api.render_freight(receiver=ALICE, items=items)

    box = freight.parcel([(BULKY, 1000, 1), (DENSE, 400, 2)])
    assert render.render_id.startswith("FR") and render.expires_at
    assert render.actual_weight_g == box.actual_g == 1850
    assert render.quote("PP-STD").price_fen == freight.price_fen(
        freight.SERVICES["PP-STD"], freight.zone_for("US"), 1850
    )
    assert FreightRender.objects.get(render_id=render.render_id).country == "US"

    chosen = [
        FreightItem(item_id=i.item_id, quantity=i.quantity, service_id="PP-STD") for i in items
    ]
    booking = api.book(
        render_id=render.render_id,
        receiver=ALICE,
        items=chosen,
        client_request_id="PKG-1",
        tmall_order_id="T-88",
        remark="fragile",
    )

    assert booking.status == "created" and booking.tracking_no.startswith("PP")
    assert booking.freight_fen == render.quote("PP-STD").price_fen
    assert booking.service_id == "PP-STD" and booking.tmall_order_id == "T-88"
    assert booking.client_request_id == "PKG-1" and len(booking.events) == 1
    assert api.booking_get(booking_id=booking.booking_id).freight_fen == booking.freight_fen

    assert tick() == 1
    assert tick() == 1
    assert tick() == 1
    assert tick() == 0

    events = api.track(booking_id=booking.booking_id)
    assert [event.status for event in events] == ["created", "picked", "in_transit", "delivered"]
    assert events[-1].location == "Portland, US"
    assert api.booking_get(booking_id=booking.booking_id).status == "delivered"
    assert Booking.objects.get(booking_id=booking.booking_id).status == Booking.Status.DELIVERED
    with pytest.raises(errors.NotFound):
        api.track(booking_id="1000000000000000001")


@pytest.mark.covers(
    "logistics_order_render_freight", "logistics_order_booking", "logistics_booking_query"
)
def test_booking_twice_with_one_client_request_id_makes_two(sandbox):
    make_product(DENSE, weight_g=400)
    api = sandbox.pandapon.warehouse_logistics
    items = [FreightItem(item_id=DENSE, quantity=1, service_id="PP-EXP")]
    render = api.render_freight(receiver=ALICE, items=items)
    assert render.selected_service_id == "PP-EXP"

    first = api.book(
        render_id=render.render_id, receiver=ALICE, items=items, client_request_id="PKG-2"
    )
    second = api.book(
        render_id=render.render_id, receiver=ALICE, items=items, client_request_id="PKG-2"
    )

    assert first.booking_id != second.booking_id
    found = api.bookings_by_request(client_request_id="PKG-2")
    assert [booking.booking_id for booking in found] == [first.booking_id, second.booking_id]
    assert Booking.objects.filter(outer_ref="PKG-2").count() == 2
    assert control.ledger(outer_ref="PKG-2").count() == 2
    assert api.bookings_by_request(client_request_id="PKG-never") == []


@pytest.mark.covers("logistics_order_render_freight", "logistics_order_booking")
def test_booking_refusals(sandbox):
    make_product(DENSE, weight_g=400)
    api = sandbox.pandapon.warehouse_logistics
    items = [FreightItem(item_id=DENSE, quantity=1, service_id="PP-STD")]
    render = api.render_freight(receiver=ALICE, items=items)

    more = [FreightItem(item_id=DENSE, quantity=5, service_id="PP-STD")]
    with pytest.raises(errors.PriceChanged):
        api.book(render_id=render.render_id, receiver=ALICE, items=more, client_request_id="P-3")
    with pytest.raises(errors.BadRequest, match="country"):
        api.book(
            render_id=render.render_id,
            receiver=ReceiverAddress(name="Ken", country="JP"),
            items=items,
            client_request_id="P-3",
        )
    with pytest.raises(errors.BadRequest, match="one service"):
        api.render_freight(
            receiver=ALICE,
            items=[*items, FreightItem(item_id=DENSE, quantity=1, service_id="PP-EXP")],
        )
    FreightRender.objects.filter(render_id=render.render_id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(errors.StateForbids, match="expired"):
        api.book(render_id=render.render_id, receiver=ALICE, items=items, client_request_id="P-3")
    assert not Booking.objects.exists()


@pytest.mark.covers("logistics_booking_query")
def test_query_sign_must_repeat_the_signed_headers(sandbox, monkeypatch):
    real = Transport._signed_request

    def tampered(self, op, params, files):
        kwargs = real(self, op, params, files)
        kwargs["params"]["sign"] = "0" * 32
        return kwargs

    monkeypatch.setattr(Transport, "_signed_request", tampered)
    with pytest.raises(errors.AuthenticationFailed):
        sandbox.pandapon.warehouse_logistics.bookings_by_request(client_request_id="PKG-1")


# -- domestic tracking -----------------------------------------------------------------------
@pytest.mark.covers("logistics_update_domestic")
def test_domestic_tracking_lands_on_the_order_lines(sandbox):
    product = make_product(DENSE, weight_g=400)
    order = Order.objects.create(
        provider="pandapon",
        platform=Platform.TAOBAO,
        user_id=settings.PANDAPON_USER_ID,
        order_id=new_id(),
        created_by="test",
        status="WAIT_BUYER_CONFIRM_GOODS",
    )
    line = OrderLine.objects.create(
        order=order,
        sub_order_id=new_id(),
        product=product,
        sku=product.skus.get(),
        quantity=1,
        unit_price_fen=2500,
        amount_fen=2500,
        status=order.status,
    )
    api = sandbox.pandapon.warehouse_logistics
    shipment = DomesticShipment(
        item_id=DENSE,
        sku_id=f"{DENSE}1",
        quantity=1,
        tracking_no="YT8800112233",
        company_name="圆通速递",
        shipped_at="2026-11-20 10:00:00",
    )

    assert api.update_domestic(order_id=order.order_id, shipments=[shipment])

    line.refresh_from_db()
    assert (line.tracking_no, line.logistics_company) == ("YT8800112233", "圆通速递")
    stranger = DomesticShipment(item_id="999", tracking_no="X1")
    with pytest.raises(errors.BadRequest, match="lineItem"):
        api.update_domestic(order_id=order.order_id, shipments=[stranger])
    with pytest.raises(errors.NotFound):
        api.update_domestic(order_id="1000000000000000001", shipments=[shipment])
