"""A batch larger than one pay call may carry is paid in chunks (CAIGOU_BATCH_PAY_MAX), each
order once, on both platforms (Taobao's batch pay is assumed: CAIGOU_TAOBAO_BATCH_PAY); a chunk
whose outcome is unknown is read order by order, never paid again."""

from __future__ import annotations

import pytest

from purchasing.models import PaymentAttempt
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from upstream.models import CallJournal
from upstream.sandbox import router
from upstream.sandbox.handlers.orders import taobao as taobao_handlers
from upstream.sandbox.models import Fault, Payment
from upstream.sandbox.router import SandboxError

BATCH_PAY = "alibaba_order_batch_submit_to_pay"
TAOBAO_BATCH_PAY = "taobao_order_batch_pay"
# Per platform: its batch pay, the path a fault matches, and the call that pays one order.
PLATFORMS = [
    ("1688", BATCH_PAY, "/alibaba/order/batch/submit/to/pay", "alibaba_order_pay_url"),
    ("taobao", TAOBAO_BATCH_PAY, "/open/order/batch/pay", "taobao_order_pay"),
]


def pay_calls() -> list[str]:
    return list(
        CallJournal.objects.filter(operation__contains="pay")
        .order_by("pk")
        .values_list("operation", flat=True)
    )


@pytest.mark.parametrize(("platform", "batch_pay"), [(p, b) for p, b, _path, _one in PLATFORMS])
def test_twenty_three_orders_are_paid_in_three_calls(live, people, platform, batch_pay):
    orders = [submitted_order(people, platform=platform) for _ in range(23)]
    before = len(pay_calls())

    order_pay(orders=orders, actor=people.approver)

    assert pay_calls()[before:] == [batch_pay] * 3
    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID, order.attention_reason
        assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
        assert order.actual_fen == order.upstream_total_fen


@pytest.mark.parametrize(("platform", "batch_pay", "path", "pay_one"), PLATFORMS)
def test_a_chunk_with_an_unknown_outcome_is_read_not_paid_again(
    live, people, settings, platform, batch_pay, path, pay_one
):
    settings.CAIGOU_BATCH_PAY_MAX = 2
    orders = [submitted_order(people, platform=platform) for _ in range(3)]
    # The first chunk's payment lands upstream but its answer is lost.
    Fault.objects.create(path=path, mode="drop_response", count=1)

    order_pay(orders=orders, actor=people.approver)

    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID, order.attention_reason
        assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
        assert order.payments.get().status == PaymentAttempt.Status.SUCCEEDED
    # A chunk of two (its answer lost, settled by reading) and the third order alone.
    assert pay_calls() == [batch_pay, pay_one]


def test_a_finance_page_of_both_platforms_pays_each_in_its_own_calls(live, people):
    orders = [submitted_order(people, platform=p) for p in ("taobao", "1688") * 3]

    order_pay(orders=orders, actor=people.approver)

    assert sorted(pay_calls()) == sorted([BATCH_PAY, TAOBAO_BATCH_PAY])
    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID, order.attention_reason
        assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1


def test_an_order_the_batch_could_not_pay_waits_for_a_person(live, people, monkeypatch):
    orders = [submitted_order(people, platform="taobao") for _ in range(3)]
    refused = orders[1]
    pay = taobao_handlers.svc.pay

    def closed_in_between(*, call, order):
        # The seller closed it between the read before the pay and the pay call.
        if order.order_id == refused.upstream_order_id:
            raise SandboxError(1005, f"order {order.order_id} is TRADE_CLOSED")
        return pay(call=call, order=order)

    monkeypatch.setattr(taobao_handlers.svc, "pay", closed_in_between)

    order_pay(orders=orders, actor=people.approver)

    for order in orders:
        order.refresh_from_db()
    assert [o.status for o in orders] == [
        OrderStatus.PAID,
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PAID,
    ]
    assert refused.needs_attention and refused.payments.get().status == "failed"
    assert not Payment.objects.filter(order__outer_ref=refused.reference).exists()
    assert pay_calls() == [TAOBAO_BATCH_PAY]


def test_without_the_taobao_batch_pay_each_order_is_paid_alone(live, people, settings):
    settings.CAIGOU_TAOBAO_BATCH_PAY = False
    orders = [submitted_order(people, platform="taobao") for _ in range(3)]

    order_pay(orders=orders, actor=people.approver)

    assert pay_calls() == ["taobao_order_pay"] * 3
    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID, order.attention_reason


def test_a_batch_answer_silent_on_an_order_is_read_not_taken_as_unpaid(live, people, monkeypatch):
    orders = [submitted_order(people, platform="taobao") for _ in range(3)]
    silent_on = orders[2].upstream_order_id
    batch_pay = taobao_handlers.taobao_order_batch_pay

    def answer_names_two(call):
        # All three are paid; the answer names two (an upstream whose shape we guessed).
        answer = batch_pay(call)
        answer["paySuccessPurchaseOrderIds"].remove(silent_on)
        return answer

    monkeypatch.setitem(router.HANDLERS, "taobao_order_batch_pay", answer_names_two)

    order_pay(orders=orders, actor=people.approver)

    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID, order.attention_reason
        assert not order.needs_attention
        assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
    assert pay_calls() == [TAOBAO_BATCH_PAY]
