"""Hostile callbacks: oversized, malformed, unknown, replayed or stale. Each gets its answer,
nothing is stored that should not be, and no order moves."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from purchasing.callbacks.apply import apply_message
from purchasing.models import UpstreamMessage
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory
from tests.security.factories import signed_headers
from upstream.signing import compact_json, dajisaas_message_signature, now_ms

pytestmark = pytest.mark.django_db


def post_pandapon(body: bytes | str, headers: dict[str, str] | None = None):
    return Client().post(
        "/callbacks/pandapon/",
        data=body,
        content_type="application/json",
        headers=headers if headers is not None else signed_headers(),
    )


def envelope(message_type: str, body: dict) -> str:
    return json.dumps(
        {
            "messageType": message_type,
            "messageBody": body,
            "messagePlatform": 0,
            "timestamp": now_ms(),
        }
    )


def post_dajisaas(message: str, signature: str | None = None):
    from django.conf import settings

    if signature is None:
        signature = dajisaas_message_signature(message, settings.DAJISAAS_APP_SECRET)
    return Client().post("/callbacks/dajisaas/", {"message": message, "_dj_signature": signature})


@pytest.fixture
def order():
    return PurchaseOrderFactory(
        status=OrderStatus.PAID, upstream_order_id="7001", reference="CG-SEC-1"
    )


def status_body(order, status: str = "WAIT_BUYER_CONFIRM_GOODS") -> dict:
    return {
        "purchaseOrderId": order.upstream_order_id,
        "sellerOrderNumber": order.reference,
        "status": status,
        "updatedAt": int(now_ms()),
        "subOrders": [],
    }


def assert_unchanged(order) -> None:
    events = order.events.count()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.events.count() == events


# -- size ---------------------------------------------------------------------------------------
def test_an_oversized_signed_pandapon_body_gets_413_and_nothing_is_stored(order, settings):
    padding = "x" * (settings.CAIGOU_CALLBACK_MAX_BYTES + 1)
    body = envelope("TAOBAO_ORDER_STATUS_MODIFY", {**status_body(order), "pad": padding})

    response = post_pandapon(body)

    assert response.status_code == 413
    assert not UpstreamMessage.objects.exists()
    assert_unchanged(order)


def test_an_oversized_dajisaas_form_gets_413(settings):
    message = compact_json(
        {"message_type": 3, "data": {"pad": "x" * settings.CAIGOU_CALLBACK_MAX_BYTES}}
    )

    response = post_dajisaas(message)

    assert response.status_code == 413
    assert not UpstreamMessage.objects.exists()


def test_a_body_just_under_the_cap_is_accepted(settings):
    settings.CAIGOU_CALLBACK_MAX_BYTES = 4096
    body = envelope("SOMETHING_NEW", {"pad": "x" * 3000})

    assert post_pandapon(body).status_code == 200
    assert UpstreamMessage.objects.count() == 1


# -- malformed ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'"a string"',
        b"\xff\xfe\x00broken utf-8",
        b"[" * 50_000 + b"]" * 50_000,
        json.dumps({"messageType": "X", "messageBody": "[" * 50_000 + "]" * 50_000}).encode(),
        json.dumps({"messageType": "X", "messageBody": {"note": "nul\u0000here"}}).encode(),
        b"",
    ],
    ids=["broken", "array", "string", "bad-utf8", "deep", "deep-inner", "nul", "empty"],
)
def test_a_malformed_signed_pandapon_body_gets_400_and_nothing_is_stored(body):
    response = post_pandapon(body)

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert not UpstreamMessage.objects.exists()


@pytest.mark.parametrize("message", ["{not json", "[]", "[" * 50_000 + "]" * 50_000])
def test_a_malformed_signed_dajisaas_message_gets_400(message):
    response = post_dajisaas(message)

    assert response.status_code == 400
    assert not UpstreamMessage.objects.exists()


def test_a_get_is_refused():
    assert Client().get("/callbacks/pandapon/").status_code == 405
    assert Client().get("/callbacks/dajisaas/").status_code == 405


# -- unknown types ------------------------------------------------------------------------------
def test_an_unknown_type_is_stored_acknowledged_and_changes_nothing(order):
    response = post_pandapon(envelope("TAOBAO_SOMETHING_ELSE", status_body(order)))

    assert response.status_code == 200
    message = UpstreamMessage.objects.get()
    assert apply_message(message_id=message.pk) == "unknown_type"
    assert_unchanged(order)


# -- replay and staleness -----------------------------------------------------------------------
def test_a_replayed_pandapon_signature_on_another_body_is_refused(order):
    headers = signed_headers()
    first = post_pandapon(envelope("TAOBAO_SOMETHING_ELSE", {"n": 1}), headers)

    forged = post_pandapon(envelope("TAOBAO_ORDER_STATUS_MODIFY", status_body(order)), headers)

    assert (first.status_code, forged.status_code) == (200, 401)
    assert UpstreamMessage.objects.count() == 1
    assert_unchanged(order)


def test_a_replayed_pandapon_message_is_a_duplicate(order):
    headers = signed_headers()
    body = envelope("TAOBAO_SOMETHING_ELSE", {"n": 2})

    first, again = post_pandapon(body, headers), post_pandapon(body, headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["duplicate"] is True
    assert UpstreamMessage.objects.count() == 1


@pytest.mark.parametrize("offset_ms", [-3_600_000, 3_600_000])
def test_a_stale_or_future_timestamp_is_refused(order, offset_ms):
    headers = signed_headers(timestamp=str(int(now_ms()) + offset_ms))

    response = post_pandapon(envelope("TAOBAO_ORDER_STATUS_MODIFY", status_body(order)), headers)

    assert response.status_code == 401
    assert not UpstreamMessage.objects.exists()
    assert_unchanged(order)


def test_a_replayed_dajisaas_message_is_stored_once(order):
    message = compact_json({"msgId": "m-1", "type": "ORDER_BUYER_VIEW_ORDER_PAY", "data": {}})

    first, again = post_dajisaas(message), post_dajisaas(message)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["duplicate"] is True
    assert UpstreamMessage.objects.count() == 1


def test_a_dajisaas_signature_for_another_message_is_refused(order):
    from django.conf import settings

    genuine = compact_json({"msgId": "m-2", "type": "X", "data": {}})
    forged = compact_json({"msgId": "m-3", "type": "X", "data": {"status": "success"}})
    signature = dajisaas_message_signature(genuine, settings.DAJISAAS_APP_SECRET)

    assert post_dajisaas(forged, signature).status_code == 401
    assert not UpstreamMessage.objects.exists()


# -- invalid text -------------------------------------------------------------------------------
def test_a_lone_surrogate_in_a_signed_pandapon_body_gets_400_and_nothing_is_stored(order):
    body = envelope("TAOBAO_ORDER_STATUS_MODIFY", {**status_body(order), "note": "x"})
    body = body.replace('"note": "x"', '"note": "\\ud800"')

    response = post_pandapon(body)

    assert response.status_code == 400
    assert "surrogate" in response.json()["error"]
    assert not UpstreamMessage.objects.exists()
    assert_unchanged(order)


def test_a_lone_surrogate_in_a_signed_dajisaas_message_gets_400():
    message = '{"msgId": "m-9", "type": "X", "data": {"note": "\\udfff"}}'

    response = post_dajisaas(message)

    assert response.status_code == 400
    assert not UpstreamMessage.objects.exists()


@pytest.mark.parametrize("message_type", ["T" * 81, {"a": 1}, ["x"]], ids=["long", "obj", "list"])
def test_a_message_type_that_is_not_short_text_gets_400(message_type):
    body = json.dumps(
        {"messageType": message_type, "messageBody": {}, "messagePlatform": 0, "timestamp": 1}
    )

    response = post_pandapon(body)

    assert response.status_code == 400
    assert not UpstreamMessage.objects.exists()


# -- amounts and times read strictly -------------------------------------------------------------
@pytest.fixture
def unpaid():
    return PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT,
        upstream_order_id="7002",
        reference="CG-SEC-2",
        upstream_total_fen=10_000,
    )


@pytest.mark.parametrize(
    "amount", ["-1", -1, "12.345", 12.5, " 12", True, 2**70, str(2**70), [1]], ids=repr
)
def test_a_price_callback_with_an_unreadable_amount_is_stored_refused(unpaid, amount):
    body = {**status_body(unpaid), "purchaseOrderPriceDTO": {"purchaseTotalFee": amount}}
    events = unpaid.events.count()

    response = post_pandapon(envelope("TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY", body))

    # Acknowledged (the upstream must not send it again), kept with the reason, not applied.
    assert response.status_code == 200
    message = UpstreamMessage.objects.get()
    assert message.outcome == UpstreamMessage.Outcome.REFUSED
    assert message.applied_at is not None
    assert "purchaseTotalFee" in message.error
    unpaid.refresh_from_db()
    assert unpaid.upstream_total_fen == 10_000
    assert not unpaid.needs_attention
    assert unpaid.events.count() == events


def test_a_status_callback_with_a_time_past_64_bits_is_refused(order):
    body = {**status_body(order), "updatedAt": 2**70}

    assert post_pandapon(envelope("TAOBAO_ORDER_STATUS_MODIFY", body)).status_code == 200

    message = UpstreamMessage.objects.get()
    assert message.outcome == UpstreamMessage.Outcome.REFUSED
    assert "updatedAt" in message.error
    assert_unchanged(order)


def test_a_whole_fen_amount_is_still_applied(unpaid):
    body = {**status_body(unpaid), "purchaseOrderPriceDTO": {"purchaseTotalFee": "10050"}}

    post_pandapon(envelope("TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY", body))

    assert UpstreamMessage.objects.get().outcome == UpstreamMessage.Outcome.APPLIED
    unpaid.refresh_from_db()
    assert unpaid.upstream_total_fen == 10_050
