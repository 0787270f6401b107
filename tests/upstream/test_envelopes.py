"""Push envelopes are opened in upstream/types: each documented form, and what is refused."""

from __future__ import annotations

import json

import pytest

from upstream.types.envelopes import EnvelopeRefused, read_dajisaas, read_pandapon

LIMIT = 80


def test_a_pandapon_push_with_its_body_as_an_object_or_as_a_json_string():
    body = {"orderId": "3300001", "orderStatus": "WAIT_SELLER_SEND_GOODS", "updatedAt": 17}
    as_object = json.dumps({"messageType": 3, "messageBody": body, "messagePlatform": 1})
    as_string = json.dumps({"messageType": "3", "messageBody": json.dumps(body)})

    first = read_pandapon(as_object, max_type_length=LIMIT)
    second = read_pandapon(as_string.encode(), max_type_length=LIMIT)

    assert (first.message_type, first.platform, first.body) == ("3", "1688", body)
    assert (second.platform, second.body) == ("taobao", body)
    # the same message on a retry (a new timestamp) keeps its identity
    assert first.identity == second.identity


def test_dajisaas_official_1688_pushes_are_named_by_their_msg_id():
    official = json.dumps({"msgId": 991, "type": "ORDER_BUYER_VIEW_PAY", "data": {"orderId": 1}})
    taobao = json.dumps({"seller_id": "s", "message_type": "trade", "data": {"tid": "7"}})

    first = read_dajisaas(official, max_type_length=LIMIT)
    second = read_dajisaas(taobao, max_type_length=LIMIT)

    assert (first.platform, first.message_type, first.identity) == (
        "1688",
        "ORDER_BUYER_VIEW_PAY",
        ("msgId", "991"),
    )
    assert (second.platform, second.message_type, second.body) == ("taobao", "trade", {"tid": "7"})


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("[1, 2]", "body is not an object"),
        ("{not json", "body is not JSON"),
        ("[" * 5000 + "]" * 5000, "body is not"),
        ('{"messageType": 3, "messageBody": {"a": "x\\u0000y"}}', "NUL characters"),
        ('{"messageType": 3, "messageBody": {"a": "\\ud800"}}', "lone surrogate"),
        ('{"messageType": true, "messageBody": {}}', "the message type is not text"),
        ('{"messageType": {"a": 1}, "messageBody": {}}', "the message type is not text"),
        (json.dumps({"messageType": "x" * 81, "messageBody": {}}), "too long"),
    ],
)
def test_what_no_column_could_hold_is_refused(text, why):
    with pytest.raises(EnvelopeRefused, match=why):
        read_pandapon(text, max_type_length=LIMIT)
