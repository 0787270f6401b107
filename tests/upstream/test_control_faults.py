"""The sandbox's faults (added, listed, cleared, striking live calls) and its ledger of creates
and payments."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.upstream.factories import API, ORDER_BODY, make_order, post, small_catalogue
from upstream import errors
from upstream.client import RetryPolicy, Transport
from upstream.sandbox import control, router
from upstream.sandbox.models import (
    Fault,
    LedgerEntry,
    Order,
    Sku,
)

pytestmark = pytest.mark.usefixtures("close_kept_alive_connections")


@pytest.fixture
def client(settings) -> Client:
    """The control API's caller as tests and scripts are: with the control token."""
    return Client(headers={"Authorization": f"Bearer {settings.SANDBOX_CONTROL_TOKEN}"})


@pytest.fixture
def catalogue(db) -> Sku:
    return small_catalogue()


# -- faults ------------------------------------------------------------------------------------
def test_faults_are_added_listed_and_cleared(client, db):
    added = post(client, "faults", {"path": "/open/order*", "mode": "error", "count": 2})
    post(client, "faults", {"mode": "latency", "ms": 50, "rate": 0.5})

    assert added.status_code == 201
    assert added.json()["fault"] == {
        "id": added.json()["fault"]["id"],
        "path": "/open/order*",
        "mode": "error",
        "rate": 1.0,
        "count": 2,
        "ms": None,
        "hits": 0,
    }
    listed = client.get(API + "faults").json()["faults"]
    assert [(f["mode"], f["path"], f["rate"]) for f in listed] == [
        ("error", "/open/order*", 1.0),
        ("latency", "*", 0.5),
    ]
    assert client.delete(API + "faults").json() == {"ok": True, "deleted": 2}
    assert not Fault.objects.exists()


@pytest.mark.parametrize(
    "body, complaint",
    [
        ({"mode": "explode"}, "mode"),
        ({"mode": "error", "rate": 2}, "rate"),
        ({"mode": "error", "rate": "often"}, "rate"),
        ({"mode": "error", "count": 0}, "count"),
        ({"mode": "latency", "ms": -1}, "ms"),
    ],
)
def test_bad_faults_are_refused(client, db, body, complaint):
    response = post(client, "faults", body)
    assert response.status_code == 400 and complaint in response.json()["msg"]
    assert not Fault.objects.exists()


@pytest.fixture
def echo(monkeypatch):
    seen = []

    def read(call):
        seen.append(call.op.name)
        return {"ok": True}

    def create(call):
        seen.append(call.op.name)
        call.ledger_ids.append(f"T{len(seen)}")
        return {"orderId": f"T{len(seen)}"}

    def pay(call):
        seen.append(call.op.name)
        call.ledger_ids.append(call.params["orderId"])
        return True

    monkeypatch.setitem(router.HANDLERS, "taobao_product_get", read)
    monkeypatch.setitem(router.HANDLERS, "taobao_order_create", create)
    monkeypatch.setitem(router.HANDLERS, "taobao_order_pay", pay)
    monkeypatch.setitem(router.HANDLERS, "dj_product_detail", read)
    return seen


@pytest.mark.covers("taobao_product_get")
@pytest.mark.parametrize(
    "glob, hits",
    [
        ("*", True),
        ("/open/product/get", True),
        ("/open/product/*", True),
        ("/pandapon/*", True),
        ("/sandbox/pandapon/open/*", True),
        ("taobao_product_*", True),
        ("/open/order*", False),
        ("/dajisaas/*", False),
    ],
)
def test_fault_paths_are_globs(sandbox, echo, glob, hits):
    Fault.objects.create(path=glob, mode="error", count=1)
    once = Transport(sandbox.pandapon.transport.account, retry=RetryPolicy(attempts=1))

    if hits:
        with pytest.raises(errors.UpstreamUnavailable):
            once.call("taobao_product_get", {"itemId": "1"})
    else:
        once.call("taobao_product_get", {"itemId": "1"})

    assert Fault.objects.get().hits == (1 if hits else 0)
    once.session.close()


