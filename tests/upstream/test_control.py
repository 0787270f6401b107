"""The sandbox's control API, its ledger and faults, and the staff console."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from upstream import accounts, errors
from upstream.client import RetryPolicy, Transport
from upstream.sandbox import control, router
from upstream.sandbox.models import (
    Booking,
    Callback,
    CartItem,
    Fault,
    FreightRender,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    Shop,
    Sku,
)

API = "/sandbox/_control/"
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


@pytest.fixture
def client(settings) -> Client:
    """The control API's caller as tests and scripts are: with the control token."""
    return Client(headers={"Authorization": f"Bearer {settings.SANDBOX_CONTROL_TOKEN}"})


def post(client: Client, action: str, body: dict | None = None):
    return client.post(API + action, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def catalogue(db):
    shop = Shop.objects.create(platform="taobao", shop_id="S1", name="小店")
    product = Product.objects.create(
        platform="taobao", item_id="652874251412", shop=shop, title="纯棉T恤", price_fen=3990
    )
    sku = Sku.objects.create(product=product, sku_id="5001", price_fen=3990, stock=10)
    alibaba = Shop.objects.create(platform="1688", shop_id="b2b-1", name="义乌工厂")
    Product.objects.create(
        platform="1688", item_id="700000000001", shop=alibaba, title="保温杯", price_fen=1200
    )
    return sku


def make_order(sku: Sku, *, status="WAIT_BUYER_P", outer_ref="PO-9", order_id="3001") -> Order:
    order = Order.objects.create(
        provider="pandapon",
        platform="taobao",
        user_id="2100007341207",
        order_id=order_id,
        outer_ref=outer_ref,
        created_by="taobao_order_create",
        status=status,
        shop=sku.product.shop,
        goods_fen=3990,
        freight_fen=600,
        total_fen=4590,
    )
    OrderLine.objects.create(
        order=order,
        sub_order_id=f"{order_id}-1",
        product=sku.product,
        sku=sku,
        quantity=1,
        unit_price_fen=3990,
        amount_fen=3990,
        status=status,
    )
    return order


# -- reset -------------------------------------------------------------------------------------
def test_state_models_are_every_sandbox_model_but_the_catalogue_referrers_first():
    models = control.state_models()

    assert {Shop, Product, Sku}.isdisjoint(models)
    assert {CartItem, Order, OrderLine, LedgerEntry, Fault, Callback} <= set(models)
    assert models.index(OrderLine) < models.index(Order)
    assert models.index(Booking) < models.index(FreightRender)  # PROTECT: bookings go first


def test_reset_forgets_state_and_keeps_the_catalogue(client, catalogue):
    order = make_order(catalogue)
    CartItem.objects.create(
        user_id="u",
        platform="taobao",
        cart_id="C1",
        product=catalogue.product,
        sku=catalogue,
        quantity=1,
        added_price_fen=3990,
    )
    LedgerEntry.objects.create(
        operation="taobao_order_create", kind="create", path="/", user_id="u"
    )
    Fault.objects.create(mode="error")
    Callback.objects.create(provider="pandapon", message_type="X", platform="taobao")

    response = post(client, "reset")

    assert response.status_code == 200
    deleted = response.json()["deleted"]
    assert deleted["sandbox.Order"] == 1 and deleted["sandbox.OrderLine"] == 1
    for model in (Order, OrderLine, CartItem, LedgerEntry, Fault, Callback):
        assert not model.objects.exists(), model
    assert (Shop.objects.count(), Product.objects.count(), Sku.objects.count()) == (2, 2, 1)
    assert not Order.objects.filter(pk=order.pk).exists()


def test_control_api_answers_only_its_methods(client, db):
    response = client.get(API + "reset")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert client.post(API + "ledger").status_code == 405


def test_control_api_and_console_are_off_with_the_sandbox(client, client_as, db, settings):
    settings.UPSTREAM_SANDBOX = False
    assert post(client, "reset").status_code == 404
    assert client.get(API + "ledger").status_code == 404
    assert post(Client(), "reset").status_code == 404  # nothing there, whoever asks
    admin = client_as("admin")
    assert admin.get("/sandbox/console/").status_code == 404
    assert admin.post("/sandbox/console/reset").status_code == 404


def test_control_api_with_its_token_needs_no_csrf_token(db, settings):
    token = f"Bearer {settings.SANDBOX_CONTROL_TOKEN}"
    client = Client(enforce_csrf_checks=True, headers={"Authorization": token})
    assert post(client, "tick").status_code == 200


def test_control_api_refuses_anonymous_callers_and_wrong_tokens(catalogue, settings):
    make_order(catalogue)
    Fault.objects.create(mode="error")
    callers = {
        "anonymous": Client(),
        "wrong token": Client(headers={"Authorization": "Bearer not-the-token"}),
        "token prefix": Client(headers={"Authorization": "Bearer caigou-tests"}),
    }
    for caller, client in callers.items():
        for action in ("reset", "tick", "advance", "price-change", "faults"):
            response = post(client, action, {"order": "PO-9", "to": "TRADE_CLOSED_BY_TAOBAO"})
            assert response.status_code == 401, (caller, action)
            assert response.json()["msg"], (caller, action)
        assert client.get(API + "ledger").status_code == 401
        assert client.delete(API + "faults").status_code == 401
    assert Client().post(API + "tick")["WWW-Authenticate"].startswith("Bearer")

    settings.SANDBOX_CONTROL_TOKEN = ""  # no token configured: none is right
    assert post(Client(headers={"Authorization": "Bearer "}), "reset").status_code == 401

    assert Order.objects.get().status == "WAIT_BUYER_P"  # nothing moved, nothing forgotten
    assert Fault.objects.count() == 1


@pytest.mark.parametrize("role", ["purchaser", "approver", "finance"])
def test_control_api_refuses_staff_who_are_not_administrators(client_as, catalogue, role):
    make_order(catalogue)
    client = client_as(role)

    response = post(client, "reset")

    assert response.status_code == 403
    assert "administrators" in response.json()["msg"]
    assert client.get(API + "ledger").status_code == 403
    assert Order.objects.exists()


def test_control_api_takes_an_administrators_session_with_its_csrf_token(client_as, catalogue):
    make_order(catalogue)
    admin = client_as("admin")
    admin.handler.enforce_csrf_checks = True

    refused = post(admin, "reset")
    assert refused.status_code == 403 and "CSRF" in refused.json()["msg"]
    assert Order.objects.exists()
    assert admin.get(API + "ledger").status_code == 200  # reading needs no token

    admin.get("/sandbox/console/")  # any page sets the CSRF cookie
    token = admin.cookies["csrftoken"].value
    response = admin.post(API + "reset", "{}", "application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert not Order.objects.exists()


# -- advance, price change, tick ---------------------------------------------------------------
def test_advance_moves_an_order_found_by_id_or_outer_reference(client, catalogue):
    make_order(catalogue, outer_ref="PO-ADV", order_id="3002")

    by_id = post(client, "advance", {"order": "3002", "to": "WAIT_SELLER_SEND_GOODS"})
    by_ref = post(client, "advance", {"order": "PO-ADV", "to": "WAIT_BUYER_CONFIRM_GOODS"})

    assert by_id.status_code == 200
    assert by_id.json()["order"]["status"] == "WAIT_SELLER_SEND_GOODS"
    assert by_ref.json()["order"] == {**by_ref.json()["order"], "order_id": "3002"}
    order = Order.objects.get(order_id="3002")
    assert order.status == "WAIT_BUYER_CONFIRM_GOODS"
    assert order.lines.get().tracking_no  # shipped on the way
    # Every move is pushed (after commit) as the upstream would.
    assert Callback.objects.filter(message_type="TAOBAO_ORDER_STATUS_MODIFY").count() == 2


def test_advance_refusals(client, catalogue):
    make_order(catalogue)

    missing = post(client, "advance", {"order": "nope", "to": "WAIT_BUYER_P"})
    wrong = post(client, "advance", {"order": "PO-9", "to": "waitsellersend"})
    empty = post(client, "advance", {})

    assert missing.status_code == 404 and missing.json()["code"] == 404
    assert wrong.status_code == 400 and "status" in wrong.json()["msg"]
    assert empty.status_code == 400


def test_price_change_changes_an_unpaid_order(client, catalogue):
    make_order(catalogue)

    response = post(client, "price-change", {"order": "PO-9", "delta_fen": -500})

    assert response.status_code == 200
    assert response.json()["order"]["total_fen"] == 4090
    order = Order.objects.get()
    assert order.price_modified and order.total_fen == 4090
    assert Callback.objects.filter(
        message_type="TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY"
    ).exists()


def test_price_change_of_a_paid_order_is_refused(client, catalogue):
    make_order(catalogue, status="WAIT_SELLER_SEND_GOODS")

    response = post(client, "price-change", {"order": "PO-9", "delta_fen": 100})
    bad = post(client, "price-change", {"order": "PO-9", "delta_fen": "lots"})

    assert response.status_code == 409 and response.json()["code"] == 1005
    assert bad.status_code == 400


def test_tick_runs_every_step_and_counts(client, db, monkeypatch):
    def ship() -> int:
        return 2

    def arrive() -> int:
        return 1

    monkeypatch.setattr(router, "TICK_STEPS", [ship, arrive])

    response = post(client, "tick")

    assert response.status_code == 200
    body = response.json()
    assert body["moved"] == 3
    assert body["steps"] == {"test_control.ship": 2, "test_control.arrive": 1}


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
    first = sandbox.pandapon.transport.call("taobao_order_create", ORDER, outer_ref="PO-1")
    sandbox.pandapon.transport.call("taobao_order_create", ORDER, outer_ref="PO-1")  # again
    other = {**ORDER, "sellerOrderNumber": "PO-2"}
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
        sandbox.pandapon.transport.call("taobao_order_create", ORDER, outer_ref="PO-1")

    assert not LedgerEntry.objects.exists()


# -- console -----------------------------------------------------------------------------------
def test_console_needs_a_signed_in_user(client, db):
    response = client.get("/sandbox/console/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.post("/sandbox/console/reset").status_code == 302


@pytest.mark.parametrize("role", ["purchaser", "approver", "finance"])
def test_console_is_for_administrators_only(client_as, catalogue, role):
    make_order(catalogue)
    client = client_as(role)

    assert client.get("/sandbox/console/").status_code == 403
    for action in ("reset", "tick", "faults/clear"):
        assert client.post(f"/sandbox/console/{action}").status_code == 403
    assert client.post("/sandbox/console/faults", {"mode": "error"}).status_code == 403
    assert Order.objects.get().status == "WAIT_BUYER_P" and not Fault.objects.exists()
    assert 'href="/sandbox/console/"' not in client.get("/dashboard/").content.decode()


def test_console_shows_catalogue_ledger_faults_and_callbacks(client_as, catalogue):
    LedgerEntry.objects.create(
        operation="taobao_order_create",
        kind="create",
        path="/sandbox/pandapon/open/order",
        outer_ref="PO-SHOWN",
        upstream_ids=["3000000000000000001"],
        user_id="u",
    )
    Fault.objects.create(path="/open/order*", mode="error", count=3)
    Callback.objects.create(
        provider="pandapon", message_type="TAOBAO_ORDER_STATUS_MODIFY", platform="taobao"
    )

    html = client_as("admin").get("/sandbox/console/").content.decode()

    assert "Sandbox console" in html
    assert 'src="/sandbox/images/taobao/652874251412/1.png"' in html
    assert "纯棉T恤" in html and "保温杯" in html
    assert "PO-SHOWN" in html and "3000000000000000001" in html
    assert "/open/order*" in html
    assert "TAOBAO_ORDER_STATUS_MODIFY" in html
    assert "<script>" not in html  # no inline scripts
    assert 'href="/sandbox/console/"' in html  # the nav entry


def test_console_buttons_act_and_report(client_as, catalogue):
    client = client_as("admin")
    make_order(catalogue)

    advanced = client.post(
        "/sandbox/console/advance", {"order": "PO-9", "to": "WAIT_SELLER_SEND_GOODS"}, follow=True
    )
    assert "is now WAIT_SELLER_SEND_GOODS" in advanced.content.decode()

    refused = client.post(
        "/sandbox/console/price-change", {"order": "PO-9", "delta_fen": "-100"}, follow=True
    )
    assert "Refused: " in refused.content.decode()

    client.post("/sandbox/console/faults", {"path": "*", "mode": "rate_limit", "count": "1"})
    assert Fault.objects.get().mode == "rate_limit"
    bad = client.post("/sandbox/console/faults", {"mode": "nope"}, follow=True)
    assert "mode must be one of" in bad.content.decode()
    client.post("/sandbox/console/faults/clear")
    assert not Fault.objects.exists()

    ticked = client.post("/sandbox/console/tick", follow=True)
    assert "Tick:" in ticked.content.decode()

    reset = client.post("/sandbox/console/reset", follow=True)
    assert reset.redirect_chain[-1][0] == "/sandbox/console/"
    assert "Sandbox reset" in reset.content.decode()
    assert not Order.objects.exists() and Product.objects.count() == 2


def test_console_is_not_in_the_navigation_when_the_sandbox_is_off(client_as, settings):
    client = client_as("admin")
    assert 'href="/sandbox/console/"' in client.get("/dashboard/").content.decode()

    settings.UPSTREAM_SANDBOX = False

    assert 'href="/sandbox/console/"' not in client.get("/dashboard/").content.decode()


# -- admin -------------------------------------------------------------------------------------
def test_admin_shows_the_ledger_read_only_and_redelivers_callbacks(
    admin_client, db, monkeypatch, django_capture_on_commit_callbacks
):
    from upstream.sandbox import callbacks

    entry = LedgerEntry.objects.create(
        operation="taobao_order_create", kind="create", outer_ref="PO-ADMIN", user_id="u"
    )
    failed = Callback.objects.create(
        provider="pandapon", message_type="X", platform="taobao", status="failed", attempts=6
    )
    dispatched = []
    monkeypatch.setattr(callbacks, "dispatch", dispatched.append)

    listing = admin_client.get("/admin/sandbox/ledgerentry/", {"q": "PO-ADMIN"})
    assert listing.status_code == 200 and b"PO-ADMIN" in listing.content
    assert admin_client.get("/admin/sandbox/ledgerentry/add/").status_code == 403
    detail = admin_client.get(f"/admin/sandbox/ledgerentry/{entry.pk}/change/")
    assert b'name="outer_ref"' not in detail.content
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/sandbox/callback/",
            {"action": "deliver_again", "_selected_action": [failed.pk]},
        )

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert dispatched == [failed.pk]
