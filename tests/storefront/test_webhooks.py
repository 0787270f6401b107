"""Outbound webhooks to a real HTTP receiver: Standard Webhooks signatures (checked here with
an implementation of our own), retries after a failure, replay, and giving up after 24 hours."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from storefront.models import CustomerOrder, WebhookDelivery
from storefront.services.webhooks import (
    retry_after,
    webhook_deliver,
    webhook_emit,
    webhook_replay,
)
from storefront.tasks import sweep


def verified(secret: str, request) -> bool:
    """The receiver's side, written from the Standard Webhooks text, not from our sender."""
    message_id = request.headers["webhook-id"]
    timestamp = request.headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{message_id}.{timestamp}.{request.body.decode()}".encode()
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    offered = [part.split(",", 1) for part in request.headers["webhook-signature"].split(" ")]
    return any(v == "v1" and hmac.compare_digest(sig, expected) for v, sig in offered)


@pytest.fixture
def order(storefront, webhook_receiver) -> CustomerOrder:
    storefront.webhook_url = webhook_receiver.url
    storefront.save()
    return CustomerOrder.objects.create(
        storefront=storefront, external_id="SO-7", currency="USD", customer_name="Ada"
    )


@pytest.fixture
def emit(django_capture_on_commit_callbacks):
    """Write a message and run what its transaction's commit starts (the delivery task)."""

    def write(order: CustomerOrder) -> WebhookDelivery:
        with django_capture_on_commit_callbacks(execute=True):
            delivery = webhook_emit(order, "order.status_changed")
        delivery.refresh_from_db()
        return delivery

    return write


def test_a_message_is_signed_and_delivered(order, webhook_receiver, emit):
    delivery = emit(order)

    [received] = webhook_receiver.requests
    assert verified(order.storefront.webhook_secret, received)
    assert received.headers["webhook-id"] == delivery.message_id.strip()
    assert received.headers["content-type"] == "application/json"
    body = received.json()
    assert body["type"] == "order.status_changed"
    assert body["data"]["id"] == order.pk and body["data"]["external_id"] == "SO-7"
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        WebhookDelivery.Status.DELIVERED,
        1,
        200,
    )
    assert delivery.tries.get().status_code == 200


def test_a_wrong_secret_does_not_verify(order, webhook_receiver, emit):
    emit(order)

    other = "whsec_" + base64.b64encode(b"x" * 32).decode()
    assert not verified(other, webhook_receiver.requests[0])


def test_a_failed_attempt_is_retried_later_with_the_same_message_id(order, webhook_receiver, emit):
    webhook_receiver.fail(500)

    delivery = emit(order)

    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        WebhookDelivery.Status.PENDING,
        1,
        500,
    )
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=25) < wait <= timedelta(seconds=30)
    webhook_deliver(delivery_id=delivery.pk)  # not due yet: nothing is sent
    assert len(webhook_receiver.requests) == 1

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert sweep.delay().get() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 2)
    first, second = webhook_receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.message_id
    assert first.body == second.body
    assert all(verified(order.storefront.webhook_secret, r) for r in (first, second))
    assert [t.status_code for t in delivery.tries.all()] == [500, 200]


def test_redirects_are_not_followed(order, webhook_receiver, emit):
    webhook_receiver.fail(302)

    delivery = emit(order)

    assert (delivery.status, delivery.last_status_code) == (WebhookDelivery.Status.PENDING, 302)
    assert len(webhook_receiver.requests) == 1


def test_the_wait_doubles_up_to_two_hours():
    assert [retry_after(n).total_seconds() for n in (1, 2, 3, 9, 30)] == [
        30,
        60,
        120,
        7200,
        7200,
    ]


def test_a_message_still_failing_24_hours_after_it_was_written_fails(order, webhook_receiver, emit):
    webhook_receiver.fail(500, times=2)
    delivery = emit(order)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(hours=24), next_attempt_at=None
    )

    webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        WebhookDelivery.Status.FAILED,
        2,
        None,
    )
    assert sweep.delay().get() == 0  # nothing due any more


def test_replay_sends_the_same_message_again(order, webhook_receiver, emit):
    delivery = emit(order)

    webhook_replay(delivery=delivery)

    delivery.refresh_from_db()
    first, again = webhook_receiver.requests
    assert again.headers["webhook-id"] == first.headers["webhook-id"]
    assert again.body == first.body and verified(order.storefront.webhook_secret, again)
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 2)


def test_the_admin_lists_deliveries_and_replays_them(order, webhook_receiver, emit, admin_client):
    webhook_receiver.fail(500, times=2)
    delivery = emit(order)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(hours=25), next_attempt_at=None
    )
    webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED

    listing = admin_client.get("/admin/storefront/webhookdelivery/?status__exact=failed")
    page = admin_client.get(f"/admin/storefront/webhookdelivery/{delivery.pk}/change/")
    order_page = admin_client.get(f"/admin/storefront/customerorder/{order.pk}/change/")
    replayed = admin_client.post(
        "/admin/storefront/webhookdelivery/",
        {"action": "replay", "_selected_action": [delivery.pk]},
    )

    assert listing.status_code == page.status_code == order_page.status_code == 200
    assert delivery.message_id in listing.content.decode()
    assert replayed.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 3
    assert len(webhook_receiver.requests) == 3


def test_no_webhook_url_no_message(storefront):
    order = CustomerOrder.objects.create(
        storefront=storefront, external_id="SO-8", currency="USD", customer_name="Ada"
    )

    assert webhook_emit(order, "order.created") is None
    assert not WebhookDelivery.objects.exists()


def test_admin_lists_keep_their_query_count(
    storefront, admin_client, django_assert_max_num_queries
):
    for number in range(12):
        order = CustomerOrder.objects.create(
            storefront=storefront, external_id=f"SO-{number}", currency="USD", customer_name="A"
        )
        WebhookDelivery.objects.create(
            storefront=storefront,
            customer_order=order,
            message_id=f"msg_{number}",
            event_type="order.created",
            payload={},
        )

    with django_assert_max_num_queries(12):
        deliveries = admin_client.get("/admin/storefront/webhookdelivery/")
    with django_assert_max_num_queries(12):
        orders = admin_client.get("/admin/storefront/customerorder/")

    assert deliveries.status_code == orders.status_code == 200
    assert "msg_11" in deliveries.content.decode() and "SO-11" in orders.content.decode()
