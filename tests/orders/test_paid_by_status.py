"""After an unknown pay outcome, "paid" comes from the documented status: an order the upstream
says waits for the seller is never paid again, though it carries no `payStatus`; a status that
cannot tell stops for a person and pays nothing. The upstream is a stubbed HTTP edge."""

from __future__ import annotations

import pytest

from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.services.orders.pay import order_pay_upstream
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory

pytestmark = pytest.mark.django_db


def paying_in_doubt(people) -> PurchaseOrder:
    """A Taobao order whose pay call's outcome is unknown."""
    order = PurchaseOrderFactory(
        status=OrderStatus.PAYING,
        upstream_order_id="T-1",
        upstream_order_ids=["T-1"],
        budget_fen=3990,
        quoted_total_fen=3990,
        paid_by=people.finance,
    )
    PurchaseOrderLineFactory(order=order, unit_price_fen=3990, amount_fen=3990)
    PaymentAttempt.objects.create(
        order=order, key=f"{order.reference}-P1", amount_fen=3990, status="unknown"
    )
    return order


def detail(status: str, **extra) -> dict:
    """`/open/order/get` as documented: a status and the totals, no payStatus."""
    sub = {"subOrderId": "S-1", "quantity": 1, "purchaseAmount": "3990", "status": status}
    return {"id": "T-1", "status": status, "purchaseAmount": 3990, "subOrderVOS": [sub], **extra}


def test_an_order_waiting_for_the_seller_is_paid_and_not_paid_again(edge, people):
    order = paying_in_doubt(people)
    edge.answer("taobao_order_get", detail("WAIT_SELLER_SEND_GOODS"))

    order_pay_upstream(order_ids=[order.pk])

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.payments.get().status == PaymentAttempt.Status.SUCCEEDED
    assert edge.calls("taobao_order_pay") == []


@pytest.mark.parametrize(
    "answer",
    [detail("SOMETHING_NEW"), detail("WAIT_BUYER_P", payTime="2025-04-24 16:31:00")],
    ids=["unknown status", "unpaid status with a pay time"],
)
def test_a_status_that_cannot_tell_pays_nothing_and_asks_a_person(edge, people, answer):
    order = paying_in_doubt(people)
    edge.answer("taobao_order_get", answer)

    order_pay_upstream(order_ids=[order.pk])
    order_pay_upstream(order_ids=[order.pk])  # the sweeper's next run: still nothing paid

    order.refresh_from_db()
    assert edge.calls("taobao_order_pay") == []
    assert order.status == OrderStatus.PAYING
    assert order.payments.get().status == PaymentAttempt.Status.UNKNOWN
    assert order.needs_attention and "not paid again" in order.attention_reason
    assert order.events.filter(kind="attention").count() == 1


def test_an_unpaid_status_is_paid(edge, people):
    order = paying_in_doubt(people)
    edge.answer("taobao_order_get", detail("WAIT_BUYER_P"))
    edge.answer("taobao_order_pay", {"orderId": "T-1", "payNo": "P-1", "payAmount": 3990})

    order_pay_upstream(order_ids=[order.pk])

    order.refresh_from_db()
    assert len(edge.calls("taobao_order_pay")) == 1
    assert order.status == OrderStatus.PAID
