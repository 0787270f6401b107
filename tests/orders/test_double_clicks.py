"""Confirm or Pay pressed twice at the same moment, or two batches sharing orders paid
together: against the sandbox over real HTTP, each order is created and paid upstream exactly
once, and no request ends in an error. The order's row lock decides (`order_confirm`,
`order_pay`); `one_live_payment_per_order` backs the payment."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.lifecycle import order_cancel
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.concurrency import at_once, in_turn
from tests.orders.conftest import previewed_order, submitted_order
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Payment

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a double click needs PostgreSQL's row locks (set DATABASE_URL)",
)


def test_confirm_pressed_twice_at_the_same_moment_creates_once(live, people):
    order = previewed_order(people, actor=people.approver)

    ended = at_once(lambda: order_confirm(order=order, actor=people.approver))

    assert ended == ["done", "refused"]
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT, order.attention_reason
    assert len(live.creates(order.reference)) == 1
    assert order.events.filter(from_status="previewed", to_status="submitting").count() == 1


def paid_once(order: PurchaseOrder) -> None:
    """Paid, by one attempt, with one payment upstream (the sandbox's own ledger)."""
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID, order.attention_reason
    assert order.payments.count() == 1
    assert order.payments.get().status == PaymentAttempt.Status.SUCCEEDED
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1


def test_pay_confirmed_twice_at_the_same_moment_pays_once(live, people):
    """The confirmation's Pay button, double-clicked: two POSTs of one form, each on its own
    connection, released together."""
    order = submitted_order(people)
    answers: list[int] = []

    def press() -> None:
        client = Client()
        client.force_login(people.finance)
        form = {"order": [order.pk], "total_fen": order.upstream_total_fen, "confirmed": "1"}
        answers.append(client.post("/checkout/pay/confirm/", form).status_code)

    assert at_once(press) == ["done", "done"]

    assert sorted(answers) == [200, 302] or answers == [302, 302]
    paid_once(order)


def test_two_people_paying_one_order_together_pay_it_once(live, people, staff_user):
    order = submitted_order(people)
    payers = iter([people.finance, staff_user("finance")])

    ended = at_once(lambda: order_pay(orders=[order], actor=next(payers)))

    assert ended == ["done", "done"]
    paid_once(order)


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_two_batches_sharing_orders_paid_together_pay_each_once(live, people, platform):
    """Lock order is id order, so the two batches cannot deadlock; the shared order is paid
    by whichever batch locked it first."""
    first, shared, last = (submitted_order(people, platform=platform) for _ in range(3))
    batches = iter([[first, shared], [shared, last]])

    ended = at_once(lambda: order_pay(orders=next(batches), actor=people.finance))

    assert ended == ["done", "done"]
    for order in (first, shared, last):
        paid_once(order)


@pytest.mark.parametrize("late", ["", "pay", "cancel"])
def test_cancel_and_pay_pressed_together_end_one_way(live, people, late):
    """Whichever locks the order first wins; the other is refused in words. Never paid and
    cancelled, never a payment upstream for a cancelled order. `late` holds one click back a
    moment, so that each side is seen winning."""
    order = submitted_order(people)

    clicks = in_turn(
        late,
        pay=lambda: order_pay(orders=[order], actor=people.finance),
        cancel=lambda: order_cancel(order=order, actor=people.approver),
    )

    assert at_once(clicks) == ["done", "refused"]

    order.refresh_from_db()
    upstream = SandboxOrder.objects.get(outer_ref=order.reference)
    payments = Payment.objects.filter(order__outer_ref=order.reference).count()
    if late == "cancel":
        assert order.status == OrderStatus.PAID
    elif late == "pay":
        assert order.status == OrderStatus.CANCELLED
    if order.status == OrderStatus.PAID:
        assert payments == 1 and upstream.status != "TRADE_CLOSED"
    else:
        assert order.status == OrderStatus.CANCELLED
        assert payments == 0 and not order.payments.exists()
        assert upstream.status == "TRADE_CLOSED"
