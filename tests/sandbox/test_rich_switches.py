"""Under the rich profile, the control API switches the documented upstream's habits on for a
while: references ignored, orders placed by someone else, callbacks pushed unsigned."""

from __future__ import annotations

import json

import pytest

from tests.upstream.factories import pick
from upstream.sandbox import callbacks, control
from upstream.sandbox.models import Order
from upstream.sandbox.models.control import Callback, Fault
from upstream.sandbox.models.orders import FOREIGN_PREFIX


def create_1688(upstream, reference: str) -> str:
    offer = pick("1688")
    body = {
        "flow": "general",
        "addressParam": {"fullName": "张三", "mobile": "18888888888", "address": "网商路699号"},
        "cargoParamList": [
            {
                "offerId": offer.product.item_id,
                "specId": offer.sku.spec_id,
                "quantity": offer.quantity,
            }
        ],
        "outOrderId": reference,
    }
    reply = upstream.pandapon.transport.call("alibaba_order_create", body, outer_ref=reference)
    return reply.data["orderId"]


def listed_ids(upstream, reference: str) -> set[str]:
    reply = upstream.pandapon.transport.call(
        "alibaba_order_page", {"outOrderId": reference, "pageSize": 50}
    )
    return {row["baseInfo"]["id"] for row in reply.data["data"]}


def test_without_switches_the_rich_sandbox_filters_and_echoes_our_reference(rich):
    ours = create_1688(rich, "CG-RICH-1")
    create_1688(rich, "CG-RICH-2")

    assert listed_ids(rich, "CG-RICH-1") == {ours}
    assert not Order.objects.filter(created_by__startswith=FOREIGN_PREFIX).exists()


def test_an_order_created_while_references_are_ignored_is_never_found_by_it(rich):
    rich.control("faults", path="alibaba_order_create", mode="ignore_references", count=1)

    ours = create_1688(rich, "CG-IGNORED-2")

    order = Order.objects.get(order_id=ours)
    assert order.ref_ignored and order.outer_ref == "CG-IGNORED-2"  # the sandbox's own books
    assert listed_ids(rich, "CG-IGNORED-2") == set()
    assert control.ledger(outer_ref="CG-IGNORED-2").count() == 1


def create_taobao(upstream, reference: str) -> str:
    offer = pick("taobao")
    line = {"itemId": offer.product.item_id, "skuId": offer.sku.sku_id, "quantity": "1"}
    body = {
        "orderLineList": json.dumps([line]),
        "receiver": json.dumps({"name": "张三", "mobile_phone": "15068763421"}),
        "sellerOrderNumber": reference,
    }
    return upstream.pandapon.transport.call("taobao_order_create", body).data["id"]


def test_ignoring_references_stops_the_echo_of_a_reference_the_pages_document(rich):
    # sellerOrderNumber is on the Taobao create's page, so no documented table lists it as
    # ignored: the switch still drops it, and no answer carries it.
    rich.control("faults", path="taobao_order_create", mode="ignore_references", count=1)
    ignored, kept = create_taobao(rich, "CG-TB-IGNORED"), create_taobao(rich, "CG-TB-KEPT")

    order = Order.objects.get(order_id=ignored)
    assert order.ref_ignored and order.outer_ref == "CG-TB-IGNORED"  # the sandbox's own books
    read = rich.pandapon.transport.call("taobao_order_get", {"orderId": ignored})
    assert "CG-TB-IGNORED" not in json.dumps(read.data)
    listed = rich.pandapon.transport.call("taobao_order_page", {"sellerOrderNumber": "CG-TB-KEPT"})
    assert [row["id"] for row in listed.data["data"]] == [kept]


def test_a_reference_dropped_after_the_router_read_it_is_not_echoed(rich, monkeypatch):
    """Whatever drops the reference field before the handler runs (here a hook in front of
    it), the reference the router read first never comes back in an answer."""
    before = control.before_call

    def dropping(call):
        call.params.pop("outOrderId", None)
        return before(call)

    monkeypatch.setattr(control, "before_call", dropping)
    ours = create_1688(rich, "CG-DROPPED")

    order = Order.objects.get(order_id=ours)
    assert order.ref_ignored and order.outer_ref == "CG-DROPPED"
    read = rich.pandapon.transport.call(
        "alibaba_order_detail", {"webSite": "1688", "orderId": ours}
    )
    assert read.data and "CG-DROPPED" not in json.dumps(read.data)


