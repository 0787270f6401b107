"""The transport: timeouts, envelopes, error types, retries for reads only, uncertain outcomes,
with the wire faked by `responses` (the same against the live sandbox is in
`test_transport_live.py`)."""

from __future__ import annotations

import dataclasses

import pytest
import requests
import responses
from responses import matchers
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from tests.upstream.factories import ORDER_BODY
from upstream import accounts, errors
from upstream.client import Account, CallRecord, RetryPolicy, Transport
from upstream.operations import DAJISAAS, PANDAPON

BASE = "https://pandapon.test"
DJ_BASE = "https://dajisaas.test"
PP = Account(provider=PANDAPON, base_url=BASE, key="ak", secret="sk", user_id="u1")
DJ = Account(provider=DAJISAAS, base_url=DJ_BASE, key="app", secret="dj-secret")
FAST = RetryPolicy(attempts=3, base_s=0.001, cap_s=0.01)

pytestmark = pytest.mark.usefixtures("close_kept_alive_connections")


class Journal:
    def __init__(self) -> None:
        self.records: list[CallRecord] = []

    def record(self, entry: CallRecord) -> None:
        self.records.append(entry)


def envelope(data=None, code=200, msg="成功", request_id="rid-1"):
    return {"requestId": request_id, "code": code, "developId": "1", "msg": msg, "data": data}


@pytest.fixture
def journal() -> Journal:
    return Journal()


@pytest.fixture
def pp(journal) -> Transport:
    return Transport(PP, retry=FAST, journal=journal)


# -- unit: envelopes and error types -----------------------------------------------------------
@responses.activate
def test_success_envelope_becomes_a_reply_and_a_journal_record(pp, journal):
    responses.get(f"{BASE}/open/product/get", json=envelope({"itemId": "7"}))

    reply = pp.call("taobao_product_get", {"itemId": "7"}, outer_ref="REF-1")

    assert (reply.data, reply.code, reply.request_id) == ({"itemId": "7"}, 200, "rid-1")
    [record] = journal.records
    assert (record.operation, record.outer_ref, record.http_status) == (
        "taobao_product_get",
        "REF-1",
        200,
    )
    assert record.code == 200 and record.request_id == "rid-1" and record.error == ""
    assert record.request_body == {"itemId": "7"}
    assert record.response_body["data"] == {"itemId": "7"}


@responses.activate
def test_every_request_carries_connect_and_read_timeouts():
    responses.get(
        f"{BASE}/open/product/get",
        json=envelope({}),
        match=[matchers.request_kwargs_matcher({"timeout": (1.5, 7.0)})],
    )
    Transport(PP, connect_timeout=1.5, read_timeout=7).call("taobao_product_get", {"itemId": "1"})


@pytest.mark.parametrize("timeouts", [(0, 5), (3, 0), (3, None), (None, 5)])
def test_a_transport_without_timeouts_cannot_be_built(timeouts):
    with pytest.raises(ValueError, match="timeout"):
        Transport(PP, connect_timeout=timeouts[0], read_timeout=timeouts[1])


def test_account_transports_use_the_timeouts_of_the_settings(settings):
    settings.UPSTREAM_CONNECT_TIMEOUT, settings.UPSTREAM_READ_TIMEOUT = 2.5, 9.0
    assert accounts.pandapon().transport.timeout == (2.5, 9.0)
    settings.UPSTREAM_READ_TIMEOUT = 4.0
    assert accounts.pandapon().transport.timeout == (2.5, 4.0)


@responses.activate
def test_refusal_carries_code_message_request_id_and_operation(pp):
    responses.get(
        f"{BASE}/open/product/get",
        json=envelope(code=1001, msg="库存不足", request_id="rid-9"),
    )

    with pytest.raises(errors.OutOfStock) as caught:
        pp.call("taobao_product_get", {"itemId": "7"})

    error = caught.value
    assert (error.code, error.msg, error.request_id, error.operation) == (
        1001,
        "库存不足",
        "rid-9",
        "taobao_product_get",
    )
    assert not error.retryable and not error.outcome_unknown
    assert len(responses.calls) == 1  # final errors are not retried


@responses.activate
def test_dajisaas_inner_failure_is_an_error_despite_code_200():
    data = {"result": {"success": False, "errorCode": "1003", "errorInfo": "offer closed"}}
    responses.get(
        f"{DJ_BASE}/alibaba/product/queryProductDetail",
        json={"code": 200, "message": "操作成功", "data": data, "traceId": "t-1"},
    )

    with pytest.raises(errors.OfferUnavailable) as caught:
        Transport(DJ).call("dj_product_detail", {"offerId": "1"})

    assert caught.value.code == "1003"
    assert caught.value.msg == "offer closed"
    assert caught.value.request_id == "t-1"


@responses.activate
def test_dajisaas_inner_code_zero_is_success():
    data = {"code": "0", "success": True, "result": {"offerId": 1}}
    responses.get(
        f"{DJ_BASE}/alibaba/product/queryProductDetail",
        json={"code": 200, "message": "操作成功", "data": data, "traceId": "t-2"},
    )

    assert Transport(DJ).call("dj_product_detail", {"offerId": "1"}).data == data


