"""The sandbox's password-free payment switch and its cashier: the control API, the console and
the cashier page a refused protocol pay links to."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.upstream.factories import ADDRESS_1688, API, make_order, pick, post, small_catalogue
from upstream import errors
from upstream.sandbox import control
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Account, Callback, LedgerEntry, Order, Payment, Platform, Sku
from upstream.sandbox.orders.cashier import set_protocol_pay
from upstream.types.orders import Cargo

ALIBABA = Platform.ALIBABA.value


@pytest.fixture
def client(settings) -> Client:
    """The control API's caller as tests and scripts are: with the control token."""
    return Client(headers={"Authorization": f"Bearer {settings.SANDBOX_CONTROL_TOKEN}"})


@pytest.fixture
def catalogue(db) -> Sku:
    return small_catalogue()


def test_the_switch_turns_password_free_payment_off_per_account(client, db):
    off = post(client, "protocol-pay", {"provider": "dajisaas", "signed": False})
    listed = client.get(API + "protocol-pay").json()["accounts"]

    assert off.status_code == 200
    assert listed == [
        {"provider": "dajisaas", "protocol_pay": False, "refusal_code": "PROTOCOL_NOT_SIGNED"}
    ]
    both = post(client, "protocol-pay", {"signed": True, "refusal_code": "1006"}).json()
    assert [(a["provider"], a["protocol_pay"]) for a in both["accounts"]] == [
        ("dajisaas", True),
        ("pandapon", True),
    ]


@pytest.mark.parametrize(
    "body", [{"signed": "no"}, {}, {"signed": False, "provider": "taobao"}], ids=str
)
def test_the_switch_refuses_what_it_cannot_read(client, db, body):
    response = post(client, "protocol-pay", body)

    assert response.status_code == 400 and response.json()["msg"]
    assert not Account.objects.exists()


def test_only_administrators_switch(client_as, db):
    assert post(Client(), "protocol-pay", {"signed": False}).status_code == 401
    assert post(client_as("finance"), "protocol-pay", {"signed": False}).status_code == 403
    assert not Account.objects.exists()


def test_a_reset_signs_the_accounts_again(client, db):
    post(client, "protocol-pay", {"signed": False})

    control.reset()

    assert not Account.objects.exists()


def test_paying_at_the_cashier_records_one_payment_and_pushes_the_status(client, catalogue):
    make_order(catalogue)

    response = post(client, "cashier-pay", {"order": "PO-9"})

    assert response.status_code == 200
    order = Order.objects.get()
    assert order.status == "WAIT_SELLER_SEND_GOODS" and order.paid_at is not None
    [payment] = Payment.objects.all()
    assert (payment.operation, payment.amount_fen) == ("cashier", 4590)
    [entry] = LedgerEntry.objects.all()
    assert (entry.kind, entry.operation, entry.outer_ref) == ("pay", "cashier", "PO-9")
    assert Callback.objects.filter(message_type="TAOBAO_ORDER_STATUS_MODIFY").count() == 1


def test_nothing_is_paid_twice_at_the_cashier(client, catalogue):
    make_order(catalogue, status="WAIT_SELLER_SEND_GOODS")

    paid = post(client, "cashier-pay", {"order": "PO-9"})
    nameless = post(client, "cashier-pay", {})

    assert paid.status_code == 409 and paid.json()["code"] == 1005
    assert nameless.status_code == 400
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()


def test_the_console_switches_password_free_payment(client_as, db):
    admin = client_as("admin")

    page = admin.post("/sandbox/console/protocol-pay", {"provider": "pandapon"}, follow=True)

    assert "Password-free payment is off" in page.content.decode()
    assert not Account.objects.get(provider="pandapon").protocol_pay
    admin.post("/sandbox/console/protocol-pay", {"provider": "pandapon", "signed": "on"})
    assert Account.objects.get(provider="pandapon").protocol_pay


def test_the_cashier_page_shows_the_orders_and_lets_a_payer_pay(client_as, catalogue):
    make_order(catalogue)
    url = "/sandbox/cashier/?orderIds=3001"
    purchaser, finance = client_as("purchaser"), client_as("finance")

    seen = purchaser.get(url).content.decode()
    purchaser.post(url)
    assert "3001" in seen and "¥45.90" in seen and 'data-testid="cashier-pay"' not in seen
    assert not Payment.objects.exists()

    assert 'data-testid="cashier-pay"' in finance.get(url).content.decode()
    after = finance.post(url, follow=True).content.decode()
    assert "Nothing is left to pay." in after
    assert Payment.objects.get().operation == "cashier"


def test_the_cashier_page_is_for_signed_in_people_and_known_orders(client_as, catalogue):
    make_order(catalogue)

    anonymous = Client().get("/sandbox/cashier/?orderIds=3001")
    unknown = client_as("finance").get("/sandbox/cashier/?orderIds=3001,404")

    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert unknown.status_code == 404


# -- the clients against a live sandbox whose accounts have not signed ------------------------
@pytest.fixture
def unsigned(sandbox):
    seed_catalogue(products=40)
    set_protocol_pay(signed=False)
    return sandbox


def cargo(p) -> Cargo:
    return Cargo(
        offer_id=p.product.item_id,
        spec_id=p.sku.spec_id,
        quantity=p.quantity,
        seller_open_id=p.product.shop.shop_id,
    )


@pytest.mark.covers("alibaba_order_create", "alibaba_order_pay_url")
def test_pandapon_answers_an_unsigned_pay_with_its_cashier(unsigned):
    orders = unsigned.pandapon.alibaba_orders
    created = orders.create(address=ADDRESS_1688, cargo=[cargo(pick(ALIBABA))], outer_ref="C-1")

    refused = orders.pay_url(order_id=created.order_id)

    assert not refused.paid and refused.failed_order_ids == [created.order_id]
    assert refused.pay_url == f"{unsigned.url}/sandbox/cashier/?orderIds={created.order_id}"
    assert not Payment.objects.exists()


@pytest.mark.covers("alibaba_order_create", "alibaba_order_batch_submit_to_pay")
def test_pandapon_answers_an_unsigned_batch_with_one_cashier_for_all(unsigned):
    orders, a = unsigned.pandapon.alibaba_orders, pick(ALIBABA)
    ids = [
        orders.create(address=ADDRESS_1688, cargo=[cargo(a)], outer_ref=f"C-B{n}").order_id
        for n in range(2)
    ]

    refused = orders.submit_to_pay(order_ids=ids)

    assert not refused.paid_order_ids and refused.failed_order_ids == ids
    assert refused.pay_url == f"{unsigned.url}/sandbox/cashier/?orderIds={ids[0]}%2C{ids[1]}"
    assert not Payment.objects.exists()


@pytest.mark.covers("dj_create_cross_order", "dj_protocol_pay")
def test_dajisaas_refuses_an_unsigned_pay_with_an_undocumented_code(unsigned):
    orders = unsigned.dajisaas.orders
    created = orders.create_cross_order(
        address=ADDRESS_1688, cargo=[cargo(pick(ALIBABA))], outer_ref="C-DJ"
    )

    with pytest.raises(errors.BusinessError) as refused:
        orders.protocol_pay(order_id=created.order_id)

    assert type(refused.value) is errors.BusinessError  # no known refusal: an unknown outcome
    assert refused.value.code == "PROTOCOL_NOT_SIGNED"
    assert not Payment.objects.exists()
    assert Order.objects.get(order_id=created.order_id).status == "waitbuyerpay"
