"""PandaPon 1688 orders over HTTP: the client against the live sandbox."""

from __future__ import annotations

import pytest

from tests.upstream.factories import ADDRESS_1688, pick, tick
from upstream import errors
from upstream.sandbox import pricing
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Order, Payment, Platform, Sku
from upstream.types.orders import Cargo
from upstream.types.orders import Order as OrderResult

ALIBABA = Platform.ALIBABA.value


@pytest.fixture
def live(sandbox):
    seed_catalogue(products=60)
    return sandbox


def cargo(p, *, quantity: int | None = None) -> Cargo:
    return Cargo(
        offer_id=p.product.item_id,
        spec_id=p.sku.spec_id,
        quantity=quantity or p.quantity,
        seller_open_id=p.product.shop.shop_id,
    )


def create(live, *picks, outer_ref="PO-1"):
    return live.pandapon.alibaba_orders.create(
        address=ADDRESS_1688, cargo=[cargo(p) for p in picks], outer_ref=outer_ref
    )


@pytest.mark.covers("alibaba_order_preview")
def test_preview_prices_lines_in_fen_with_freight_and_trade_modes(live):
    a = pick(ALIBABA)
    b = pick(ALIBABA, other_than=(a,))
    expected = pricing.preview(platform=ALIBABA, items=[a.item, b.item])[0]

    [preview] = live.pandapon.alibaba_orders.preview(
        address=ADDRESS_1688, cargo=[cargo(a), cargo(b)]
    )

    assert preview.seller_id == a.product.shop.shop_id and preview.success
    assert [line.unit_price_fen for line in preview.lines] == [
        line.unit_price_fen for line in expected.lines
    ]
    assert preview.lines[0].amount_fen == expected.lines[0].amount_fen
    assert (preview.goods_fen, preview.freight_fen, preview.total_fen) == (
        expected.goods_fen,
        expected.freight_fen,
        expected.total_fen,
    )
    assert preview.freight_fen > 0
    assert "assureTrade" in preview.trade_modes
    assert not Order.objects.exists()


@pytest.mark.covers("alibaba_order_preview")
def test_preview_reports_a_stock_shortage_on_its_line(live):
    a = pick(ALIBABA)
    b = pick(ALIBABA, other_than=(a,))

    [preview] = live.pandapon.alibaba_orders.preview(
        address=ADDRESS_1688, cargo=[cargo(a), cargo(b, quantity=b.sku.stock + 1)]
    )

    assert not preview.success and preview.error_code == "1001"
    assert [line.available for line in preview.lines] == [True, False]
    assert preview.unavailable[0].reason == "out of stock"
    assert preview.goods_fen == preview.lines[0].amount_fen


@pytest.mark.covers("alibaba_order_preview", "alibaba_order_batch_preview")
def test_lines_of_two_sellers_need_the_batch_preview(live):
    a = pick(ALIBABA)
    b = pick(ALIBABA, other_shop_than=(a,))
    orders = live.pandapon.alibaba_orders

    with pytest.raises(errors.BadRequest):
        orders.preview(address=ADDRESS_1688, cargo=[cargo(a), cargo(b)])
    previews = orders.batch_preview(address=ADDRESS_1688, cargo=[cargo(a), cargo(b)])

    assert [p.seller_id for p in previews] == [a.product.shop.shop_id, b.product.shop.shop_id]
    assert all(p.total_fen == p.goods_fen + p.freight_fen - p.discount_fen for p in previews)


@pytest.mark.covers("alibaba_order_create", "alibaba_order_detail", "alibaba_order_page")
def test_create_then_read_the_order_in_fen_and_find_it_by_outer_ref(live):
    a = pick(ALIBABA)
    stock = a.sku.stock

    created = create(live, a, outer_ref="PO-100")

    row = Order.objects.get(order_id=created.order_id)
    assert created.order_ids == [row.order_id] and created.outer_ref == "PO-100"
    assert (created.total_fen, created.freight_fen) == (row.total_fen, row.freight_fen)
    assert Sku.objects.get(pk=a.sku.pk).stock == stock - a.quantity

    detail = live.pandapon.alibaba_orders.detail(order_id=created.order_id)
    assert (detail.status, detail.outer_ref, detail.paid) == ("waitbuyerpay", "PO-100", False)
    assert (detail.total_fen, detail.goods_fen, detail.freight_fen) == (
        row.total_fen,
        row.goods_fen,
        row.freight_fen,
    )
    [line] = detail.lines
    assert (line.item_id, line.spec_id, line.quantity) == (
        a.product.item_id,
        a.sku.spec_id,
        a.quantity,
    )
    assert line.amount_fen == row.lines.get().amount_fen
    assert detail.seller_id == a.product.shop.shop_id and detail.created_at is not None

    page = live.pandapon.alibaba_orders.page(outer_ref="PO-100")
    assert [o.order_id for o in page.orders] == [created.order_id]
    assert live.pandapon.alibaba_orders.page(status="waitbuyerpay").total == 1
    assert live.pandapon.alibaba_orders.page(status="success").total == 0


