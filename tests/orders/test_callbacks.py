"""Upstream callbacks: verified, stored raw once, applied once, never backwards."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from purchasing.models import UpstreamMessage
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from tests.orders.factories import pandapon_post, taobao_status
from upstream.sandbox.callbacks import wait_for_deliveries
from upstream.sandbox.models import Callback, Fault
from upstream.signing import compact_json, dajisaas_message_signature, now_ms


# -- verification ------------------------------------------------------------------------------
def test_a_forged_signature_is_refused_and_nothing_changes(paid):
    before = paid.events.count()

    response = pandapon_post(
        Client(),
        "TAOBAO_ORDER_STATUS_MODIFY",
        taobao_status(paid, "WAIT_BUYER_CONFIRM_GOODS", int(now_ms())),
        headers={"signature": "0" * 32},
    )

    assert response.status_code == 401
    assert not UpstreamMessage.objects.exists()
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID and paid.events.count() == before


def test_a_stale_timestamp_is_refused(paid):
    stale = str(int(now_ms()) - 3_600_000)

    response = pandapon_post(
        Client(),
        "TAOBAO_ORDER_STATUS_MODIFY",
        taobao_status(paid, "WAIT_BUYER_CONFIRM_GOODS", int(now_ms())),
        timestamp=stale,
    )

    assert response.status_code == 401
    assert not UpstreamMessage.objects.exists()


@pytest.mark.django_db
def test_a_forged_dajisaas_message_is_refused(client):
    message = compact_json({"message_type": 3, "data": {"status": "WAIT_SELLER_SEND_GOODS"}})

    bad = client.post("/callbacks/dajisaas/", {"message": message, "_dj_signature": "ABC"})
    unsigned = client.post("/callbacks/dajisaas/", {"message": message})

    assert (bad.status_code, unsigned.status_code) == (401, 401)
    assert not UpstreamMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_dajisaas_message_is_verified_and_stored(client, settings):
    message = compact_json({"message_type": 99, "data": {"x": 1}, "timestamp": 1})
    signature = dajisaas_message_signature(message, settings.DAJISAAS_APP_SECRET).lower()

    response = client.post("/callbacks/dajisaas/", {"message": message, "_dj_signature": signature})

    assert response.status_code == 200
    stored = UpstreamMessage.objects.get()
    assert (stored.provider, stored.message_type, stored.outcome) == (
        "dajisaas",
        "99",
        "unknown_type",
    )


# -- duplicates and order ----------------------------------------------------------------------
def test_a_duplicate_callback_is_acknowledged_and_changes_nothing(paid):
    body = taobao_status(paid, "WAIT_BUYER_CONFIRM_GOODS", int(now_ms()))
    started = time.monotonic()
    first = pandapon_post(Client(), "TAOBAO_ORDER_STATUS_MODIFY", body)
    elapsed = time.monotonic() - started
    paid.refresh_from_db()
    events = paid.events.count()

    second = pandapon_post(Client(), "TAOBAO_ORDER_STATUS_MODIFY", body)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["duplicate"] is True
    assert elapsed < 1.0
    assert UpstreamMessage.objects.count() == 1
    paid.refresh_from_db()
    assert paid.status == OrderStatus.SHIPPED and paid.events.count() == events


def test_applying_a_message_twice_changes_nothing(paid):
    from purchasing.callbacks.apply import apply_message

    pandapon_post(
        Client(),
        "TAOBAO_ORDER_STATUS_MODIFY",
        taobao_status(paid, "WAIT_BUYER_CONFIRM_GOODS", int(now_ms())),
    )
    message = UpstreamMessage.objects.get()
    events = paid.events.count()

    assert apply_message(message_id=message.pk) == "applied"

    assert paid.events.count() == events


def test_an_older_status_arriving_late_never_overwrites_a_newer_one(paid):
    newer = int(now_ms())
    pandapon_post(
        Client(),
        "TAOBAO_ORDER_STATUS_MODIFY",
        taobao_status(paid, "WAIT_BUYER_CONFIRM_GOODS", newer),
    )
    pandapon_post(
        Client(),
        "TAOBAO_ORDER_STATUS_MODIFY",
        taobao_status(paid, "WAIT_SELLER_SEND_GOODS", newer - 10),
    )
    pandapon_post(
        Client(),
        "TAOBAO_ORDER_STATUS_MODIFY",
        taobao_status(paid, "WAIT_BUYER_P", newer + 10),  # newer, but behind us
    )

    paid.refresh_from_db()
    assert paid.status == OrderStatus.SHIPPED
    outcomes = list(UpstreamMessage.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["applied", "stale", "stale"]


def test_unknown_message_types_are_stored_and_shown(live):
    response = pandapon_post(Client(), "TAOBAO_SOMETHING_NEW", {"purchaseOrderId": "1"})

    assert response.status_code == 200
    message = UpstreamMessage.objects.get()
    assert message.outcome == "unknown_type" and message.applied_at is not None
    assert message.body == {"purchaseOrderId": "1"}


# -- from the sandbox, over HTTP -----------------------------------------------------------------
def delivered():
    assert wait_for_deliveries(15)
    # A reorder window may still hold some.
    deadline = time.monotonic() + 10
    while Callback.objects.filter(held=True).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
        wait_for_deliveries(5)


def test_a_price_change_before_payment_stops_the_order(live, people, settings):
    order = submitted_order(people)
    settings.SANDBOX_CALLBACKS_ENABLED = True

    live.control("price-change", order=order.reference, delta_fen=800)
    delivered()

    order.refresh_from_db()
    assert order.needs_attention and order.status == OrderStatus.AWAITING_PAYMENT
    assert order.upstream_total_fen == order.budget_fen + 800
    assert "price changed before payment" in order.attention_reason
    assert "(+¥8.00)" in order.attention_reason and "fen" not in order.attention_reason


def test_sandbox_ticks_move_a_paid_1688_order_to_the_warehouse(live, people, settings):
    order = submitted_order(people, platform="1688")
    order_pay(orders=[order], actor=people.finance)
    settings.SANDBOX_CALLBACKS_ENABLED = True
    Fault.objects.create(path="ORDER_BUYER_VIEW_*", mode="duplicate_callback")

    live.control("tick")
    delivered()
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED

    live.control("tick")  # arrives at the warehouse
    live.control("tick")  # 1688 confirms receipt: success
    delivered()
    order.refresh_from_db()
    assert order.status == OrderStatus.AT_WAREHOUSE


def test_sandbox_ticks_move_a_paid_taobao_order_to_shipped(live, people, settings):
    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)
    settings.SANDBOX_CALLBACKS_ENABLED = True

    live.control("tick")
    delivered()

    order.refresh_from_db()
    assert (
        order.status == OrderStatus.SHIPPED and order.upstream_status == "WAIT_BUYER_CONFIRM_GOODS"
    )
    assert all(line.tracking_no for line in order.lines.all())
