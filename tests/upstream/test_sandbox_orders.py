"""The sandbox's order services: previews, creates, payments, status moves, price changes, ticks
and the callbacks they emit. The live tests of the order operations reuse the helpers here."""

from __future__ import annotations

import pytest

from tests.upstream.factories import (
    ADDRESS_1688,
    RECEIVER,
    dajisaas_taobao_order,
    fake_call,
    pick,
    tick,
)
from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Callback, Order, Payment, Platform, Product, Shop, Sku
from upstream.sandbox.router import SandboxError

TAOBAO, ALIBABA = Platform.TAOBAO.value, Platform.ALIBABA.value


# -- helpers for every order test -------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    seed_catalogue(products=60)


# -- pricing ------------------------------------------------------------------------------------
def test_preview_prices_lines_in_fen_and_adds_freight_per_seller(catalogue):
    a = pick(TAOBAO)
    b = pick(TAOBAO, other_than=(a,), other_shop_than=(a,))

    previews = pricing.preview(platform=TAOBAO, items=[a.item, b.item])

    assert [p.shop.pk for p in previews] == [a.product.shop_id, b.product.shop_id]
    first = previews[0]
    assert first.lines[0].unit_price_fen == a.sku.price_fen
    assert first.goods_fen == a.sku.price_fen * a.quantity
    assert first.freight_fen == pricing.freight_fen(TAOBAO, first.lines)
    assert first.total_fen == first.goods_fen + first.freight_fen - first.discount_fen


def test_1688_quantity_tier_lowers_the_unit_price(catalogue):
    offer = pick(ALIBABA, tiers=True)
    tiers = offer.product.price_tiers
    many = max(tiers[1]["startQuantity"], offer.quantity)

    low = pricing.preview(platform=ALIBABA, items=[offer.item])[0].lines[0]
    high = pricing.preview(platform=ALIBABA, items=[(offer.product, offer.sku, many, "1")])

    assert low.unit_price_fen == tiers[0]["priceFen"]
    assert high[0].lines[0].unit_price_fen == tiers[1]["priceFen"]


def test_freight_is_by_weight():
    product = Product(platform=ALIBABA, weight_g=600)
    line = pricing.PreviewLine(product, None, 3, 100, 300, True)  # 1.8 kg: two started kg

    assert pricing.freight_fen(ALIBABA, [line]) == 600 + 200


