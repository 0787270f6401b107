"""PandaPon Taobao purchase orders over HTTP: the client against the live sandbox."""

from __future__ import annotations

import pytest

from tests.upstream.factories import RECEIVER, pick, tick
from upstream import errors
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Order, Payment, Platform, Sku
from upstream.types.orders import Order as OrderResult
from upstream.types.orders import TaobaoLine

TAOBAO = Platform.TAOBAO.value


@pytest.fixture
def live(sandbox):
    seed_catalogue(products=60)
    return sandbox


def line(p, **kwargs) -> TaobaoLine:
    return TaobaoLine(item_id=p.product.item_id, sku_id=p.sku.sku_id, quantity=p.quantity, **kwargs)


def create(live, *picks, outer_ref="SO-1", **kwargs):
    lines = [line(p, price_fen=p.sku.price_fen) for p in picks]
    return live.pandapon.taobao_orders.create(
        lines=lines, receiver=RECEIVER, outer_ref=outer_ref, **kwargs
    )


@pytest.mark.covers("taobao_order_create", "taobao_order_get", "taobao_order_page")
def test_create_an_order_and_find_it_by_id_status_and_outer_ref(live):
    a = pick(TAOBAO, quantity=2)
    b = pick(TAOBAO, other_than=(a,), other_shop_than=(a,))
    stock = a.sku.stock

    created = create(live, a, b, outer_ref="SO-100", order_source="lazada")

    assert created.status == "WAIT_BUYER_P"
    assert len(created.order_id) == 19 and created.outer_ref == "SO-100"
    first, second = created.lines
    assert (first.item_id, first.sku_id, first.quantity) == (a.product.item_id, a.sku.sku_id, 2)
    assert first.amount_fen == a.sku.price_fen * 2
    assert first.unit_price_fen == a.sku.price_fen
    assert first.purchase_id.startswith("2000") and first.sub_purchase_id
    assert created.goods_fen == first.amount_fen + second.amount_fen
    assert created.total_fen == created.goods_fen + created.freight_fen - created.discount_fen
    row = Order.objects.get(order_id=created.order_id)
    assert (row.outer_ref, row.total_fen, row.lines.count()) == ("SO-100", created.total_fen, 2)
    assert Sku.objects.get(pk=a.sku.pk).stock == stock - 2

    got = live.pandapon.taobao_orders.get(order_id=created.order_id)
    assert (got.order_id, got.total_fen, got.paid) == (created.order_id, created.total_fen, False)
    assert got.created_at is not None

    by_ref = live.pandapon.taobao_orders.page(outer_ref="SO-100")
    assert [o.order_id for o in by_ref.orders] == [created.order_id] and by_ref.total == 1
    assert live.pandapon.taobao_orders.page(status="WAIT_SELLER_SEND_GOODS").total == 0
    assert live.pandapon.taobao_orders.page(status="WAIT_BUYER_P").total == 1


@pytest.mark.covers("taobao_order_create", "taobao_order_page")
def test_creating_twice_with_one_outer_ref_makes_two_orders(live):
    a = pick(TAOBAO)

    first = create(live, a, outer_ref="SO-TWICE")
    second = create(live, a, outer_ref="SO-TWICE")

    assert first.order_id != second.order_id
    page = live.pandapon.taobao_orders.page(outer_ref="SO-TWICE")
    assert page.total == 2 and page.orders[0].order_id == second.order_id
    assert Order.objects.filter(outer_ref="SO-TWICE").count() == 2


@pytest.mark.covers("taobao_order_create")
def test_a_budget_below_the_price_is_refused_as_price_changed(live):
    a = pick(TAOBAO)

    with pytest.raises(errors.PriceChanged):
        create(live, a, outer_ref="SO-CHEAP", budget_fen=1)

    assert not Order.objects.exists()
    assert create(live, a, outer_ref="SO-OK", budget_fen=10**7).status == "WAIT_BUYER_P"


