"""Callbacks that cannot be verified are hints (CALLBACK_AUTH=verify_by_query): stored and
answered, their body never applied; the order they name is read from the upstream, and that
read is what moves it. A forged push changes nothing even when pushes are unsigned."""

from __future__ import annotations

import pytest
from django.test import Client

from purchasing.models import UpstreamMessage
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from tests.orders.factories import pandapon_post, taobao_status
from upstream.signing import now_ms

FORGED = {"signature": "0" * 32}


@pytest.fixture
def by_query(settings):
    settings.CALLBACK_AUTH = "verify_by_query"


@pytest.mark.django_db(transaction=True)
def test_a_forged_push_changes_nothing_even_when_pushes_are_unsigned(live, people, by_query):
    order = submitted_order(people)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    body = taobao_status(order, "WAIT_SELLER_SEND_GOODS", int(now_ms()))

    response = pandapon_post(Client(), "TAOBAO_ORDER_STATUS_MODIFY", body, headers=FORGED)

    assert response.status_code == 200
    message = UpstreamMessage.objects.get()
    assert (message.verified, message.outcome, message.order_id) == (False, "hint", order.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert not order.payments.exists()


@pytest.mark.django_db(transaction=True)
def test_an_unverified_push_moves_the_order_as_far_as_the_upstream_says(live, people, by_query):
    order = submitted_order(people, platform="1688")
    for upstream_id in order.upstream_ids:
        live.control("advance", order=upstream_id, to="cancel")
    # The push claims something else again: only the upstream's word counts.
    body = {"orderId": order.upstream_order_id, "currentStatus": "waitsellersend"}

    response = pandapon_post(
        Client(), "ORDER_BUYER_VIEW_ORDER_PAY", body, platform=1, headers=FORGED
    )

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.events.filter(message__contains="unverified callback").exists()
    assert UpstreamMessage.objects.get().outcome == "hint"


@pytest.mark.django_db
def test_under_signed_an_unverified_push_is_refused_and_not_stored(client, settings):
    settings.CALLBACK_AUTH = "signed"

    response = pandapon_post(client, "TAOBAO_ORDER_STATUS_MODIFY", {}, headers=FORGED)

    assert response.status_code == 401
    assert not UpstreamMessage.objects.exists()


@pytest.mark.django_db
def test_a_forged_push_cannot_pass_for_the_real_one_as_its_duplicate(client, by_query):
    body = {"purchaseOrderId": "77", "status": "WAIT_SELLER_SEND_GOODS", "updatedAt": 1}

    forged = pandapon_post(client, "TAOBAO_ORDER_STATUS_MODIFY", body, headers=FORGED)
    real = pandapon_post(client, "TAOBAO_ORDER_STATUS_MODIFY", body)

    assert forged.json()["duplicate"] is False and real.json()["duplicate"] is False
    assert sorted(UpstreamMessage.objects.values_list("verified", flat=True)) == [False, True]


@pytest.mark.django_db
def test_an_unsigned_dajisaas_message_is_a_hint_and_an_empty_one_is_refused(client, by_query):
    message = '{"message_type": 3, "data": {"purchase_id": "9", "status": "TRADE_CLOSED"}}'

    unsigned = client.post("/callbacks/dajisaas/", {"message": message})
    empty = client.post("/callbacks/dajisaas/", {"_dj_signature": "AB"})

    assert unsigned.status_code == 200
    assert UpstreamMessage.objects.get().verified is False
    assert empty.status_code == 400