def test_full_reduction_promotion_over_the_threshold(catalogue):
    a = pick(TAOBAO)
    quantity = -(-pricing.PROMOTION_THRESHOLD_FEN // a.sku.price_fen)
    a.sku.stock = max(a.sku.stock, quantity)
    a.sku.save()

    seller = pricing.preview(platform=TAOBAO, items=[(a.product, a.sku, quantity, "1")])[0]

    assert seller.promotions[0]["promotionId"] == "FULL_REDUCTION_200_10"
    assert seller.discount_fen == 1000
    assert seller.total_fen == seller.goods_fen + seller.freight_fen - 1000


def test_unavailable_lines_are_reported_not_raised(catalogue):
    a = pick(ALIBABA)
    gone = pick(ALIBABA, other_than=(a,))
    Sku.objects.filter(pk=gone.sku.pk).update(available=False)
    gone.sku.refresh_from_db()
    short = (a.product, a.sku, a.sku.stock + 1, "3")

    seller = pricing.preview(platform=ALIBABA, items=[a.item, gone.item, short])[0]

    reasons = [line.reason for line in seller.lines]
    assert reasons == ["", pricing.UNAVAILABLE, pricing.OUT_OF_STOCK]
    assert [line.code for line in seller.lines] == [0, 1003, 1001]
    assert seller.goods_fen == seller.lines[0].amount_fen


# -- create ------------------------------------------------------------------------------------
def test_create_decrements_stock_and_records_ledger_ids(catalogue):
    a = pick(ALIBABA)
    stock = a.sku.stock
    call = fake_call("alibaba_order_create")

    [order] = svc.create_orders(
        call=call, platform=ALIBABA, items=[a.item], address=ADDRESS_1688, outer_ref="PO-1"
    )

    a.sku.refresh_from_db()
    assert a.sku.stock == stock - a.quantity
    assert order.status == "waitbuyerpay"
    assert order.provider == "pandapon" and order.created_by == "alibaba_order_create"
    assert order.outer_ref_field == "outOrderId"
    assert call.ledger_ids == [order.order_id]
    assert len(order.order_id) == 19
    assert Callback.objects.filter(message_type="ORDER_BUYER_VIEW_BUYER_MAKE").count() == 1


def test_taobao_order_passes_buliding_and_waits_for_payment(catalogue):
    a = pick(TAOBAO)

    [order] = svc.create_orders(
        call=fake_call("taobao_order_create"), platform=TAOBAO, items=[a.item], address=RECEIVER
    )

    assert order.status == "WAIT_BUYER_P"
    assert order.lines.get().status == "WAIT_BUYER_P"
    callback = Callback.objects.get(message_type="TAOBAO_ORDER_STATUS_MODIFY")
    assert callback.body["status"] == "WAIT_BUYER_P"


def test_create_never_deduplicates(catalogue):
    a = pick(ALIBABA)
    for _ in range(2):
        svc.create_orders(
            call=fake_call("alibaba_order_create"),
            platform=ALIBABA,
            items=[a.item],
            address=ADDRESS_1688,
            outer_ref="PO-SAME",
        )

    assert Order.objects.filter(outer_ref="PO-SAME").count() == 2


def test_create_refuses_everything_when_one_line_is_short(catalogue):
    a = pick(ALIBABA)
    b = pick(ALIBABA, other_than=(a,))
    stock = a.sku.stock

    with pytest.raises(SandboxError) as refused:
        svc.create_orders(
            call=fake_call("alibaba_order_create"),
            platform=ALIBABA,
            items=[a.item, (b.product, b.sku, b.sku.stock + 1, "2")],
            address=ADDRESS_1688,
        )

    assert refused.value.code == 1001
    assert not Order.objects.exists()
    a.sku.refresh_from_db()
    assert a.sku.stock == stock


def test_more_than_50_skus_for_one_seller_is_refused(catalogue):
    shop = Shop.objects.filter(platform=ALIBABA).first()
    product = Product.objects.create(
        platform=ALIBABA, item_id="599999999999", shop=shop, title="袜子", price_fen=100
    )
    skus = [
        Sku.objects.create(product=product, sku_id=str(n), spec_id=f"s{n}", price_fen=100, stock=9)
        for n in range(51)
    ]

    with pytest.raises(SandboxError) as refused:
        svc.create_orders(
            call=fake_call("alibaba_order_create"),
            platform=ALIBABA,
            items=[(product, sku, 1, str(n)) for n, sku in enumerate(skus)],
            address=ADDRESS_1688,
        )

    assert refused.value.code == 1004
    assert not Order.objects.exists()


def test_find_order_by_id_or_latest_outer_ref(catalogue):
    a = pick(ALIBABA)
    made = [
        svc.create_orders(
            call=fake_call("alibaba_order_create"),
            platform=ALIBABA,
            items=[a.item],
            address=ADDRESS_1688,
            outer_ref="PO-9",
        )[0]
        for _ in range(2)
    ]

    assert svc.find_order(made[0].order_id) == made[0]
    assert svc.find_order("PO-9") == made[1]
    with pytest.raises(SandboxError) as missing:
        svc.find_order("PO-none")
    assert missing.value.code == 404


# -- pay, cancel, moves ------------------------------------------------------------------------
@pytest.fixture
def order_1688(catalogue):
    a = pick(ALIBABA)
    return svc.create_orders(
        call=fake_call("alibaba_order_create"),
        platform=ALIBABA,
        items=[a.item],
        address=ADDRESS_1688,
        outer_ref="PO-7",
    )[0]


def test_pay_records_a_payment_every_time(order_1688):
    call = fake_call("alibaba_order_pay_url")

    svc.pay(call=call, order=order_1688)
    svc.pay(call=call, order=order_1688)

    order_1688.refresh_from_db()
    assert order_1688.status == "waitsellersend"
    assert order_1688.paid_at is not None
    assert Payment.objects.filter(order=order_1688).count() == 2
    assert call.ledger_ids == [order_1688.order_id] * 2


def test_cancelled_order_cannot_be_paid_and_paid_order_cannot_be_cancelled(order_1688):
    svc.pay(call=fake_call("alibaba_order_pay_url"), order=order_1688)
    with pytest.raises(SandboxError) as refused:
        svc.cancel(order_1688)
    assert refused.value.code == 1005

    other = svc.create_orders(
        call=fake_call("alibaba_order_create"),
        platform=ALIBABA,
        items=order_items(order_1688),
        address=ADDRESS_1688,
    )[0]
    svc.cancel(other)
    with pytest.raises(SandboxError) as refused:
        svc.pay(call=fake_call("alibaba_order_pay_url"), order=other)
    assert refused.value.code == 1005


def order_items(order: Order) -> list:
    return [(line.product, line.sku, line.quantity, "") for line in order.lines.all()]


def test_cancel_puts_stock_back(order_1688):
    line = order_1688.lines.get()
    before = line.sku.stock

    svc.cancel(order_1688, reason="buyerCancel")

    line.sku.refresh_from_db()
    order_1688.refresh_from_db()
    assert line.sku.stock == before + line.quantity
    assert order_1688.status == "cancel"
    assert order_1688.lines.get().status == "cancel"
    assert Callback.objects.filter(message_type="ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE").exists()


def test_advance_to_shipped_sets_tracking_and_timestamps(order_1688):
    svc.advance(order_1688, "waitbuyerreceive")

    order_1688.refresh_from_db()
    line = order_1688.lines.get()
    assert order_1688.paid_at and order_1688.shipped_at
    assert line.tracking_no and line.logistics_company in svc.CARRIER_CODES
    assert svc.trace_events(order_1688)[0]["status"] == "CONSIGN"
    with pytest.raises(SandboxError):
        svc.advance(order_1688, "WAIT_BUYER_P")  # a Taobao status


def test_change_price_before_payment_only(order_1688):
    total = order_1688.total_fen

    svc.change_price(order_1688, -150)

    order_1688.refresh_from_db()
    assert order_1688.total_fen == total - 150
    assert order_1688.discount_fen >= 150 and order_1688.price_modified
    message = Callback.objects.get(message_type="ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY")
    assert message.body["totalAmount"] == total - 150
    svc.pay(call=fake_call("alibaba_order_pay_url"), order=order_1688)
    with pytest.raises(SandboxError) as refused:
        svc.change_price(order_1688, 100)
    assert refused.value.code == 1005


def test_ticks_move_a_paid_1688_order_one_step_at_a_time(order_1688):
    svc.pay(call=fake_call("alibaba_order_pay_url"), order=order_1688)

    seen = []
    for _ in range(3):
        tick()
        order_1688.refresh_from_db()
        seen.append((order_1688.status, order_1688.arrived_at is not None))

    assert seen == [("waitbuyerreceive", False), ("waitbuyerreceive", True), ("success", True)]
    assert [event["status"] for event in svc.trace_events(order_1688)][-1] == "SIGN"


def test_ticks_ship_a_paid_taobao_order_and_leave_unpaid_ones(catalogue):
    a = pick(TAOBAO)
    paid, unpaid = (
        svc.create_orders(
            call=fake_call("taobao_order_create"), platform=TAOBAO, items=[a.item], address=RECEIVER
        )[0]
        for _ in range(2)
    )
    svc.pay(call=fake_call("taobao_order_pay"), order=paid)

    tick(2)

    paid.refresh_from_db()
    unpaid.refresh_from_db()
    assert paid.status == "WAIT_BUYER_CONFIRM_GOODS" and paid.arrived_at is not None
    assert unpaid.status == "WAIT_BUYER_P"


def test_status_callbacks_carry_increasing_updated_at(order_1688):
    svc.pay(call=fake_call("alibaba_order_pay_url"), order=order_1688)
    tick()

    bodies = [c.body for c in Callback.objects.filter(platform=ALIBABA).order_by("id")]

    assert [b["currentStatus"] for b in bodies] == [
        "waitbuyerpay",
        "waitsellersend",
        "waitbuyerreceive",
    ]
    stamps = [b["updatedAt"] for b in bodies]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert {b["outOrderId"] for b in bodies} == {"PO-7"}


def test_dajisaas_taobao_callbacks_are_message_type_3(catalogue):
    order = dajisaas_taobao_order(pick(TAOBAO), outer_ref="DJ-1")
    svc.change_price(order, 100)

    kinds = list(Callback.objects.order_by("id").values_list("message_type", "provider"))
    assert kinds == [("3", "dajisaas"), ("8", "dajisaas")]
    body = Callback.objects.get(message_type="3").body
    assert body["outer_purchase_id"] == "DJ-1" and body["purchase_id"] == order.order_id