@pytest.mark.covers("taobao_order_create")
def test_more_than_the_stock_is_refused_and_nothing_is_created(live):
    a = pick(TAOBAO)
    too_many = TaobaoLine(item_id=a.product.item_id, sku_id=a.sku.sku_id, quantity=a.sku.stock + 1)

    with pytest.raises(errors.OutOfStock):
        live.pandapon.taobao_orders.create(lines=[too_many], receiver=RECEIVER, outer_ref="SO-2")

    assert not Order.objects.exists()


@pytest.mark.covers("taobao_order_create", "taobao_order_pay", "taobao_order_cancel")
def test_pay_twice_charges_twice_and_a_paid_order_cannot_be_cancelled(live):
    created = create(live, pick(TAOBAO), outer_ref="SO-PAY")
    orders = live.pandapon.taobao_orders

    first = orders.pay(order_id=created.order_id)
    second = orders.pay(order_id=created.order_id)

    assert first.paid and first.amount_fen == created.total_fen
    assert first.pay_ids != second.pay_ids
    assert Payment.objects.filter(order__order_id=created.order_id).count() == 2
    assert Order.objects.get(order_id=created.order_id).status == "WAIT_SELLER_SEND_GOODS"
    with pytest.raises(errors.StateForbids):
        orders.cancel(order_id=created.order_id)


@pytest.mark.covers("taobao_order_create", "taobao_order_cancel", "taobao_order_batch_pay")
def test_batch_pay_names_what_it_paid_and_what_it_could_not(live):
    orders = live.pandapon.taobao_orders
    first = create(live, pick(TAOBAO), outer_ref="SO-B1")
    closed = create(live, pick(TAOBAO), outer_ref="SO-B2")
    orders.cancel(order_id=closed.order_id, reason="buyerCancel")

    result = orders.batch_pay(order_ids=[first.order_id, closed.order_id])

    assert result.paid_order_ids == [first.order_id]
    assert result.failed_order_ids == [closed.order_id]
    assert result.amount_fen == first.total_fen
    assert Payment.objects.filter(order__order_id=first.order_id).count() == 1
    assert not Payment.objects.filter(order__order_id=closed.order_id).exists()
    # Nothing payable: a refusal, not an answer that pays nothing.
    with pytest.raises(errors.StateForbids):
        orders.batch_pay(order_ids=[closed.order_id])
    assert Payment.objects.count() == 1


@pytest.mark.covers("taobao_order_create", "taobao_order_cancel", "taobao_order_pay")
def test_cancel_an_unpaid_order_restocks_it_and_it_cannot_be_paid(live):
    a = pick(TAOBAO)
    created = create(live, a, outer_ref="SO-CANCEL")

    assert live.pandapon.taobao_orders.cancel(order_id=created.order_id, reason="buyerCancel")

    row = Order.objects.get(order_id=created.order_id)
    assert row.status == "TRADE_CLOSED" and row.close_reason == "buyerCancel"
    assert Sku.objects.get(pk=a.sku.pk).stock == a.sku.stock
    with pytest.raises(errors.StateForbids):
        live.pandapon.taobao_orders.pay(order_id=created.order_id)
    assert not Payment.objects.exists()
    with pytest.raises(errors.NotFound):
        live.pandapon.taobao_orders.cancel(order_id="1000000000000000000")


@pytest.mark.covers("taobao_order_create", "taobao_order_update_warehouse", "taobao_order_pay")
def test_update_warehouse_until_the_seller_ships(live):
    created = create(live, pick(TAOBAO), outer_ref="SO-WH")
    orders = live.pandapon.taobao_orders

    assert orders.update_warehouse(
        order_id=created.order_id, warehouse_name="义乌仓", warehouse_address="义乌市稠江街道 8 号"
    )

    got = orders.get(order_id=created.order_id)
    assert (got.warehouse_name, got.warehouse_address) == ("义乌仓", "义乌市稠江街道 8 号")
    orders.pay(order_id=created.order_id)
    tick()
    with pytest.raises(errors.StateForbids):
        orders.update_warehouse(
            order_id=created.order_id, warehouse_name="广州仓", warehouse_address="广州"
        )