@pytest.mark.covers("alibaba_order_create", "alibaba_order_page")
def test_create_refuses_lines_of_two_sellers_and_creates_twice_for_one_ref(live):
    a = pick(ALIBABA)
    b = pick(ALIBABA, other_shop_than=(a,))

    with pytest.raises(errors.BadRequest):
        create(live, a, b, outer_ref="PO-MIXED")
    assert not Order.objects.exists()

    create(live, a, outer_ref="PO-TWICE")
    create(live, a, outer_ref="PO-TWICE")
    assert live.pandapon.alibaba_orders.page(outer_ref="PO-TWICE").total == 2


@pytest.mark.covers("alibaba_order_batch_create", "alibaba_order_page")
def test_batch_create_makes_one_order_per_seller(live):
    a = pick(ALIBABA)
    b = pick(ALIBABA, other_shop_than=(a,))

    created = live.pandapon.alibaba_orders.batch_create(
        address=ADDRESS_1688, cargo=[cargo(a), cargo(b)], outer_ref="PO-BATCH"
    )

    assert len(created.order_ids) == 2
    rows = Order.objects.filter(outer_ref="PO-BATCH")
    assert {row.shop.shop_id for row in rows} == {a.product.shop.shop_id, b.product.shop.shop_id}
    assert created.total_fen == sum(row.total_fen for row in rows)
    assert {o["sellerOpenId"] for o in created.orders} == {row.shop.shop_id for row in rows}
    assert live.pandapon.alibaba_orders.page(outer_ref="PO-BATCH").total == 2


@pytest.mark.covers("alibaba_order_batch_create")
def test_batch_create_refuses_everything_when_one_seller_is_short(live):
    a = pick(ALIBABA)
    b = pick(ALIBABA, other_shop_than=(a,))

    with pytest.raises(errors.OutOfStock):
        live.pandapon.alibaba_orders.batch_create(
            address=ADDRESS_1688,
            cargo=[cargo(a), cargo(b, quantity=b.sku.stock + 1)],
            outer_ref="PO-SHORT",
        )

    assert not Order.objects.exists()


@pytest.mark.covers("alibaba_order_create", "alibaba_order_pay_url", "alibaba_order_cancel")
def test_pay_twice_records_two_payments_and_a_paid_order_cannot_be_cancelled(live):
    created = create(live, pick(ALIBABA), outer_ref="PO-PAY")
    orders = live.pandapon.alibaba_orders

    first = orders.pay_url(order_id=created.order_id)
    second = orders.pay_url(order_id=created.order_id)

    assert first.paid and first.amount_fen == created.total_fen
    assert second.paid and second.pay_ids != first.pay_ids
    assert Payment.objects.filter(order__order_id=created.order_id).count() == 2
    assert Order.objects.get(order_id=created.order_id).status == "waitsellersend"
    with pytest.raises(errors.StateForbids):
        orders.cancel(order_id=created.order_id)


@pytest.mark.covers("alibaba_order_create", "alibaba_order_cancel", "alibaba_order_pay_url")
def test_cancel_an_unpaid_order_and_it_cannot_be_paid(live):
    a = pick(ALIBABA)
    created = create(live, a, outer_ref="PO-CANCEL")
    orders = live.pandapon.alibaba_orders

    assert orders.cancel(order_id=created.order_id, reason="buyerCancel", remark="wrong size")

    row = Order.objects.get(order_id=created.order_id)
    assert (row.status, row.close_reason) == ("cancel", "buyerCancel")
    assert Sku.objects.get(pk=a.sku.pk).stock == a.sku.stock
    refused = orders.pay_url(order_id=created.order_id)
    assert not refused.paid and refused.failed_order_ids == [created.order_id]
    assert not Payment.objects.exists()


