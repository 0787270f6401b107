"""A batch larger than one pay call may carry is paid in chunks (CAIGOU_BATCH_PAY_MAX), each
order once; a chunk whose outcome is unknown is read order by order, never paid again."""

from __future__ import annotations

from purchasing.models import PaymentAttempt
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from upstream.models import CallJournal
from upstream.sandbox.models import Fault, Payment

BATCH_PAY = "alibaba_order_batch_submit_to_pay"


def pay_calls() -> list[str]:
    return list(
        CallJournal.objects.filter(operation__contains="pay")
        .order_by("pk")
        .values_list("operation", flat=True)
    )


def test_twenty_three_1688_orders_are_paid_in_three_calls(live, people):
    orders = [submitted_order(people, platform="1688") for _ in range(23)]
    before = len(pay_calls())

    order_pay(orders=orders, actor=people.approver)

    assert pay_calls()[before:] == [BATCH_PAY] * 3
    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID, order.attention_reason
        assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1


def test_a_chunk_with_an_unknown_outcome_is_read_not_paid_again(live, people, settings):
    settings.CAIGOU_BATCH_PAY_MAX = 2
    orders = [submitted_order(people, platform="1688") for _ in range(3)]
    # The first chunk's payment lands upstream but its answer is lost.
    Fault.objects.create(path="/alibaba/order/batch/submit/to/pay", mode="drop_response", count=1)

    order_pay(orders=orders, actor=people.approver)

    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID, order.attention_reason
        assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
        assert order.payments.get().status == PaymentAttempt.Status.SUCCEEDED
    # A chunk of two (its answer lost, settled by reading) and the third order alone.
    assert pay_calls() == [BATCH_PAY, "alibaba_order_pay_url"]
