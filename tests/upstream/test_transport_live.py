"""The transport against the live sandbox over HTTP with faults injected, around stand-in
handlers so the tests need no domain state: signatures, timeouts, retries for reads only and
uncertain outcomes."""

from __future__ import annotations

import dataclasses
import time

import pytest

from tests.upstream.factories import ORDER_BODY
from upstream import accounts, errors, signing
from upstream.client import Transport
from upstream.models import CallJournal
from upstream.sandbox import router
from upstream.sandbox.models.control import Fault, LedgerEntry

pytestmark = pytest.mark.usefixtures("close_kept_alive_connections")


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
    params = {key: value for key, value in ORDER_BODY.items() if key != "receiver"}

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
        sandbox.pandapon.transport.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")

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
        sandbox.pandapon.transport.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")

    assert caught.value.outcome_unknown  # the client cannot tell the fault came first
    assert CallJournal.objects.count() == 1
    assert echo == [] and not LedgerEntry.objects.exists()


@pytest.mark.covers("taobao_order_create")
def test_live_timeout_after_commit_is_a_timeout_with_unknown_outcome(sandbox, echo, settings):
    transport = live(sandbox, settings, UPSTREAM_READ_TIMEOUT=0.3)
    fault(mode=Fault.Mode.TIMEOUT_AFTER_COMMIT, count=1, ms=900)

    started = time.monotonic()
    with pytest.raises(errors.UpstreamTimeout) as caught:
        transport.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")

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
        sandbox.pandapon.transport.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")

    assert time.monotonic() - started < 2  # a break, not a wait for the read timeout
    assert caught.value.outcome_unknown is True
    assert LedgerEntry.objects.filter(outer_ref="PO-1").count() == 1
    # The connection is gone, not the client: the next call works.
    reply = sandbox.pandapon.transport.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")
    assert reply.data == {"orderId": "T2"}
    assert LedgerEntry.objects.filter(outer_ref="PO-1").count() == 2  # never deduplicated


@pytest.mark.covers("taobao_product_get")
def test_live_read_with_a_dropped_response_is_retried(sandbox, echo):
    fault(mode=Fault.Mode.DROP_RESPONSE, count=1)

    assert sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"}).code == 200
    assert echo == ["taobao_product_get", "taobao_product_get"]