@responses.activate
def test_http_429_is_rate_limited_with_retry_after_and_reads_retry(pp, journal):
    url = f"{BASE}/open/product/get"
    responses.get(url, status=429, headers={"Retry-After": "0.01"}, json=envelope(code=429))

    with pytest.raises(errors.RateLimited) as caught:
        pp.call("taobao_product_get", {"itemId": "7"})

    assert caught.value.retry_after == 0.01
    assert caught.value.code == 429 and caught.value.retryable
    assert len(responses.calls) == 3
    assert [record.attempt for record in journal.records] == [1, 2, 3]


@responses.activate
def test_a_read_is_retried_until_it_succeeds(pp, journal):
    url = f"{BASE}/open/product/get"
    responses.get(url, status=503, body="busy")
    responses.get(url, body=requests.ConnectionError("connection reset by peer"))
    responses.get(url, json=envelope({"ok": True}))

    assert pp.call("taobao_product_get", {"itemId": "7"}).data == {"ok": True}
    assert [record.http_status for record in journal.records] == [503, None, 200]
    assert journal.records[0].error.startswith("UpstreamUnavailable")
    assert journal.records[1].error.startswith("ConnectionFailed")


def test_retry_backoff_is_capped_exponential_with_jitter():
    policy = RetryPolicy(attempts=5, base_s=0.5, cap_s=2.0)
    delays = {attempt: [policy.delay(attempt) for _ in range(200)] for attempt in (1, 2, 3, 6)}

    assert all(0 <= d <= 0.5 for d in delays[1])
    assert all(0 <= d <= 1.0 for d in delays[2])
    assert all(0 <= d <= 2.0 for d in delays[6])  # capped
    assert len({round(d, 6) for d in delays[3]}) > 100  # jittered


@responses.activate
@pytest.mark.parametrize(
    "answer",
    [
        {"status": 500, "body": "boom"},
        {"status": 200, "json": envelope(code=503, msg="busy")},
        {"body": requests.exceptions.ChunkedEncodingError(ProtocolError("IncompleteRead"))},
        {"body": requests.ReadTimeout("read timed out")},
        {"status": 200, "body": "<html>gateway</html>"},
    ],
    ids=["http-500", "code-503", "dropped", "read-timeout", "no-envelope"],
)
def test_a_create_is_never_retried_and_its_outcome_is_unknown(pp, journal, answer):
    responses.post(f"{BASE}/open/order", **answer)

    with pytest.raises(errors.UpstreamError) as caught:
        pp.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")

    assert len(responses.calls) == 1
    assert caught.value.outcome_unknown is True
    assert caught.value.operation == "taobao_order_create"
    assert len(journal.records) == 1 and journal.records[0].outer_ref == "PO-1"


@responses.activate
def test_a_create_that_could_not_connect_is_known_not_to_have_happened(pp):
    refused = requests.ConnectionError(
        MaxRetryError(None, "/open/order", NewConnectionError(None, "Connection refused"))
    )
    responses.post(f"{BASE}/open/order", body=refused)

    with pytest.raises(errors.ConnectionFailed) as caught:
        pp.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")

    assert caught.value.outcome_unknown is False
    assert len(responses.calls) == 1


def test_a_create_to_a_closed_port_is_known_not_to_have_happened():
    closed = dataclasses.replace(PP, base_url="http://127.0.0.1:9")

    with pytest.raises(errors.ConnectionFailed) as caught:
        Transport(closed).call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")

    assert caught.value.outcome_unknown is False and caught.value.retryable


@responses.activate
def test_a_pay_is_never_retried(pp):
    responses.post(f"{BASE}/open/order/pay", status=502)

    with pytest.raises(errors.UpstreamUnavailable) as caught:
        pp.call("taobao_order_pay", {"orderId": "1"})

    assert len(responses.calls) == 1 and caught.value.outcome_unknown


@responses.activate
def test_a_read_that_times_out_is_retried_and_its_outcome_does_not_matter(pp):
    url = f"{BASE}/open/product/get"
    responses.get(url, body=requests.ReadTimeout("slow"))

    with pytest.raises(errors.UpstreamTimeout) as caught:
        pp.call("taobao_product_get", {"itemId": "7"})

    assert len(responses.calls) == 3
    assert caught.value.outcome_unknown is False


@responses.activate
def test_a_journal_that_fails_does_not_fail_the_call(caplog):
    class Broken:
        def record(self, entry):
            raise RuntimeError("journal down")

    responses.get(f"{BASE}/open/product/get", json=envelope({"ok": 1}))

    reply = Transport(PP, journal=Broken()).call("taobao_product_get", {"itemId": "7"})

    assert reply.data == {"ok": 1}
    assert "could not journal" in caplog.text


@responses.activate
def test_our_own_rate_limit_refusal_is_not_retried_and_sends_nothing():
    class Refusing:
        def acquire(self, account):
            raise errors.RateLimited("busy", code=429, retry_after=0.5)

    responses.get(f"{BASE}/open/product/get", json=envelope({}))

    with pytest.raises(errors.RateLimited) as caught:
        Transport(PP, retry=FAST, rate_limiter=Refusing()).call(
            "taobao_product_get", {"itemId": "7"}
        )

    assert caught.value.operation == "taobao_product_get"
    assert len(responses.calls) == 0
