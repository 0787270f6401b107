"""The transport: timeouts, envelopes, error types, retries for reads only, uncertain outcomes.

Unit tests fake the wire with `responses`; live tests run against the sandbox over HTTP with
faults injected, around stand-in handlers so they need no domain state.
"""

from __future__ import annotations

import dataclasses
import time

import pytest
import requests
import responses
from responses import matchers
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from upstream import accounts, errors, signing
from upstream.client import Account, CallRecord, RetryPolicy, Transport
from upstream.models import CallJournal
from upstream.operations import DAJISAAS, PANDAPON
from upstream.sandbox import router
from upstream.sandbox.models.control import Fault, LedgerEntry

BASE = "https://pandapon.test"
DJ_BASE = "https://dajisaas.test"
PP = Account(provider=PANDAPON, base_url=BASE, key="ak", secret="sk", user_id="u1")
DJ = Account(provider=DAJISAAS, base_url=DJ_BASE, key="app", secret="dj-secret")
FAST = RetryPolicy(attempts=3, base_s=0.001, cap_s=0.01)
ORDER = {
    "orderLineList": [{"itemId": "1", "skuId": "2", "quantity": 1}],
    "receiver": {"name": "张三", "mobile": "13800138000"},
    "sellerOrderNumber": "PO-1",
}


@pytest.fixture(autouse=True)
def _close_kept_alive_connections():
    """Close the clients' kept-alive connections after each test, so no live-server thread
    waits on one past the server's shutdown (it would complain at interpreter exit)."""
    yield
    for transport in list(accounts._transports.values()):
        transport.session.close()


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
        pp.call("taobao_order_create", ORDER, outer_ref="PO-1")

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
        pp.call("taobao_order_create", ORDER, outer_ref="PO-1")

    assert caught.value.outcome_unknown is False
    assert len(responses.calls) == 1


def test_a_create_to_a_closed_port_is_known_not_to_have_happened():
    closed = dataclasses.replace(PP, base_url="http://127.0.0.1:9")

    with pytest.raises(errors.ConnectionFailed) as caught:
        Transport(closed).call("taobao_order_create", ORDER, outer_ref="PO-1")

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


# -- live: the sandbox over HTTP, with faults --------------------------------------------------
@pytest.fixture
def echo(monkeypatch):
    """Stand-in handlers: a read, and a create that makes an "order" and records it."""
    seen = []

    def read(call):
        seen.append(call.op.name)
        return {"echo": call.params}

    def create(call):
        seen.append(call.op.name)
        call.ledger_ids.append(f"T{len(seen)}")
        return {"orderId": f"T{len(seen)}"}

    monkeypatch.setitem(router.HANDLERS, "taobao_product_get", read)
    monkeypatch.setitem(router.HANDLERS, "dj_product_detail", read)
    monkeypatch.setitem(router.HANDLERS, "taobao_order_create", create)
    return seen


def fault(**kwargs) -> Fault:
    return Fault.objects.create(**{"path": "*", "rate": 1.0, **kwargs})


def let_the_server_finish(started: float, ms: int) -> None:
    """Wait out a request the client gave up on, so no server thread outlives the test."""
    time.sleep(max(0.0, started + ms / 1000 + 0.15 - time.monotonic()))


def live(sandbox, settings, **overrides):
    """A fresh PandaPon client for changed settings (transports are kept per configuration)."""
    for name, value in overrides.items():
        setattr(settings, name, value)
    return accounts.pandapon().transport


@pytest.mark.covers("taobao_product_get")
@pytest.mark.parametrize("provider", ["pandapon", "dajisaas"])
def test_live_bad_signature_is_authentication_failed(sandbox, echo, provider):
    transport = getattr(sandbox, provider).transport
    bad = Transport(dataclasses.replace(transport.account, secret="wrong"))
    op, params = (
        ("taobao_product_get", {"itemId": "1"})
        if provider == "pandapon"
        else ("dj_product_detail", {"offerId": "1"})
    )

    with pytest.raises(errors.AuthenticationFailed) as caught:
        bad.call(op, params)

    assert caught.value.code == 401 and caught.value.request_id and caught.value.operation == op
    assert echo == []
    bad.session.close()  # no kept-alive connection left for the live server to mind
    sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"})  # the right one passes


@pytest.mark.covers("taobao_product_get")
def test_live_stale_timestamp_is_authentication_failed(sandbox, echo, monkeypatch):
    stale = str(int((time.time() - 601) * 1000))
    monkeypatch.setattr(signing, "now_ms", lambda: stale)

    with pytest.raises(errors.AuthenticationFailed, match="timestamp"):
        sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"})

    assert echo == []


@pytest.mark.covers("taobao_order_create")
def test_live_missing_field_is_a_bad_request_naming_it(sandbox, echo):
    params = {key: value for key, value in ORDER.items() if key != "receiver"}

    with pytest.raises(errors.BadRequest, match="receiver") as caught:
        sandbox.pandapon.transport.call("taobao_order_create", params, outer_ref="PO-1")

    assert caught.value.code == 400 and not caught.value.outcome_unknown
    assert echo == [] and not LedgerEntry.objects.exists()


@pytest.mark.covers("taobao_product_get")
def test_live_rate_limit_fault_is_rate_limited_and_a_read_retries_through_it(sandbox, echo):
    fault(mode=Fault.Mode.RATE_LIMIT, count=1)

    reply = sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"})

    assert reply.data == {"echo": {"itemId": "1"}}
    rows = list(CallJournal.objects.order_by("id").values_list("attempt", "http_status", "code"))
    assert rows == [(1, 429, "429"), (2, 200, "200")]


