"""The exceptions queue and the dashboard's list of what needs attention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from purchasing.models import PurchaseOrder
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory

pytestmark = pytest.mark.django_db


# -- the exceptions queue and the dashboard ----------------------------------------------------
def _queue_orders(settings):
    now = timezone.now()
    attention = PurchaseOrderFactory(needs_attention=True, attention_reason="price moved")
    failed = PurchaseOrderFactory(status=OrderStatus.FAILED, failure_reason="seller refused")
    unpaid = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT)
    stuck = PurchaseOrderFactory(
        status=OrderStatus.PAID, paid_at=now - timedelta(days=settings.CAIGOU_NO_SHIPMENT_DAYS + 7)
    )
    PurchaseOrderFactory(status=OrderStatus.PAID, paid_at=now)  # fine: not in the queue
    for order, days in ((attention, 1), (failed, 4), (unpaid, 2)):
        PurchaseOrder.objects.filter(pk=order.pk).update(updated_at=now - timedelta(days=days))
    return attention, failed, unpaid, stuck


def test_exceptions_queue_lists_reason_and_action_oldest_first(signed_in, settings):
    client, _ = signed_in("approver")
    attention, failed, unpaid, stuck = _queue_orders(settings)

    response = client.get("/orders/exceptions/")
    html = response.content.decode()

    order = [row.order.reference for row in response.context["rows"]]
    assert order == [stuck.reference, failed.reference, unpaid.reference, attention.reference]
    assert "price moved" in html and "submission failed: seller refused" in html
    assert "created upstream, not paid" in html and "Pay or cancel →" in html
    assert f'href="/orders/{attention.pk}/#actions"' in html


def test_exceptions_queue_is_empty(signed_in):
    client, _ = signed_in("finance")
    assert "Nothing is waiting." in client.get("/orders/exceptions/").content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_exceptions_queue_takes_a_fixed_number_of_queries(
    signed_in, staff_user, django_assert_max_num_queries, count
):
    client, _ = signed_in("approver")
    for _ in range(count):
        PurchaseOrderFactory(
            created_by=staff_user("purchaser"), needs_attention=True, attention_reason="x"
        )
    client.get("/orders/exceptions/")

    # One more than the orders take: the parked upstream messages, read in one query; and one
    # for the people an approver may assign the orders to.
    with django_assert_max_num_queries(10):
        response = client.get("/orders/exceptions/")
    assert len(response.context["rows"]) == count


def test_dashboard_lists_what_needs_attention(signed_in, settings):
    client, _ = signed_in("approver")
    _queue_orders(settings)
    for _ in range(8):
        PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT)

    html = client.get("/dashboard/").content.decode()

    assert "Dashboard" in html and 'data-testid="current-user"' in html
    assert 'data-testid="attention-count">12<' in html
    assert html.count('data-testid="exception-row"') == 10
    assert "2 more in the queue" in html and 'href="/orders/exceptions/"' in html


def test_dashboard_of_someone_who_may_not_see_orders_keeps_its_empty_state(signed_in):
    client, _ = signed_in("")
    PurchaseOrderFactory(needs_attention=True)
    html = client.get("/dashboard/").content.decode()
    assert "Nothing needs your attention." in html and "exception-row" not in html