@pytest.mark.covers(
    "alibaba_order_create", "alibaba_order_cancel", "alibaba_order_batch_submit_to_pay"
)
def test_batch_submit_to_pay_pays_the_payable_orders(live):
    a = pick(ALIBABA)
    ids = [create(live, a, outer_ref=f"PO-B{n}").order_id for n in range(3)]
    orders = live.pandapon.alibaba_orders
    orders.cancel(order_id=ids[2])

    result = orders.submit_to_pay(order_ids=ids)

    assert result.paid_order_ids == ids[:2] and result.failed_order_ids == [ids[2]]
    assert not result.paid  # one could not be paid
    assert Payment.objects.filter(order__order_id__in=ids).count() == 2
    assert result.amount_fen == sum(
        Order.objects.get(order_id=order_id).total_fen for order_id in ids[:2]
    )
    with pytest.raises(errors.StateForbids):
        orders.submit_to_pay(order_ids=[ids[2]])


@pytest.mark.covers(
    "alibaba_order_create",
    "alibaba_order_pay_url",
    "alibaba_order_logistics_trace",
    "alibaba_order_receive_goods",
    "alibaba_order_detail",
)
def test_shipped_order_has_a_trace_and_receipt_completes_it(live):
    created = create(live, pick(ALIBABA), outer_ref="PO-SHIP")
    orders = live.pandapon.alibaba_orders

    assert orders.logistics_trace(order_id=created.order_id) == []
    with pytest.raises(errors.StateForbids):
        orders.receive_goods(order_id=created.order_id)
    orders.pay_url(order_id=created.order_id)
    tick()

    [parcel] = orders.logistics_trace(order_id=created.order_id)
    line = Order.objects.get(order_id=created.order_id).lines.get()
    assert (parcel.tracking_no, parcel.carrier) == (line.tracking_no, line.logistics_company)
    assert parcel.carrier_code and parcel.events[0].status == "CONSIGN"
    detail = orders.detail(order_id=created.order_id)
    assert detail.status == "waitbuyerreceive" and detail.paid
    assert detail.lines[0].tracking_no == line.tracking_no

    assert orders.receive_goods(order_id=created.order_id, entry_ids=[line.sub_order_id])
    row = Order.objects.get(order_id=created.order_id)
    assert row.status == "success" and row.completed_at is not None


@pytest.mark.covers("alibaba_order_create", "alibaba_order_pay_url", "alibaba_order_detail")
def test_ticks_take_a_paid_order_to_success(live):
    created = create(live, pick(ALIBABA), outer_ref="PO-TICK")
    live.pandapon.alibaba_orders.pay_url(order_id=created.order_id)

    statuses = []
    for _ in range(3):
        tick()
        statuses.append(live.pandapon.alibaba_orders.detail(order_id=created.order_id).status)

    assert statuses == ["waitbuyerreceive", "waitbuyerreceive", "success"]


# -- parsing -----------------------------------------------------------------------------------
def test_trade_info_amounts_are_yuan_and_become_fen():
    data = {
        "baseInfo": {
            "id": "2257164624870311973",
            "status": "waitsellersend",
            "totalAmount": 11.96,
            "sumProductPayment": "8.96",
            "shippingFee": 3,
            "discount": -50,
            "outOrderId": "PO-1",
            "createTime": "20240814150358000+0800",
            "payTime": "20240814150410000+0800",
        },
        "productItems": [
            {
                "productID": 623686863670,
                "subItemIDString": "2257164624871311973",
                "price": 1.792,
                "itemAmount": 8.96,
                "quantity": 5,
                "specId": "53a1",
            }
        ],
    }

    order = OrderResult.from_trade_info(data)

    assert (order.total_fen, order.goods_fen, order.freight_fen, order.discount_fen) == (
        1196,
        896,
        300,
        50,
    )
    assert order.paid and order.created_at.isoformat() == "2024-08-14T15:03:58+08:00"
    [line] = order.lines
    assert (line.item_id, line.sub_order_id) == ("623686863670", "2257164624871311973")
    assert (line.unit_price_fen, line.amount_fen) == (179, 896)