@pytest.mark.covers("taobao_order_create")
def test_live_rate_limit_on_a_create_is_rate_limited_once(sandbox, echo):
    fault(mode=Fault.Mode.RATE_LIMIT, ms=3000)

    with pytest.raises(errors.RateLimited) as caught:
        sandbox.pandapon.transport.call("taobao_order_create", ORDER, outer_ref="PO-1")

    assert caught.value.retry_after == 3.0 and caught.value.code == 429
    assert CallJournal.objects.count() == 1 and echo == []


@pytest.mark.covers("taobao_product_get")
def test_live_5xx_is_upstream_unavailable_after_the_read_retries(sandbox, echo):
    fault(mode=Fault.Mode.ERROR)

    with pytest.raises(errors.UpstreamUnavailable) as caught:
        sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"})

    assert caught.value.http_status == 500 and caught.value.request_id
    assert not caught.value.outcome_unknown  # a read: nothing to look up
    attempts = list(CallJournal.objects.order_by("id").values_list("attempt", flat=True))
    assert attempts == [1, 2, 3]
    assert Fault.objects.get().hits == 3


@pytest.mark.covers("taobao_product_get")
def test_live_read_is_retried_past_two_errors(sandbox, echo):
    fault(mode=Fault.Mode.ERROR, count=2)

    assert sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"}).code == 200
    statuses = list(CallJournal.objects.order_by("id").values_list("http_status", flat=True))
    assert statuses == [500, 500, 200]
    assert echo == ["taobao_product_get"]


@pytest.mark.covers("taobao_order_create")
def test_live_create_is_not_retried_after_a_5xx(sandbox, echo):
    fault(mode=Fault.Mode.ERROR, count=1, path="/open/order")

    with pytest.raises(errors.UpstreamUnavailable) as caught:
        sandbox.pandapon.transport.call("taobao_order_create", ORDER, outer_ref="PO-1")

    assert caught.value.outcome_unknown  # the client cannot tell the fault came first
    assert CallJournal.objects.count() == 1
    assert echo == [] and not LedgerEntry.objects.exists()


@pytest.mark.covers("taobao_order_create")
def test_live_timeout_after_commit_is_a_timeout_with_unknown_outcome(sandbox, echo, settings):
    transport = live(sandbox, settings, UPSTREAM_READ_TIMEOUT=0.3)
    fault(mode=Fault.Mode.TIMEOUT_AFTER_COMMIT, count=1, ms=900)

    started = time.monotonic()
    with pytest.raises(errors.UpstreamTimeout) as caught:
        transport.call("taobao_order_create", ORDER, outer_ref="PO-1")

    assert time.monotonic() - started < 0.8
    let_the_server_finish(started, 900)
    assert caught.value.outcome_unknown is True
    # The upstream did create it: the reference finds it, and it must not be created again.
    [entry] = LedgerEntry.objects.filter(outer_ref="PO-1")
    assert entry.upstream_ids == ["T1"] and echo == ["taobao_order_create"]
    assert CallJournal.objects.get().error.startswith("UpstreamTimeout")


@pytest.mark.covers("taobao_product_get")
def test_live_slow_read_times_out_then_succeeds_on_retry(sandbox, echo, settings):
    transport = live(sandbox, settings, UPSTREAM_READ_TIMEOUT=0.25)
    fault(mode=Fault.Mode.LATENCY, count=1, ms=600, path="/open/product/*")

    started = time.monotonic()
    assert transport.call("taobao_product_get", {"itemId": "1"}).code == 200
    let_the_server_finish(started, 600)
    errors_seen = list(CallJournal.objects.order_by("id").values_list("error", flat=True))
    assert errors_seen[0].startswith("UpstreamTimeout") and errors_seen[1] == ""


@pytest.mark.covers("taobao_product_get")
def test_live_read_timeout_on_every_attempt_is_upstream_timeout(sandbox, echo, settings):
    transport = live(sandbox, settings, UPSTREAM_READ_TIMEOUT=0.2, UPSTREAM_READ_ATTEMPTS=2)
    fault(mode=Fault.Mode.LATENCY, ms=500)

    with pytest.raises(errors.UpstreamTimeout) as caught:
        transport.call("taobao_product_get", {"itemId": "1"})
    let_the_server_finish(time.monotonic(), 500)

    assert caught.value.retryable and not caught.value.outcome_unknown
    assert CallJournal.objects.count() == 2


@pytest.mark.covers("taobao_order_create")
def test_live_dropped_response_breaks_the_connection_after_the_commit(sandbox, echo):
    fault(mode=Fault.Mode.DROP_RESPONSE, count=1)

    started = time.monotonic()
    with pytest.raises(errors.ConnectionFailed) as caught:
        sandbox.pandapon.transport.call("taobao_order_create", ORDER, outer_ref="PO-1")

    assert time.monotonic() - started < 2  # a break, not a wait for the read timeout
    assert caught.value.outcome_unknown is True
    assert LedgerEntry.objects.filter(outer_ref="PO-1").count() == 1
    # The connection is gone, not the client: the next call works.
    reply = sandbox.pandapon.transport.call("taobao_order_create", ORDER, outer_ref="PO-1")
    assert reply.data == {"orderId": "T2"}
    assert LedgerEntry.objects.filter(outer_ref="PO-1").count() == 2  # never deduplicated


@pytest.mark.covers("taobao_product_get")
def test_live_read_with_a_dropped_response_is_retried(sandbox, echo):
    fault(mode=Fault.Mode.DROP_RESPONSE, count=1)

    assert sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"}).code == 200
    assert echo == ["taobao_product_get", "taobao_product_get"]
