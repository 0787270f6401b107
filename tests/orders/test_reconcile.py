"""The reconciler, the sweeper, refresh, cancel and the exceptions queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from purchasing.models import PurchaseOrder
from purchasing.selectors.orders import exceptions_queue
from purchasing.services.orders.lifecycle import order_cancel, order_logistics, order_refresh
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from purchasing.tasks import reconcile_orders, sweep_orders
from tests.orders.conftest import previewed_order, submitted_order
from tests.orders.factories import PurchaseOrderFactory, settled
from upstream.sandbox.models import Order as SandboxOrder


def test_the_reconciler_catches_up_with_a_missed_callback(live, people):
    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)
    live.control("tick")  # shipped upstream; callbacks are off: we never heard
    PurchaseOrder.objects.filter(pk=order.pk).update(
        upstream_synced_at=timezone.now() - timedelta(hours=1)
    )

    assert reconcile_orders.delay().get() == 1

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert reconcile_orders.delay().get() == 0  # just heard of: left alone


def test_the_sweeper_finishes_a_submit_whose_enqueue_was_lost(live, people):
    order = previewed_order(people, actor=people.approver)
    # Confirmed, then the process died before the on_commit enqueue: simulate with no task.
    from unittest import mock

    with mock.patch("purchasing.tasks.submit_order.delay"):
        from purchasing.services.orders.approval import order_confirm

        order_confirm(order=order, actor=people.approver)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING
    PurchaseOrder.objects.filter(pk=order.pk).update(
        updated_at=timezone.now() - timedelta(minutes=10)
    )

    assert sweep_orders.delay().get() == 1

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert SandboxOrder.objects.filter(outer_ref=order.reference).count() == 1


def test_the_sweeper_after_a_killed_create_looks_up_once_the_lease_expired(live, people):
    order = submitted_order(people)
    created = order.upstream_order_id
    # As if the worker died after the create landed and before it stored the answer.
    PurchaseOrder.objects.filter(pk=order.pk).update(
        status=OrderStatus.SUBMITTING,
        upstream_order_id="",
        upstream_order_ids=[],
        create_lease_until=timezone.now() - timedelta(seconds=1),
        updated_at=timezone.now() - timedelta(minutes=10),
    )

    sweep_orders.delay().get()

    order = settled(order, people.approver)  # documented: no echo, a look-alike beside ours
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.upstream_order_id == created
    assert SandboxOrder.objects.filter(outer_ref=order.reference).count() == 1


def test_a_live_lease_keeps_a_second_run_away(live, people):
    from purchasing.services.orders.common import Busy
    from purchasing.services.orders.submit import order_submit_upstream

    order = PurchaseOrderFactory(
        status=OrderStatus.SUBMITTING, create_lease_until=timezone.now() + timedelta(minutes=1)
    )

    with pytest.raises(Busy):
        order_submit_upstream(order_id=order.pk)


def test_refresh_never_moves_an_order_backwards(live, people):
    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)
    PurchaseOrder.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)

    order_refresh(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_cancel_before_payment_cancels_upstream(live, people):
    order = submitted_order(people)

    order_cancel(order=order, actor=people.approver, reason="changed my mind")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert SandboxOrder.objects.get(outer_ref=order.reference).status == "TRADE_CLOSED"


def test_logistics_of_a_shipped_order(live, people):
    order = submitted_order(people, platform="1688")
    order_pay(orders=[order], actor=people.finance)
    live.control("tick")

    traces = order_logistics(order=order)

    assert traces and traces[0].tracking_no


@pytest.mark.django_db
def test_the_exceptions_queue_lists_what_needs_a_person_oldest_first(settings):
    settings.CAIGOU_NO_SHIPMENT_DAYS = 3
    long_ago = timezone.now() - timedelta(days=5)
    flagged = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT, needs_attention=True, attention_reason="price changed"
    )
    failed = PurchaseOrderFactory(status=OrderStatus.FAILED, failure_reason="bad address")
    unshipped = PurchaseOrderFactory(status=OrderStatus.PAID, paid_at=long_ago)
    PurchaseOrderFactory(status=OrderStatus.PAID, paid_at=timezone.now())  # recent: fine
    PurchaseOrderFactory(status=OrderStatus.SHIPPED)

    rows = exceptions_queue()

    assert [row.order for row in rows] == [unshipped, flagged, failed]
    assert rows[1].reason == "price changed" and rows[0].action
    assert "no seller shipment" in rows[0].reason


def test_the_sweeper_applies_a_stored_message_whose_apply_was_lost(live, people):
    from purchasing.models import UpstreamMessage

    order = submitted_order(people)
    message = UpstreamMessage.objects.create(
        provider="pandapon",
        dedupe_key="lost-apply",
        message_type="TAOBAO_ORDER_STATUS_MODIFY",
        body={"sellerOrderNumber": order.reference, "status": "TRADE_CLOSED", "updatedAt": 1},
        verified=True,
    )
    UpstreamMessage.objects.filter(pk=message.pk).update(
        received_at=timezone.now() - timedelta(minutes=10)
    )

    assert sweep_orders.delay().get() == 1

    order.refresh_from_db()
    message.refresh_from_db()
    assert message.outcome == "applied" and order.status == OrderStatus.CANCELLED
