"""Customer orders pushed in: idempotent creation, cancel, and the customer's decisions, against
the sandbox over real HTTP."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.common import OrderError
from purchasing.statuses import OrderStatus
from storefront.models import (
    CustomerLineStatus,
    CustomerOrder,
    CustomerOrderStatus,
    Storefront,
)
from storefront.services import StorefrontConflict, StorefrontInvalid
from storefront.services.intake import (
    customer_order_cancel,
    customer_order_create,
    customer_order_decide,
)
from tests.concurrency import at_once, in_turn
from tests.storefront.conftest import order_data, pick
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Sku


def test_the_same_external_id_returns_the_order_already_stored(live, storefront):
    data = order_data(pick("taobao"))

    first, first_created = customer_order_create(storefront=storefront, data=data)
    again, again_created = customer_order_create(storefront=storefront, data=data)

    assert (first_created, again_created) == (True, False)
    assert again.pk == first.pk
    assert CustomerOrder.objects.count() == 1
    assert first.purchase_orders.count() == 1


def test_another_storefront_may_use_the_same_external_id(live, storefront):
    other = Storefront.objects.create(name="Other shop", policy=Storefront.Policy.REVIEW)
    data = order_data(pick("taobao"))

    ours, _ = customer_order_create(storefront=storefront, data=data)
    theirs, created = customer_order_create(storefront=other, data=data)

    assert created and theirs.pk != ours.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_make_exactly_one_order(live, storefront):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers with table locks; runs on PostgreSQL in CI")
    data = order_data(pick("taobao"), external_id="SO-RACE")
    barrier = threading.Barrier(4)
    results, failures = [], []

    def push() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(customer_order_create(storefront=storefront, data=data))
        except Exception as exc:  # noqa: BLE001 (reported below)
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=push) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    assert CustomerOrder.objects.filter(external_id="SO-RACE").count() == 1
    assert sum(created for _order, created in results) == 1
    assert len({order.pk for order, _created in results}) == 1


def test_cancel_before_anything_was_bought(live, storefront):
    storefront.policy = Storefront.Policy.REVIEW
    storefront.save()
    order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))

    cancelled = customer_order_cancel(order=order)
    again = customer_order_cancel(order=order)

    assert cancelled.status == again.status == CustomerOrderStatus.CANCELLED
    purchase = order.purchase_orders.get()
    assert purchase.status == OrderStatus.CANCELLED
    assert (
        purchase.events.filter(to_status=OrderStatus.CANCELLED).get().actor_label
        == "storefront:Test shop"
    )
    assert list(order.lines.values_list("status", flat=True)) == [CustomerLineStatus.CANCELLED]


def test_cancel_is_refused_once_the_goods_are_bought(live, storefront):
    order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))

    with pytest.raises(StorefrontConflict) as refused:
        customer_order_cancel(order=order)

    assert refused.value.code == "already_purchasing"
    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.PURCHASED
    assert order.purchase_orders.get().status == OrderStatus.PAID


def raise_price(chosen, by_fen: int) -> None:
    Sku.objects.filter(pk=chosen.sku.pk).update(price_fen=chosen.sku.price_fen + by_fen)


def test_a_price_rise_asks_the_customer_and_accepting_buys_at_the_new_price(
    live, storefront, webhook_receiver
):
    storefront.webhook_url = webhook_receiver.url
    storefront.save()
    chosen = pick("taobao")
    paid_by_customer = chosen.sku.price_fen
    raise_price(chosen, 2_000)

    order, _ = customer_order_create(storefront=storefront, data=order_data(chosen))

    order.refresh_from_db()
    line = order.lines.get()
    assert order.status == CustomerOrderStatus.NEEDS_DECISION
    assert (line.status, line.decision_reason) == (CustomerLineStatus.NEEDS_DECISION, "price_rose")
    assert line.decision_price_fen == paid_by_customer + 2_000
    purchase = order.purchase_orders.get()
    assert purchase.status == OrderStatus.PREVIEWED and not purchase.needs_attention
    [asked] = webhook_receiver.of_type("order.decision_required")
    data = asked.json()["data"]
    assert data["status"] == "needs_decision"
    assert data["lines"][0]["decision"] == {
        "reason": "price_rose",
        "price_fen": paid_by_customer + 2_000,
        "answer": None,
    }

    customer_order_decide(order=order, decisions=[{"line_id": line.pk, "action": "accept_price"}])

    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == CustomerOrderStatus.PURCHASED, order.status_reason
    assert (line.status, line.decision) == (CustomerLineStatus.PURCHASED, "accept_price")
    purchase.refresh_from_db()
    assert purchase.status == OrderStatus.PAID
    upstream = SandboxOrder.objects.get(outer_ref=purchase.reference)
    assert upstream.total_fen >= line.decision_price_fen
    changes = webhook_receiver.of_type("order.status_changed")
    # Messages may arrive in any order: their timestamp orders them.
    ordered = sorted((r.json() for r in changes), key=lambda m: m["timestamp"])
    assert [m["data"]["status"] for m in ordered][-2:] == ["purchasing", "purchased"]


def test_dropping_an_unavailable_line_buys_the_rest(live, storefront):
    kept = pick("taobao")
    gone = pick("taobao", other_than=(kept,), other_shop_than=(kept,))
    Sku.objects.filter(pk=gone.sku.pk).update(stock=0)

    order, _ = customer_order_create(storefront=storefront, data=order_data(kept, gone))

    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.NEEDS_DECISION
    waiting = order.lines.get(status=CustomerLineStatus.NEEDS_DECISION)
    assert (waiting.line_no, waiting.decision_reason) == (2, "unavailable")
    dropped_from = waiting.purchase_line.order
    with pytest.raises(StorefrontConflict):
        customer_order_decide(
            order=order, decisions=[{"line_id": waiting.pk, "action": "accept_price"}]
        )

    customer_order_decide(order=order, decisions=[{"line_id": waiting.pk, "action": "drop"}])

    order.refresh_from_db()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.purchase_line) == (CustomerLineStatus.DROPPED, None)
    dropped_from.refresh_from_db()
    assert dropped_from.status == OrderStatus.CANCELLED and not dropped_from.lines.exists()
    assert order.status == CustomerOrderStatus.PURCHASED
    assert order.lines.get(line_no=1).status == CustomerLineStatus.PURCHASED


def test_decisions_name_lines_of_the_order_only(live, storefront):
    chosen = pick("taobao")
    raise_price(chosen, 2_000)
    order, _ = customer_order_create(storefront=storefront, data=order_data(chosen))
    line = order.lines.get()

    with pytest.raises(StorefrontInvalid) as unknown:
        customer_order_decide(order=order, decisions=[{"line_id": 999999, "action": "drop"}])
    customer_order_decide(order=order, decisions=[{"line_id": line.pk, "action": "drop"}])
    with pytest.raises(StorefrontConflict) as late:
        customer_order_decide(order=order, decisions=[{"line_id": line.pk, "action": "drop"}])

    assert "decisions.0.line_id" in unknown.value.fields
    assert late.value.code == "no_decision_waiting"
    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.CANCELLED  # its only line was dropped


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race needs PostgreSQL's row locks (set DATABASE_URL)",
)
@pytest.mark.parametrize("late", ["", "confirm", "cancel"])
def test_a_storefront_cancel_and_a_persons_confirm_together_end_one_way(
    live, storefront, people, late
):
    """The storefront withdraws an order while a person confirms its purchase: cancelled and
    never sent upstream, or sent and the cancel refused (the goods are being bought). Never
    both. `late` holds one side back a moment, so that each is seen winning."""
    storefront.policy = Storefront.Policy.REVIEW
    storefront.save()
    order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))
    purchase = order.purchase_orders.get()
    assert purchase.status == OrderStatus.PREVIEWED

    clicks = in_turn(
        late,
        cancel=lambda: customer_order_cancel(order=order),
        confirm=lambda: order_confirm(order=purchase, actor=people.approver),
    )
    refusals = (StorefrontConflict, OrderError)

    assert at_once(clicks, refusal=refusals) == ["done", "refused"]

    order.refresh_from_db()
    purchase.refresh_from_db()
    sent = SandboxOrder.objects.filter(outer_ref=purchase.reference).count()
    if late == "confirm" or order.status == CustomerOrderStatus.CANCELLED:
        assert order.status == CustomerOrderStatus.CANCELLED
        assert purchase.status == OrderStatus.CANCELLED and sent == 0
    else:
        assert purchase.status != OrderStatus.CANCELLED and sent == 1
    if late == "cancel":
        assert order.status != CustomerOrderStatus.CANCELLED
