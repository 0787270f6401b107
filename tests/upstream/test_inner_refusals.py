"""A `code 200` envelope whose inner result says no is a refusal (upstream-api.md 7.1): every
operation that is not a read raises the upstream's own words, as the error type of its code,
with the wire faked by `responses`."""

from __future__ import annotations

import pytest
import responses

from upstream import errors
from upstream.client import Account, Transport
from upstream.operations import DAJISAAS, PANDAPON

BASE = "https://pandapon.test"
DJ_BASE = "https://dajisaas.test"
PP = Account(provider=PANDAPON, base_url=BASE, key="ak", secret="sk", user_id="u1")
DJ = Account(provider=DAJISAAS, base_url=DJ_BASE, key="app", secret="dj-secret")

pytestmark = pytest.mark.usefixtures("close_kept_alive_connections")


def envelope(data, msg="成功"):
    return {"requestId": "rid-7", "code": 200, "developId": "1", "msg": msg, "data": data}


@responses.activate
def test_receipt_refused_inside_a_success_envelope_raises_the_upstream_words():
    refused = {"success": False, "errorInfo": "订单信息不存在", "errorCode": "4003"}
    responses.post(f"{BASE}/alibaba/order/receivegoods", json=envelope(refused))

    with pytest.raises(errors.BusinessError) as caught:
        Transport(PP).call("alibaba_order_receive_goods", {"orderId": "1"})

    error = caught.value
    assert (error.msg, error.code, error.request_id) == ("订单信息不存在", "4003", "rid-7")
    assert error.operation == "alibaba_order_receive_goods" and not error.outcome_unknown


@responses.activate
def test_data_false_is_a_refusal_that_never_reads_as_success():
    responses.post(f"{BASE}/alibaba/order/cancel", json=envelope(False))

    with pytest.raises(errors.BusinessError) as caught:
        Transport(PP).call("alibaba_order_cancel", {"orderId": "1", "cancelReason": "other"})

    assert "成功" not in caught.value.msg
    assert caught.value.msg == "The upstream answered that it did not do it"


@responses.activate
def test_data_false_keeps_the_envelope_message_when_it_says_why():
    responses.post(f"{BASE}/open/order/cancel", json=envelope(False, msg="订单已发货"))

    with pytest.raises(errors.BusinessError, match="订单已发货"):
        Transport(PP).call("taobao_order_cancel", {"orderId": "1"})


@responses.activate
def test_an_inner_error_code_takes_the_type_of_that_code():
    refused = {"orderId": "1", "errorCode": "1006", "errorMsg": "余额不足"}
    responses.get(f"{BASE}/alibaba/order/pay/url", json=envelope(refused))

    with pytest.raises(errors.InsufficientBalance, match="余额不足"):
        Transport(PP).call("alibaba_order_pay_url", {"orderId": "1"})


@responses.activate
def test_dajisaas_write_with_inner_result_refused():
    refused = {"result": {"success": False, "errorCode": "1005", "errorInfo": "状态不允许"}}
    responses.post(
        f"{DJ_BASE}/alibaba/trade/cancel",
        json={"code": 200, "message": "操作成功", "data": refused, "traceId": "t-9"},
    )

    with pytest.raises(errors.StateForbids, match="状态不允许"):
        Transport(DJ).call("dj_order_cancel", {"orderId": "1", "cancelReason": "buyerCancel"})


@pytest.mark.parametrize(
    "data",
    [
        True,
        None,
        {"success": True, "errorCode": None, "errorInfo": None},
        {"code": "0", "success": True, "errorCode": ""},
        {"bookingId": "B1"},
    ],
)
@responses.activate
def test_answers_that_say_yes_are_success(data):
    responses.post(f"{BASE}/alibaba/order/receivegoods", json=envelope(data))

    assert Transport(PP).call("alibaba_order_receive_goods", {"orderId": "1"}).data == data


@responses.activate
def test_a_create_that_names_what_it_made_is_left_to_the_caller():
    # Partly made (one seller's goods refused): the order that exists must be adopted, never
    # called failed and ordered again.
    partial = {"success": False, "orderId": "9001", "failedOfferList": [{"offerId": "2"}]}
    responses.post(f"{BASE}/alibaba/order/create", json=envelope(partial))

    params = {"flow": "general", "addressParam": {}, "cargoParamList": [], "outOrderId": "R"}
    assert Transport(PP).call("alibaba_order_create", params).data == partial


@responses.activate
def test_a_create_refused_without_anything_made_is_a_refusal():
    refused = {"success": False, "code": "1001", "message": "库存不足"}
    responses.post(f"{BASE}/alibaba/order/create", json=envelope(refused))

    params = {"flow": "general", "addressParam": {}, "cargoParamList": [], "outOrderId": "R"}
    with pytest.raises(errors.OutOfStock, match="库存不足"):
        Transport(PP).call("alibaba_order_create", params)


@responses.activate
def test_pandapon_reads_are_not_second_guessed():
    # A read's data is the upstream's record (a 1688 preview carries its own `success`).
    data = {"success": False, "errorCode": "x"}
    responses.get(f"{BASE}/open/product/get", json=envelope(data))

    assert Transport(PP).call("taobao_product_get", {"itemId": "7"}).data == data