@pytest.mark.covers("taobao_product_get")
def test_a_fault_with_rate_zero_never_strikes_and_count_runs_out(sandbox, echo):
    Fault.objects.create(mode="error", rate=0)
    limited = Fault.objects.create(mode="latency", ms=1, count=2)

    for _ in range(4):
        sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"})

    assert Fault.objects.get(mode="error").hits == 0
    limited.refresh_from_db()
    assert (limited.count, limited.hits) == (0, 2)


@pytest.mark.covers("taobao_product_get")
def test_latency_fault_delays_the_answer(sandbox, echo):
    Fault.objects.create(mode="latency", ms=300, count=1)

    started = time.monotonic()
    sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"})

    assert time.monotonic() - started >= 0.3


# -- ledger ------------------------------------------------------------------------------------
@pytest.mark.covers("taobao_order_create", "taobao_order_pay", "taobao_product_get")
def test_ledger_lists_every_create_and_pay_by_outer_reference(sandbox, echo, catalogue, client):
    first = sandbox.pandapon.transport.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")
    sandbox.pandapon.transport.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")  # again
    other = {**ORDER_BODY, "sellerOrderNumber": "PO-2"}
    sandbox.pandapon.transport.call("taobao_order_create", other, outer_ref="PO-2")
    sandbox.pandapon.transport.call("taobao_product_get", {"itemId": "1"})  # reads: not kept
    make_order(catalogue, outer_ref="PO-1", order_id="T1")
    sandbox.pandapon.transport.call("taobao_order_pay", {"orderId": "T1"})

    everything = client.get(API + "ledger").json()
    po1 = client.get(API + "ledger", {"outer_ref": "PO-1"}).json()

    assert everything["count"] == 4
    assert po1["count"] == 3
    pay, second, create = po1["entries"]
    assert (create["operation"], create["kind"], create["upstream_ids"]) == (
        "taobao_order_create",
        "create",
        [first.data["orderId"]],
    )
    assert create["path"] == "/sandbox/pandapon/open/order"
    assert create["user_id"] == "2100007341207" and create["created_at"]
    assert second["upstream_ids"] == ["T2"]  # never deduplicated
    assert (pay["operation"], pay["kind"], pay["upstream_ids"]) == (
        "taobao_order_pay",
        "pay",
        ["T1"],
    )
    only_pays = client.get(API + "ledger", {"operation": "taobao_order_pay"}).json()
    assert only_pays["count"] == 1


@pytest.mark.covers("alibaba_order_batch_submit_to_pay")
def test_a_batch_payment_names_every_order_it_paid(sandbox, echo, catalogue):
    refs = [f"CG20261122{n:012d}" for n in range(1, 7)]  # six 22-character references
    for n, ref in enumerate(refs, start=1):
        order = make_order(catalogue, status="waitbuyerpay", outer_ref=ref, order_id=f"A{n}")
        Order.objects.filter(pk=order.pk).update(platform="1688")
    sandbox.pandapon.alibaba_orders.submit_to_pay(order_ids=[f"A{n}" for n in range(1, 7)])

    (entry,) = control.ledger(operation="alibaba_order_batch_submit_to_pay")
    assert entry.outer_ref.split(",") == refs
    for ref in refs:
        assert [e.pk for e in control.ledger(outer_ref=ref)] == [entry.pk], ref
    assert not control.ledger(outer_ref=refs[0][:-1]).exists()  # a whole reference, not a part


@pytest.mark.covers("taobao_order_create")
def test_a_failed_create_leaves_no_ledger_entry(sandbox, monkeypatch):
    def refuse(call):
        call.ledger_ids.append("never")
        raise router.SandboxError(1001, "out of stock")

    monkeypatch.setitem(router.HANDLERS, "taobao_order_create", refuse)

    with pytest.raises(errors.OutOfStock):
        sandbox.pandapon.transport.call("taobao_order_create", ORDER_BODY, outer_ref="PO-1")

    assert not LedgerEntry.objects.exists()
