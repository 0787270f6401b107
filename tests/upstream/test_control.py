"""The sandbox's control API (reset, advance, price change, tick), the staff console and the
admin."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from tests.upstream.factories import API, make_order, post, small_catalogue
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


@pytest.fixture
def client(settings) -> Client:
    """The control API's caller as tests and scripts are: with the control token."""
    return Client(headers={"Authorization": f"Bearer {settings.SANDBOX_CONTROL_TOKEN}"})


@pytest.fixture
def catalogue(db) -> Sku:
    return small_catalogue()


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
    page = html.unescape(refused.content.decode())
    # the seller's reason in words, never the upstream's numeric code
    assert "Refused: order 3001 is WAIT_SELLER_SEND_GOODS: price is fixed" in page
    assert "1005" not in page

    client.post("/sandbox/console/faults", {"path": "*", "mode": "rate_limit", "count": "1"})
    assert Fault.objects.get().mode == "rate_limit"
    bad = client.post("/sandbox/console/faults", {"mode": "nope"}, follow=True)
    assert "mode must be one of" in bad.content.decode()
    client.post("/sandbox/console/faults/clear")
    assert not Fault.objects.exists()

    ticked = client.post("/sandbox/console/tick", follow=True)
    assert "Tick:" in ticked.content.decode()

    unconfirmed = client.post("/sandbox/console/reset", follow=True)
    assert "Nothing was reset" in unconfirmed.content.decode() and Order.objects.exists()
    assert 'name="confirm" value="yes" required' in unconfirmed.content.decode()

    reset = client.post("/sandbox/console/reset", {"confirm": "yes"}, follow=True)
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
