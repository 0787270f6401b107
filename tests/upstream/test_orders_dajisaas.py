"""Dajisaas 1688 and Taobao orders over HTTP: the client against the live sandbox.

Dajisaas answers envelope code 200 with an inner `success: false` when the wrapped call was
refused; these tests check the client still raises the right exception type.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.upstream.factories import (
    ADDRESS_1688,
    dajisaas_taobao_order,
    pick,
    tick,
)
from upstream import errors
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Order, Payment, Platform, Sku
from upstream.types.orders import Cargo

ALIBABA, TAOBAO = Platform.ALIBABA.value, Platform.TAOBAO.value


@pytest.fixture
def live(sandbox):
    seed_catalogue(products=60)
    return sandbox


def cargo(p, *, quantity: int | None = None) -> Cargo:
    return Cargo(offer_id=p.product.item_id, spec_id=p.sku.spec_id, quantity=quantity or p.quantity)


def create(live, *picks, outer_ref="T-1"):
    return live.dajisaas.orders.create_cross_order(
        address=ADDRESS_1688,
        cargo=[cargo(p) for p in picks],
        outer_ref=outer_ref,
        message="备注信息测试",
    )


@pytest.mark.covers("dj_order_preview")
def test_preview_one_seller(live):
    a = pick(ALIBABA)
    b = pick(ALIBABA, other_shop_than=(a,))

    [preview] = live.dajisaas.orders.preview(address=ADDRESS_1688, cargo=[cargo(a)])

    assert preview.success and preview.lines[0].quantity == a.quantity
    assert preview.total_fen == preview.goods_fen + preview.freight_fen - preview.discount_fen
    with pytest.raises(errors.BadRequest):
        live.dajisaas.orders.preview(address=ADDRESS_1688, cargo=[cargo(a), cargo(b)])


@pytest.mark.covers("dj_create_cross_order", "dj_order_get", "dj_order_list")
def test_create_cross_order_then_read_and_list_it_by_third_order_id(live):
    a = pick(ALIBABA)

    created = create(live, a, outer_ref="T20240708002")

    row = Order.objects.get(order_id=created.order_id)
    assert (row.provider, row.user_id, row.outer_ref) == (
        "dajisaas",
        settings.DAJISAAS_APP_KEY,
        "T20240708002",
    )
    assert row.outer_ref_field == "thirdOrderId" and row.message == "备注信息测试"
    assert (created.total_fen, created.freight_fen) == (row.total_fen, row.freight_fen)

    got = live.dajisaas.orders.get(order_id=created.order_id)
    assert (got.order_id, got.status, got.total_fen) == (
        row.order_id,
        "waitbuyerpay",
        row.total_fen,
    )
    assert got.outer_ref == "T20240708002"

    page = live.dajisaas.orders.list(outer_ref="T20240708002")
    assert page.total == 1 and page.orders[0].order_id == created.order_id
    assert live.dajisaas.orders.list(status="waitsellersend").total == 0
    # PandaPon's user does not see Dajisaas orders.
    assert live.pandapon.alibaba_orders.page().total == 0


@pytest.mark.covers("dj_create_cross_order", "dj_order_list")
def test_create_twice_with_one_third_order_id_makes_two_orders(live):
    a = pick(ALIBABA)
    create(live, a, outer_ref="T-TWICE")
    create(live, a, outer_ref="T-TWICE")

    assert live.dajisaas.orders.list(outer_ref="T-TWICE").total == 2


@pytest.mark.covers("dj_create_cross_order")
def test_out_of_stock_is_refused(live):
    a = pick(ALIBABA)

    with pytest.raises(errors.OutOfStock):
        live.dajisaas.orders.create_cross_order(
            address=ADDRESS_1688, cargo=[cargo(a, quantity=a.sku.stock + 1)], outer_ref="T-2"
        )

    assert not Order.objects.exists()


@pytest.mark.covers("dj_create_cross_order", "dj_alipay_url", "dj_protocol_pay", "dj_order_cancel")
def test_pay_by_protocol_twice_and_a_paid_order_cannot_be_cancelled(live):
    created = create(live, pick(ALIBABA), outer_ref="T-PAY")
    orders = live.dajisaas.orders

    url = orders.alipay_url(order_ids=[created.order_id])
    assert url == f"{live.url}/sandbox/cashier/?orderIds={created.order_id}"
    first = orders.protocol_pay(order_id=created.order_id)
    orders.protocol_pay(order_id=created.order_id)

    assert first.paid and first.amount_fen == created.total_fen
    assert Payment.objects.filter(order__order_id=created.order_id).count() == 2
    assert Order.objects.get(order_id=created.order_id).status == "waitsellersend"
    with pytest.raises(errors.StateForbids):
        orders.cancel(order_id=created.order_id)
    with pytest.raises(errors.StateForbids):
        orders.alipay_url(order_ids=[created.order_id])  # nothing left to pay


@pytest.mark.covers("dj_create_cross_order", "dj_order_cancel", "dj_protocol_pay")
def test_cancel_an_unpaid_order(live):
    a = pick(ALIBABA)
    created = create(live, a, outer_ref="T-CANCEL")

    assert live.dajisaas.orders.cancel(order_id=created.order_id, reason="buyerCancel")

    assert Order.objects.get(order_id=created.order_id).status == "cancel"
    assert Sku.objects.get(pk=a.sku.pk).stock == a.sku.stock
    with pytest.raises(errors.StateForbids):
        live.dajisaas.orders.protocol_pay(order_id=created.order_id)
    assert not Payment.objects.exists()


@pytest.mark.covers("dj_create_cross_order", "dj_protocol_pay", "dj_order_receive_goods")
def test_receive_goods_once_shipped(live):
    created = create(live, pick(ALIBABA), outer_ref="T-RECEIVE")
    orders = live.dajisaas.orders

    with pytest.raises(errors.StateForbids):
        orders.receive_goods(order_id=created.order_id)
    orders.protocol_pay(order_id=created.order_id)
    tick()

    assert orders.receive_goods(order_id=created.order_id)
    assert Order.objects.get(order_id=created.order_id).status == "success"


@pytest.mark.covers("dj_alipay_url")
def test_alipay_url_for_several_orders_and_unknown_ones(live):
    a = pick(ALIBABA)
    ids = [create(live, a, outer_ref=f"T-A{n}").order_id for n in range(2)]

    url = live.dajisaas.orders.alipay_url(order_ids=ids)

    assert url == f"{live.url}/sandbox/cashier/?orderIds={ids[0]}%2C{ids[1]}"
    with pytest.raises(errors.NotFound):
        live.dajisaas.orders.alipay_url(order_ids=["1000000000000000000"])
    with pytest.raises(ValueError):
        live.dajisaas.orders.alipay_url(order_ids=[str(n) for n in range(31)])


# -- Taobao through Dajisaas ---------------------------------------------------------------------
@pytest.mark.covers("dj_taobao_order_batch_pay", "dj_taobao_order_cancel")
def test_taobao_batch_pay_and_cancel_after_payment_is_refused(live):
    a = pick(TAOBAO)
    orders = [dajisaas_taobao_order(a, outer_ref=f"DJ-{n}") for n in range(2)]
    ids = [order.order_id for order in orders]

    result = live.dajisaas.taobao_orders.batch_pay(purchase_order_ids=ids)

    assert result.paid and result.paid_order_ids == ids
    assert result.amount_fen == sum(order.total_fen for order in orders)
    assert Payment.objects.filter(order__order_id__in=ids).count() == 2
    assert set(Order.objects.filter(order_id__in=ids).values_list("status", flat=True)) == {
        "WAIT_SELLER_SEND_GOODS"
    }
    with pytest.raises(errors.StateForbids):
        live.dajisaas.taobao_orders.cancel(purchase_id=ids[0], reason="不想要了")


@pytest.mark.covers("dj_taobao_order_batch_pay", "dj_taobao_order_cancel")
def test_taobao_batch_pay_reports_the_orders_it_could_not_pay(live):
    a = pick(TAOBAO)
    paid, closed = dajisaas_taobao_order(a), dajisaas_taobao_order(a)
    assert live.dajisaas.taobao_orders.cancel(purchase_id=closed.order_id)

    result = live.dajisaas.taobao_orders.batch_pay(
        purchase_order_ids=[paid.order_id, closed.order_id]
    )

    assert result.paid_order_ids == [paid.order_id]
    assert result.failed_order_ids == [closed.order_id] and not result.paid
    with pytest.raises(errors.StateForbids):
        live.dajisaas.taobao_orders.batch_pay(purchase_order_ids=[closed.order_id])
    with pytest.raises(ValueError):
        live.dajisaas.taobao_orders.batch_pay(purchase_order_ids=[str(n) for n in range(11)])
    with pytest.raises(errors.BadRequest):  # the sandbox enforces the limit too
        live.dajisaas.transport.call(
            "dj_taobao_order_batch_pay", {"purchaseOrderIdList": [str(n) for n in range(11)]}
        )


@pytest.mark.covers("dj_taobao_order_cancel")
def test_taobao_cancel_some_sub_orders_then_the_last_closes_the_order(live):
    a = pick(TAOBAO)
    b = pick(TAOBAO, other_than=(a,))
    order = dajisaas_taobao_order(a, b)
    first, second = order.lines.order_by("pk")

    assert live.dajisaas.taobao_orders.cancel(
        purchase_id=order.order_id, sub_order_ids=[first.sub_order_id], reason="缺货"
    )

    order.refresh_from_db()
    assert order.status == "WAIT_BUYER_P" and order.total_fen > 0
    assert order.lines.get(pk=first.pk).status == "TRADE_CLOSED"
    assert order.goods_fen == second.amount_fen
    assert Sku.objects.get(pk=a.sku.pk).stock == a.sku.stock

    live.dajisaas.taobao_orders.cancel(
        purchase_id=order.order_id, sub_order_ids=[second.sub_order_id]
    )
    order.refresh_from_db()
    assert order.status == "TRADE_CLOSED"
