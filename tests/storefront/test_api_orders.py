"""Pushing, reading, cancelling and deciding customer orders over HTTP."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import requests
from django.db import connection
from django.utils import timezone

from storefront.models import (
    CustomerLineStatus,
    CustomerOrder,
    CustomerOrderStatus,
    IdempotencyKey,
    Storefront,
)
from tests.orders.factories import PurchaseOrderFactory
from tests.storefront.api_fixtures import api_for, order_body


@pytest.fixture
def api(storefront):
    return api_for(storefront)


def fields_of(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return error["fields"]


# -- create ---------------------------------------------------------------------------------
def test_a_new_order_is_created_with_its_links(api):
    response = api.post("orders/", order_body())
    assert response.status_code == 201, response.content
    body = response.json()
    order = CustomerOrder.objects.get(pk=body["id"])
    assert order.storefront == api.storefront
    assert body["status"] == "received"
    assert body["external_id"] == "SHOP-1001"
    assert body["shipping_address"]["phone"] == "2025550143"  # normalised
    assert [line["quantity"] for line in body["lines"]] == [2]
    assert body["links"]["self"] == f"/api/v1/orders/{order.pk}/"
    assert body["links"]["cancel"] == f"/api/v1/orders/{order.pk}/cancel/"


def test_the_same_external_id_returns_the_existing_order(api):
    first = api.post("orders/", order_body())
    again = api.post("orders/", order_body(currency="EUR"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["currency"] == "USD"
    assert CustomerOrder.objects.count() == 1


def test_unknown_fields_are_refused_at_every_level(api):
    body = order_body(discount=5)
    body["lines"][0]["colour"] = "blue"
    body["shipping_address"]["floor"] = "3"
    fields = fields_of(api.post("orders/", body))
    assert fields["discount"] == ["Unknown field: it is not part of this request."]
    assert "lines.0.colour" in fields
    assert "shipping_address.floor" in fields
    assert not CustomerOrder.objects.exists()


def test_lengths_and_bounds_are_checked(api):
    body = order_body(external_id="x" * 65, currency="usd", budget_fen=10**10 + 1)
    body["customer"]["email"] = "not-an-email"
    body["lines"][0].update(quantity=10_000, unit_price_fen=-1, note="n" * 501, platform="jd")
    fields = fields_of(api.post("orders/", body))
    assert set(fields) >= {
        "external_id",
        "currency",
        "budget_fen",
        "customer.email",
        "lines.0.quantity",
        "lines.0.unit_price_fen",
        "lines.0.note",
        "lines.0.platform",
    }
    assert fields["currency"] == ["Three capital letters (ISO 4217), e.g. USD."]
    assert fields["lines.0.quantity"] == ["Ensure this value is less than or equal to 9999."]


def test_zero_or_more_than_a_hundred_lines_are_refused(api):
    assert "lines" in fields_of(api.post("orders/", order_body(lines=[])))
    many = order_body(lines=[order_body()["lines"][0]] * 101)
    assert "lines" in fields_of(api.post("orders/", many))


def test_the_shipping_address_is_checked_per_country(api):
    body = order_body()
    body["shipping_address"].update(phone="12", postcode="ABC", province="")
    fields = fields_of(api.post("orders/", body))
    assert fields["shipping_address.phone"] == [
        "Not a valid phone number for US: 10 digits, optionally after +1."
    ]
    assert fields["shipping_address.postcode"] == [
        "Not a valid postcode for US: 5 digits or ZIP+4."
    ]
    assert fields["shipping_address.province"] == ["This field is required (province or state)."]


# -- idempotency ----------------------------------------------------------------------------
def test_an_idempotency_key_replays_the_first_answer(api):
    first = api.post("orders/", order_body(), **{"Idempotency-Key": "k-1"})
    again = api.post("orders/", order_body(), **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CustomerOrder.objects.count() == 1
    stored = IdempotencyKey.objects.get(key="k-1")
    assert (stored.response_status, stored.response_body["id"]) == (201, first.json()["id"])


def test_an_idempotency_key_with_another_body_is_refused(api):
    api.post("orders/", order_body(), **{"Idempotency-Key": "k-2"})
    response = api.post("orders/", order_body(external_id="OTHER"), **{"Idempotency-Key": "k-2"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert CustomerOrder.objects.count() == 1


def test_a_key_still_running_answers_409(api):
    from storefront.api.idempotency import fingerprint

    IdempotencyKey.objects.create(
        storefront=api.storefront,
        key="k-3",
        method="POST",
        path="/api/v1/orders/",
        fingerprint=fingerprint(order_body()),
    )
    response = api.post("orders/", order_body(), **{"Idempotency-Key": "k-3"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_in_use"
    assert not CustomerOrder.objects.exists()


def test_a_key_older_than_a_day_may_be_used_again(api):
    api.post("orders/", order_body(), **{"Idempotency-Key": "k-4"})
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = api.post("orders/", order_body(external_id="NEW"), **{"Idempotency-Key": "k-4"})
    assert response.status_code == 201
    assert response.json()["external_id"] == "NEW"


def test_a_nul_anywhere_in_the_body_is_refused_and_no_key_is_kept(api):
    bad = {**order_body(), "x\u0000": "x"}  # jsonb takes no NUL character
    first = api.post("orders/", bad, **{"Idempotency-Key": "k-nul"})
    again = api.post("orders/", bad, **{"Idempotency-Key": "k-nul"})
    assert (first.status_code, again.status_code) == (400, 400)
    assert "NUL" in again.json()["error"]["message"]
    assert not IdempotencyKey.objects.filter(key="k-nul").exists()


def test_an_unpaired_surrogate_is_refused_as_not_text(api):
    response = api.post("orders/", {**order_body(), "external_id": "\ud800"})
    assert response.status_code == 400
    assert "surrogate" in response.json()["error"]["message"]


def test_a_refused_request_keeps_its_answer_and_a_bad_key_is_refused(api):
    bad = order_body(currency="usd")
    first = api.post("orders/", bad, **{"Idempotency-Key": "k-5"})
    again = api.post("orders/", bad, **{"Idempotency-Key": "k-5"})
    assert (first.status_code, again.status_code) == (400, 400)
    assert again["Idempotent-Replayed"] == "true"
    response = api.post("orders/", order_body(), **{"Idempotency-Key": "k" * 256})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"


# -- reading --------------------------------------------------------------------------------
def test_another_storefronts_order_is_not_found(api):
    other = api_for(Storefront.objects.create(name="Other", scopes=api.storefront.scopes))
    theirs = other.post("orders/", order_body()).json()["id"]
    for response in (
        api.get(f"orders/{theirs}/"),
        api.post(f"orders/{theirs}/cancel/"),
        api.post(f"orders/{theirs}/decisions/", {"decisions": [{"line_id": 1, "action": "drop"}]}),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert api.get("orders/").json()["results"] == []
    assert api.get(f"orders/{2**70}/").status_code == 404


def test_the_list_pages_by_cursor_with_flat_queries(api, django_assert_max_num_queries):
    ids = [api.post("orders/", order_body(external_id=f"E{n}")).json()["id"] for n in range(5)]
    with django_assert_max_num_queries(12):
        first = api.get("orders/", {"page_size": 2}).json()
    with django_assert_max_num_queries(12):
        everything = api.get("orders/", {"page_size": 5}).json()
    assert [o["id"] for o in everything["results"]] == ids[::-1]
    assert [o["id"] for o in first["results"]] == ids[::-1][:2]
    second = api.client.get(first["next"], headers=api.headers()).json()
    assert [o["id"] for o in second["results"]] == ids[::-1][2:4]
    assert second["previous"]


def test_the_list_filters(api):
    ids = [api.post("orders/", order_body(external_id=f"F{n}")).json()["id"] for n in range(3)]
    CustomerOrder.objects.filter(pk=ids[0]).update(status=CustomerOrderStatus.DELIVERED)
    past = timezone.now() - timedelta(days=3)
    CustomerOrder.objects.filter(pk=ids[1]).update(updated_at=past)

    def found(**params):
        response = api.get("orders/", params)
        assert response.status_code == 200, response.content
        return sorted(o["id"] for o in response.json()["results"])

    assert found(status="delivered") == [ids[0]]
    assert found(external_id="F2") == [ids[2]]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert found(updated_since=since) == [ids[0], ids[2]]
    response = api.get("orders/", {"updated_since": "yesterday"})
    assert "updated_since" in fields_of(response)
    assert "status" in fields_of(api.get("orders/", {"status": "lost"}))


# -- cancel and decisions -------------------------------------------------------------------
def test_cancel_while_nothing_was_bought(api):
    order_id = api.post("orders/", order_body()).json()["id"]
    response = api.post(f"orders/{order_id}/cancel/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert {line["status"] for line in response.json()["lines"]} == {"cancelled"}


def test_cancel_once_bought_is_a_conflict(api):
    order_id = api.post("orders/", order_body()).json()["id"]
    purchase = PurchaseOrderFactory(status="awaiting_payment")
    CustomerOrder.objects.get(pk=order_id).purchase_orders.add(purchase)
    response = api.post(f"orders/{order_id}/cancel/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_purchasing"
    assert CustomerOrder.objects.get(pk=order_id).status == "received"


def test_decisions_need_an_order_waiting_for_one(api):
    order_id = api.post("orders/", order_body()).json()["id"]
    line_id = CustomerOrder.objects.get(pk=order_id).lines.get().pk
    answer = {"decisions": [{"line_id": line_id, "action": "accept_price"}]}
    response = api.post(f"orders/{order_id}/decisions/", answer)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_decision_waiting"
    bad = api.post(f"orders/{order_id}/decisions/", {"decisions": [{"line_id": 1, "do": "x"}]})
    assert set(fields_of(bad)) == {"decisions.0.do", "decisions.0.action"}


def test_a_price_rise_accepted_goes_back_to_buying(api):
    order_id = api.post("orders/", order_body()).json()["id"]
    order = CustomerOrder.objects.get(pk=order_id)
    order.lines.update(
        status=CustomerLineStatus.NEEDS_DECISION,
        decision_reason="price_rose",
        decision_price_fen=6500,
    )
    CustomerOrder.objects.filter(pk=order_id).update(status=CustomerOrderStatus.NEEDS_DECISION)
    line_id = order.lines.get().pk
    answer = {"decisions": [{"line_id": line_id, "action": "accept_price"}]}
    response = api.post(f"orders/{order_id}/decisions/", answer)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "received"
    assert body["lines"][0]["decision"] == {
        "reason": "price_rose",
        "price_fen": 6500,
        "answer": "accept_price",
    }
    unknown = {"decisions": [{"line_id": line_id + 999, "action": "drop"}]}
    CustomerOrder.objects.filter(pk=order_id).update(status=CustomerOrderStatus.NEEDS_DECISION)
    assert api.post(f"orders/{order_id}/decisions/", unknown).status_code == 400


def test_concurrent_pushes_with_one_key_make_one_order(live_server, settings, transactional_db):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers with table locks; runs on PostgreSQL in CI")
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    api = api_for(Storefront.objects.create(name="Racer", scopes=["orders:write"]))
    headers = {**api.headers(), "Idempotency-Key": "race-1"}
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def push() -> None:
        barrier.wait(timeout=10)
        response = requests.post(
            f"{live_server.url}/api/v1/orders/", json=order_body(), headers=headers, timeout=60
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=push) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    # One creates (201); the others find it running (409) or finished (its 201 replayed).
    assert len(statuses) == 4 and set(statuses) <= {201, 409}, statuses
    assert CustomerOrder.objects.filter(storefront=api.storefront).count() == 1
