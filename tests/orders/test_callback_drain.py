"""Stored callbacks are applied by one drain task for many messages, never lost between them."""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client

from purchasing.models import UpstreamMessage
from purchasing.statuses import OrderStatus
from purchasing.tasks import DRAIN_QUEUED, apply_pending_messages
from tests.orders.factories import pandapon_post, taobao_status
from upstream.signing import now_ms


def test_callbacks_arriving_while_a_drain_is_queued_wait_for_it(paid):
    cache.set(DRAIN_QUEUED, 1)  # a drain is queued and has not started
    client = Client()
    shipped = taobao_status(paid, "WAIT_BUYER_CONFIRM_GOODS", int(now_ms()))

    assert pandapon_post(client, "TAOBAO_ORDER_STATUS_MODIFY", shipped).status_code == 200
    assert (
        pandapon_post(client, "TAOBAO_ORDER_PRICE_MODIFY", {"purchaseOrderId": "x"}).status_code
        == 200
    )

    assert UpstreamMessage.objects.filter(applied_at__isnull=True).count() == 2
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID

    assert apply_pending_messages() == 2

    assert not UpstreamMessage.objects.filter(applied_at__isnull=True).exists()
    assert cache.get(DRAIN_QUEUED) is None
    paid.refresh_from_db()
    assert paid.status == OrderStatus.SHIPPED


def test_a_callback_with_no_drain_queued_is_applied_at_once(paid):
    cache.delete(DRAIN_QUEUED)
    shipped = taobao_status(paid, "WAIT_BUYER_CONFIRM_GOODS", int(now_ms()))

    assert pandapon_post(Client(), "TAOBAO_ORDER_STATUS_MODIFY", shipped).status_code == 200

    paid.refresh_from_db()
    assert paid.status == OrderStatus.SHIPPED
    assert UpstreamMessage.objects.get().applied_at is not None
    assert cache.get(DRAIN_QUEUED) is None


def test_a_duplicate_is_answered_without_a_second_row(paid):
    shipped = taobao_status(paid, "WAIT_BUYER_CONFIRM_GOODS", int(now_ms()))
    client = Client()

    first = pandapon_post(client, "TAOBAO_ORDER_STATUS_MODIFY", shipped)
    again = pandapon_post(client, "TAOBAO_ORDER_STATUS_MODIFY", shipped)

    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert UpstreamMessage.objects.count() == 1
