"""The clocks: the next deadline from an order's status and timeline (a table), the time left
in words, the periodic task that raises what falls due within a day (once), and the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from purchasing.deadlines import Clocks, case_deadline, next_deadline, time_left
from purchasing.models import OrderEvent, PurchaseOrder
from purchasing.services.orders.deadlines import raise_due_deadlines
from purchasing.statuses import OrderStatus as S
from purchasing.tasks import raise_due_deadlines as raise_task
from tests.orders.factories import PurchaseOrderFactory

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
CLOCKS = Clocks(
    pay_within=timedelta(hours=24),
    ship_within=timedelta(hours=48),
    auto_confirm=timedelta(days=10),
    claim_window=timedelta(days=15),
)
H, D = timedelta(hours=1), timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "entered", "now", "kind", "due"),
    [
        (S.DRAFT, {}, T0, None, None),
        (S.AWAITING_APPROVAL, {S.PREVIEWED: T0}, T0, None, None),
        (S.AWAITING_PAYMENT, {S.AWAITING_PAYMENT: T0}, T0, "pay", T0 + 24 * H),
        (S.PAID, {S.AWAITING_PAYMENT: T0, S.PAID: T0 + H}, T0, "ship", T0 + 49 * H),
        (S.SHIPPED, {S.PAID: T0, S.SHIPPED: T0 + D}, T0, "auto_confirm", T0 + 11 * D),
        # Received when we saw it arrive: the claim window runs from the arrival.
        (
            S.AT_WAREHOUSE,
            {S.SHIPPED: T0, S.AT_WAREHOUSE: T0 + 2 * D},
            T0,
            "claims_close",
            T0 + 17 * D,
        ),
        # Seen arriving after the automatic confirmation: the confirmation counts.
        (
            S.DISPATCHED,
            {S.SHIPPED: T0, S.AT_WAREHOUSE: T0 + 12 * D},
            T0,
            "claims_close",
            T0 + 25 * D,
        ),
        (S.DELIVERED, {S.SHIPPED: T0}, T0 + 20 * D, "claims_close", T0 + 25 * D),
        # The window has closed: no clock runs any more.
        (S.DELIVERED, {S.SHIPPED: T0}, T0 + 26 * D, None, None),
        (S.CANCELLED, {S.AWAITING_PAYMENT: T0}, T0, None, None),
        # A status with no time known (an order adopted mid-life): no guess.
        (S.PAID, {}, T0, None, None),
    ],
)
def test_next_deadline(status, entered, now, kind, due):
    deadline = next_deadline(status=status, entered=entered, clocks=CLOCKS, now=now)
    assert (deadline.kind, deadline.due) == (kind, due) if kind else deadline is None


@pytest.mark.parametrize(
    ("case_status", "entered", "due"),
    [
        ("open", {S.SHIPPED: T0}, T0 + 25 * D),
        ("refused", {S.SHIPPED: T0, S.AT_WAREHOUSE: T0 + D}, T0 + 16 * D),
        ("waiting_seller", {S.SHIPPED: T0}, None),
        ("refunded", {S.SHIPPED: T0}, None),
        ("open", {S.PAID: T0}, None),
    ],
)
def test_case_deadline(case_status, entered, due):
    deadline = case_deadline(case_status=case_status, entered=entered, clocks=CLOCKS)
    assert (deadline.due if deadline else None) == due


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (2 * D + 3 * H, "in 2 days"),
        (D, "in 1 day"),
        (5 * H + timedelta(minutes=59), "in 5 hours"),
        (timedelta(minutes=30), "in 30 minutes"),
        (timedelta(seconds=10), "in 1 minute"),
        (-3 * H, "overdue by 3 hours"),
        (-4 * D, "overdue by 4 days"),
    ],
)
def test_time_left_in_words(delta, words):
    assert time_left(T0 + delta, T0) == words


def _awaiting_payment(hours_ago: float) -> PurchaseOrder:
    order = PurchaseOrderFactory(status=S.AWAITING_PAYMENT)
    OrderEvent.objects.create(
        order=order,
        actor_label="system",
        from_status=S.SUBMITTING,
        to_status=S.AWAITING_PAYMENT,
        created_at=timezone.now() - timedelta(hours=hours_ago),
    )
    return order


@pytest.mark.django_db
def test_what_falls_due_within_a_day_is_raised_once(settings):
    settings.CAIGOU_PAY_WITHIN_HOURS = 24
    due_soon, overdue, far = _awaiting_payment(10), _awaiting_payment(30), _awaiting_payment(-30)

    assert raise_due_deadlines() == 2
    assert raise_due_deadlines() == 0

    due_soon.refresh_from_db()
    assert due_soon.needs_attention
    assert due_soon.attention_reason.startswith(
        "Deadline: pay before the upstream closes the order, due "
    )
    assert PurchaseOrder.objects.get(pk=overdue.pk).needs_attention
    assert not PurchaseOrder.objects.get(pk=far.pk).needs_attention
    # Cleared by a person, the same deadline is not raised again.
    PurchaseOrder.objects.filter(pk=due_soon.pk).update(needs_attention=False)
    assert raise_task.delay().get() == 0
    assert due_soon.events.filter(kind="attention").count() == 1


@pytest.mark.django_db
def test_an_order_flagged_for_something_else_keeps_its_reason():
    order = _awaiting_payment(30)
    PurchaseOrder.objects.filter(pk=order.pk).update(
        needs_attention=True, attention_reason="price moved"
    )
    assert raise_due_deadlines() == 0
    assert PurchaseOrder.objects.get(pk=order.pk).attention_reason == "price moved"


@pytest.mark.django_db
def test_the_order_page_and_list_show_the_deadline(client_as, settings):
    settings.CAIGOU_PAY_WITHIN_HOURS = 24
    order = _awaiting_payment(30)
    client = client_as("purchaser")

    detail = client.get(f"/orders/{order.pk}/").content.decode()
    listing = client.get("/orders/").content.decode()

    for html in (detail, listing):
        assert (
            "Pay before the upstream closes the order: <strong>overdue by 6 hours</strong>" in html
        )