@pytest.mark.covers("taobao_order_create", "taobao_order_voucher_upload")
def test_upload_a_payment_voucher_image_or_pdf(live):
    created = create(live, pick(TAOBAO), outer_ref="SO-VOUCHER")
    orders = live.pandapon.taobao_orders

    url = orders.upload_voucher(
        order_id=created.order_id,
        content=b"\x89PNG\r\n\x1a\n....",
        filename="voucher.png",
        content_type="image/png",
    )
    orders.upload_voucher(
        order_id=created.order_id,
        content=b"%PDF-1.4\n",
        filename="voucher.pdf",
        content_type="application/pdf",
    )

    assert created.order_id in url
    vouchers = Order.objects.get(order_id=created.order_id).vouchers
    assert [v["name"] for v in vouchers] == ["voucher.png", "voucher.pdf"]
    assert vouchers[1]["contentType"] == "application/pdf"
    with pytest.raises(errors.BadRequest):
        orders.upload_voucher(
            order_id=created.order_id,
            content=b"hello",
            filename="voucher.txt",
            content_type="text/plain",
        )


@pytest.mark.covers("taobao_order_create", "taobao_order_im_link")
def test_im_link_points_at_the_taobao_distributor_chat(live):
    a = pick(TAOBAO)
    created = create(live, a, outer_ref="SO-IM")

    link = live.pandapon.taobao_orders.im_link(
        page_name="imChat", page_params={"sourceType": "order", "bizId": created.order_id}
    )

    assert link.startswith("https://distributor.taobao.global/apps/open/imchat?loginToken=")
    with pytest.raises(errors.NotFound):
        live.pandapon.taobao_orders.im_link(
            page_name="imChat", page_params={"sourceType": "order", "bizId": "404"}
        )


@pytest.mark.covers("taobao_order_create", "taobao_order_pay", "taobao_order_logistics")
def test_logistics_appear_when_the_seller_ships_and_end_at_the_warehouse(live):
    created = create(live, pick(TAOBAO), outer_ref="SO-SHIP")
    orders = live.pandapon.taobao_orders
    sub_order = created.lines[0]

    assert orders.logistics(sub_order_id=sub_order.sub_order_id) == []
    orders.pay(order_id=created.order_id)
    tick()

    [parcel] = orders.logistics(sub_order_id=sub_order.sub_order_id)
    row = Order.objects.get(order_id=created.order_id).lines.get()
    assert (parcel.tracking_no, parcel.carrier) == (row.tracking_no, row.logistics_company)
    assert parcel.order_id == "SO-SHIP"
    assert [e.status for e in parcel.events] == ["CONSIGN", "ACCEPT"]
    assert orders.get(order_id=created.order_id).status == "WAIT_BUYER_CONFIRM_GOODS"

    tick()
    [parcel] = orders.logistics(sub_order_id=sub_order.sub_purchase_id)  # Taobao's id works too
    assert parcel.events[-1].status == "SIGN" and parcel.events[-1].time is not None
    assert parcel.receiver["city"] == RECEIVER["city"]


# -- parsing -----------------------------------------------------------------------------------
def test_sub_order_amounts_are_fen_strings_and_sub_order_result_is_decoded():
    data = {
        "id": "1031992847890383164",
        "orderNo": "1031992847781331418",
        "createTime": "2023-10-18 18:11:08",
        "subOrderVOS": [
            {
                "subOrderId": "1031992851828834889",
                "quantity": 2,
                "purchaseAmount": "3990",
                "domesticPostFee": "600",
                "itemId": "600086815456800431",
                "skuId": "4766078803304",
                "status": "WAIT_BUYER_P",
                "taobaoPurchaseId": "200027842447",
                "subOrderResult": '{"purchase_order_outer_id":"SO-1","product_amount":3990}',
            }
        ],
    }

    order = OrderResult.from_taobao(data)

    [sub] = order.lines
    assert (sub.amount_fen, sub.unit_price_fen, sub.domestic_post_fee_fen) == (3990, 1995, 600)
    assert sub.result == {"purchase_order_outer_id": "SO-1", "product_amount": 3990}
    assert order.order_id == "1031992847890383164" and order.status == "WAIT_BUYER_P"
    assert order.total_fen == 3990 + 600
    assert order.created_at.isoformat() == "2023-10-18T18:11:08+08:00"
