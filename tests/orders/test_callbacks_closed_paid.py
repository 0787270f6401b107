"""A paid order is never closed silently: the upstream's close asks a person to get the money
back, whether it came in a callback or from a refresh."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from purchasing.callbacks.apply import apply_message
from purchasing.models import PaymentAttempt, UpstreamMessage
from purchasing.services.orders import lifecycle
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory
from tests.purchasing.factories import StaffUserFactory
from upstream.signing import now_ms

pytestmark = pytest.mark.django_db


def closed(order, status: str = "TRADE_CLOSED") -> UpstreamMessage:
    return UpstreamMessage.objects.create(
        provider="pandapon",
        dedupe_key=f"closed-{order.pk}",
        message_type="TAOBAO_ORDER_STATUS_MODIFY",
        platform="taobao",
        verified=True,
        body={
            "purchaseOrderId": order.upstream_order_id,
            "sellerOrderNumber": order.reference,
            "status": status,
            "updatedAt": int(now_ms()),
            "subOrders": [],
        },
    )


@pytest.fixture
def paid():
    order = PurchaseOrderFactory(
        status=OrderStatus.PAID,
        upstream_order_id="8001",
        reference="CG-CLOSED-1",
        actual_fen=9_290,
        paid_at=timezone.now(),
    )
    PaymentAttempt.objects.create(order=order, key="pay-1", status="succeeded", amount_fen=9_290)
    return order


def test_a_signed_close_of_a_paid_order_raises_attention_and_cancels_nothing(paid):
    assert apply_message(message_id=closed(paid).pk) == "applied"

    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID
    assert paid.needs_attention
    assert "¥92.90" in paid.attention_reason and "refund" in paid.attention_reason
    assert paid.upstream_status == "TRADE_CLOSED"
    payment = paid.payments.get()
    assert (payment.status, payment.amount_fen) == ("succeeded", 9_290)
    event = paid.events.filter(kind="attention").get()
    assert "¥92.90" in event.message


def test_a_1688_cancel_of_a_shipped_order_says_what_was_paid(paid):
    paid.status = OrderStatus.SHIPPED
    paid.save()

    apply_message(message_id=closed(paid, "cancel").pk)

    paid.refresh_from_db()
    assert paid.status == OrderStatus.SHIPPED and "¥92.90" in paid.attention_reason


def test_the_order_page_offers_the_refund_flow(paid):
    apply_message(message_id=closed(paid).pk)
    client = Client()
    client.force_login(StaffUserFactory(role="purchaser"))

    page = client.get(reverse("orders:detail", args=[paid.pk])).content.decode()

    assert 'data-testid="attention-refund"' in page
    assert reverse("aftersales:open", args=[paid.pk]) in page
    assert "¥92.90" in page


def test_a_refresh_that_reads_a_closed_paid_order_raises_attention_too(paid, monkeypatch):
    class Found:
        status, paid, unpaid, total_fen, lines = "TRADE_CLOSED", True, False, 9_290, []

    monkeypatch.setattr(lifecycle, "read_upstream", lambda order: [Found()])

    lifecycle.order_refresh(order_id=paid.pk)

    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID and paid.needs_attention
    assert "¥92.90" in paid.attention_reason


def test_a_close_while_a_payment_is_in_doubt_is_not_a_cancel():
    order = PurchaseOrderFactory(
        status=OrderStatus.PAYING, upstream_order_id="8002", reference="CG-C-2"
    )
    PaymentAttempt.objects.create(order=order, key="pay-2", status="unknown", amount_fen=5_000)

    apply_message(message_id=closed(order).pk)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAYING and order.needs_attention
    assert "¥50.00" in order.attention_reason


def test_an_unpaid_order_closed_upstream_is_still_cancelled():
    order = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT, upstream_order_id="8003", reference="CG-C-3"
    )

    apply_message(message_id=closed(order).pk)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and not order.needs_attention


def test_a_fully_refunded_paid_order_closed_upstream_is_cancelled(paid):
    paid.refunded_fen = 9_290
    paid.save()

    apply_message(message_id=closed(paid).pk)

    paid.refresh_from_db()
    assert paid.status == OrderStatus.CANCELLED and not paid.needs_attention
