"""A pay deadline raised is a reminder to pay, not a stop: the order stays payable (by finance
and by a storefront's policy), and paying it clears the reminder, however the order moves on.
Any other reason to look still stops the payment, and stays until a person clears it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from purchasing.rules import can_pay
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.deadlines import raise_due_deadlines
from purchasing.services.orders.events import advance_to, flag_attention
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from upstream.sandbox.models import Payment


def test_an_order_reminded_of_its_pay_deadline_is_paid_and_the_reminder_cleared(
    live, people, client
):
    order = submitted_order(people, platform="taobao")
    assert raise_due_deadlines() == 1  # a 24-hour clock is always due within a day
    order.refresh_from_db()
    assert order.needs_attention and order.attention_reason.startswith("Deadline: pay")
    assert can_pay(order)
    client.force_login(people.finance)
    page = client.get(reverse("checkout:pay")).content.decode()
    (box,) = re.findall(rf'<input[^>]*value="{order.pk}" id="pay-{order.pk}"[^>]*>', page)
    assert "disabled" not in box

    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert not order.needs_attention and order.attention_reason == ""
    assert order.events.filter(
        kind="attention_cleared", message="deadline reminder cleared: the order moved on"
    ).exists()
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1


def test_any_other_reason_to_look_still_stops_the_payment(live, people):
    order = submitted_order(people, platform="taobao")
    flag_attention(order, "the seller changed the colour")

    assert not can_pay(order)
    with pytest.raises(OrderError, match="needs attention"):
        order_pay(orders=[order], actor=people.finance)
    assert not Payment.objects.filter(order__outer_ref=order.reference).exists()


def test_a_reminder_goes_when_the_order_moves_on_and_a_reason_to_look_stays(live, people):
    reminded, stopped = (submitted_order(people, platform="taobao") for _ in range(2))
    raise_due_deadlines()
    flag_attention(stopped, "the seller changed the colour")

    for order in (reminded, stopped):
        order.refresh_from_db()
        # Paid upstream, learnt from the upstream (a callback or a read), not from our pay.
        advance_to(order, OrderStatus.PAID, message="seen paid upstream")

    reminded.refresh_from_db()
    stopped.refresh_from_db()
    assert not reminded.needs_attention and reminded.attention_words is None
    assert stopped.needs_attention and stopped.attention_reason == "the seller changed the colour"
