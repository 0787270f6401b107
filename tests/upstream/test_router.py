"""The sandbox front door over real HTTP: signatures, required fields, envelopes, error types."""

from __future__ import annotations

import dataclasses

import pytest

from upstream import errors
from upstream.client import Transport
from upstream.operations import PANDAPON, Operation
from upstream.sandbox import router


@pytest.fixture
def echo(monkeypatch):
    """A stand-in handler for one operation, so these tests need no domain state."""
    seen = []

    def handler(call):
        seen.append(call)
        return {"echo": call.params, "user": call.user_id}

    monkeypatch.setitem(router.HANDLERS, "taobao_product_get", handler)
    monkeypatch.setitem(router.HANDLERS, "dj_product_detail", handler)
    monkeypatch.setitem(router.HANDLERS, "dj_order_preview", handler)
    return seen


def test_signed_pandapon_call_reaches_the_handler(sandbox, echo):
    reply = sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "652874251412"})

    assert reply.code == 200
    assert reply.data == {"echo": {"itemId": "652874251412"}, "user": "2100007341207"}
    assert len(reply.request_id) == 32
    assert reply.envelope["msg"] == "成功"


def test_signed_dajisaas_get_and_json_post_reach_the_handler(sandbox, echo):
    reply = sandbox.dajisaas.transport.call("dj_product_detail", {"offerId": 123, "country": "en"})
    assert reply.data["echo"] == {"offerId": "123", "country": "en"}

    address = {"fullName": "张三", "mobile": "13800000000", "cityText": "杭州市"}
    cargo = [{"offerId": "1", "specId": "s", "quantity": 2}]
    reply = sandbox.dajisaas.transport.call(
        "dj_order_preview", {"addressParam": address, "cargoParamList": cargo}
    )
    assert reply.data["echo"] == {"addressParam": address, "cargoParamList": cargo}
    assert reply.envelope["message"] == "操作成功"


@pytest.mark.parametrize("provider", ["pandapon", "dajisaas"])
def test_wrong_secret_is_refused_as_authentication_failed(sandbox, echo, provider):
    client = getattr(sandbox, provider).transport
    bad = dataclasses.replace(client.account, secret="not-the-secret")
    op, params = (
        ("taobao_product_get", {"itemId": "1"})
        if provider == "pandapon"
        else ("dj_product_detail", {"offerId": "1"})
    )

    with pytest.raises(errors.AuthenticationFailed) as caught:
        Transport(bad).call(op, params)

    assert caught.value.code == 401
    assert caught.value.request_id
    assert echo == []


def test_missing_required_field_is_a_bad_request_naming_it(sandbox, echo):
    with pytest.raises(errors.BadRequest, match="itemId"):
        sandbox.pandapon.transport.call("taobao_product_get", {})
    assert echo == []


def test_path_the_upstream_does_not_serve_is_not_found(sandbox):
    unknown = Operation("not_an_operation", PANDAPON, "GET", "/open/not/served")

    with pytest.raises(errors.NotFound):
        sandbox.pandapon.transport.call(unknown, {})