def test_a_list_that_ignores_the_reference_returns_every_order_of_the_account(rich):
    first, second = create_1688(rich, "CG-LIST-1"), create_1688(rich, "CG-LIST-2")
    rich.control("faults", path="alibaba_order_page", mode="ignore_references", count=1)

    assert listed_ids(rich, "CG-LIST-1") == {first, second}
    assert listed_ids(rich, "CG-LIST-1") == {first}  # the switch's one hit is spent


def test_foreign_orders_switch_shadows_each_matching_create(rich):
    rich.control("faults", path="*_order_create", mode="foreign_orders", count=1)

    ours = Order.objects.get(order_id=create_1688(rich, "CG-SHADOWED"))
    create_1688(rich, "CG-ALONE")

    (theirs,) = Order.objects.filter(created_by__startswith=FOREIGN_PREFIX)
    assert theirs.shop == ours.shop and theirs.address == ours.address
    assert theirs.outer_ref == "" and theirs.foreign and not ours.foreign
    assert theirs.created_at < ours.created_at


def test_the_control_api_places_foreign_orders_like_one_of_ours(rich):
    ours = create_1688(rich, "CG-LIKE")

    placed = rich.control("foreign-orders", like="CG-LIKE", count=2)

    assert placed.status_code == 201
    assert [row["foreign"] for row in placed.json()["orders"]] == [True, True]
    assert Order.objects.filter(created_by__startswith=FOREIGN_PREFIX).count() == 2
    assert listed_ids(rich, "CG-LIKE") == {ours}  # a working filter still finds only ours


@pytest.mark.parametrize(
    ("payload", "status"),
    [({"like": "CG-NOBODY"}, 404), ({"like": "CG-LIKE", "count": 0}, 400), ({}, 400)],
)
def test_foreign_orders_refuses_what_it_cannot_place(rich, payload, status):
    create_1688(rich, "CG-LIKE")
    response = rich.control("foreign-orders", **payload)
    assert response.status_code == status and response.json()["msg"]


def sent_headers(monkeypatch, callback: Callback) -> dict:
    posted: list[dict] = []

    class Answer:
        status_code = 200
        text = ""

    def post(url, **kwargs):
        posted.append(kwargs)
        return Answer()

    monkeypatch.setattr(callbacks.requests, "post", post)
    assert callbacks.deliver_once(callback.pk) == "delivered"
    (sent,) = posted
    return sent


@pytest.mark.django_db
def test_callbacks_switch_to_unsigned_and_back(monkeypatch):
    def pushed() -> Callback:
        return callbacks.emit(
            provider="pandapon",
            message_type="ORDER_BUYER_VIEW_ORDER_PAY",
            body={"orderId": "1"},
            platform="1688",
        )

    assert sent_headers(monkeypatch, pushed())["headers"]["signature"]
    control.add_fault({"mode": Fault.Mode.UNSIGNED_CALLBACKS, "path": "pandapon", "count": 1})
    unsigned = sent_headers(monkeypatch, pushed())
    assert unsigned["headers"] == {} and unsigned["json"]["messageBody"] == {"orderId": "1"}
    assert sent_headers(monkeypatch, pushed())["headers"]["signature"]


@pytest.mark.django_db
def test_dajisaas_callbacks_switch_to_unsigned(monkeypatch):
    control.add_fault({"mode": Fault.Mode.UNSIGNED_CALLBACKS, "path": "dajisaas"})
    callback = callbacks.emit(
        provider="dajisaas",
        message_type="ORDER_BUYER_VIEW_ORDER_PAY",
        body={"orderId": "1"},
        platform="1688",
    )
    sent = sent_headers(monkeypatch, callback)
    assert set(sent["data"]) == {"message"}
