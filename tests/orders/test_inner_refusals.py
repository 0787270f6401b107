"""The upstream answers `code 200` but says no inside (`success: false`, `data: false`, an inner
error code): confirm receipt, cancel and pay change nothing here, and the person reads the
upstream's own words. The upstream is a stubbed HTTP edge."""

from __future__ import annotations

import pytest
from django.utils import translation

from purchasing.glossary import attention
from purchasing.models import PaymentAttempt
from purchasing.services.orders.lifecycle import order_cancel, order_confirm_receipt
from purchasing.services.orders.pay import order_pay_upstream
from purchasing.statuses import OrderStatus
from purchasing.templatetags.words import payment_error
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory, client_for
from upstream import errors

pytestmark = pytest.mark.django_db

NOT_FOUND = {"success": False, "errorInfo": "订单信息不存在", "errorCode": "4003"}


def shipped_1688(people):
    order = PurchaseOrderFactory(
        platform="1688",
        status=OrderStatus.SHIPPED,
        upstream_order_id="A-1",
        upstream_order_ids=["A-1"],
        created_by=people.purchaser,
    )
    PurchaseOrderLineFactory(order=order)
    return order


def test_confirm_receipt_refused_inside_the_envelope_leaves_the_order_shipped(edge, people):
    order = shipped_1688(people)
    edge.answer("alibaba_order_receive_goods", NOT_FOUND)

    with pytest.raises(errors.BusinessError, match="订单信息不存在"):
        order_confirm_receipt(order=order, actor=people.purchaser)

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert not order.events.filter(to_status=OrderStatus.AT_WAREHOUSE).exists()


def test_the_order_page_shows_the_upstreams_words_for_a_refused_receipt(edge, people):
    order = shipped_1688(people)
    edge.answer("alibaba_order_receive_goods", NOT_FOUND)

    page = client_for(people.purchaser).post(f"/orders/{order.pk}/receipt/", follow=True)

    assert "The upstream refused: 订单信息不存在" in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


@pytest.mark.parametrize(
    ("platform", "operation"),
    [("taobao", "taobao_order_cancel"), ("1688", "alibaba_order_cancel")],
)
def test_a_cancel_answered_false_leaves_the_order_as_it_was(edge, people, platform, operation):
    order = PurchaseOrderFactory(
        platform=platform,
        status=OrderStatus.AWAITING_PAYMENT,
        upstream_order_id="C-1",
        upstream_order_ids=["C-1"],
    )
    edge.answer(operation, False, msg="订单已支付,不能取消")

    with pytest.raises(errors.BusinessError, match="订单已支付,不能取消"):
        order_cancel(order=order, actor=people.purchaser, reason="not needed")

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_pay_refused_inside_the_envelope_is_not_paid_and_names_the_reason(edge, people):
    order = PurchaseOrderFactory(
        status=OrderStatus.PAYING,
        upstream_order_id="T-1",
        upstream_order_ids=["T-1"],
        budget_fen=3990,
        quoted_total_fen=3990,
        paid_by=people.finance,
    )
    PurchaseOrderLineFactory(order=order, unit_price_fen=3990, amount_fen=3990)
    PaymentAttempt.objects.create(order=order, key=f"{order.reference}-P1", amount_fen=3990)
    edge.answer("taobao_order_get", {"id": "T-1", "status": "WAIT_BUYER_P", "purchaseAmount": 3990})
    edge.answer("taobao_order_pay", {"orderId": "T-1", "errorCode": "1006", "errorMsg": "余额不足"})

    order_pay_upstream(order_ids=[order.pk])

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.actual_fen is None
    assert order.payments.get().status == PaymentAttempt.Status.FAILED
    # Caigou's words for a refusal it knows, then the upstream's own, in each reader's language
    assert order.needs_attention
    assert "the account's balance is too low (the upstream said: 余额不足)" in attention(order)
    with translation.override("zh-hans"):
        assert "账户余额不足（上游原话：余额不足）" in attention(order)
    # the attempt keeps its words too (the order page's list of payment attempts)
    attempt = order.payments.get()
    said = payment_error(attempt)
    assert said.startswith("the upstream refused: the account's balance is too low"), said
    with translation.override("zh-hans"):
        assert "账户余额不足（上游原话：余额不足）" in payment_error(attempt)
