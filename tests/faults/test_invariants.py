"""The checks of the fault run find what they are there to find (no stack needed): a suite
whose checks cannot fail would prove nothing."""

from __future__ import annotations

import pytest

from purchasing.models import OrderEvent, UpstreamMessage
from purchasing.statuses import OrderStatus
from tests.faults.chaos import FORGED, plan
from tests.faults.invariants import check, table
from tests.orders.factories import PurchaseOrderFactory
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Payment
from upstream.sandbox.models.control import LedgerEntry
from upstream.sandbox.models.orders import FOREIGN_PREFIX

pytestmark = pytest.mark.django_db


def _order(status: str = OrderStatus.PREVIEWED):
    order = PurchaseOrderFactory()
    order.note("draft created", kind="created")
    if status != OrderStatus.DRAFT:
        order.transition(OrderStatus.PREVIEWED)
    if status == OrderStatus.SUBMITTING:
        order.transition(OrderStatus.SUBMITTING)
    return order


def _ledger(kind: str, outer_ref: str) -> None:
    LedgerEntry.objects.create(
        operation=f"taobao_order_{kind}", kind=kind, path="/x", outer_ref=outer_ref, user_id="u"
    )


def test_a_clean_order_that_never_reached_the_upstream_passes():
    order = _order()
    found = check([order.pk])
    assert found.problems == {}
    assert found.by_status == {OrderStatus.PREVIEWED: 1}


def test_two_creates_under_one_reference_are_a_duplicate():
    order = _order()
    _ledger("create", order.reference)
    _ledger("create", order.reference)
    assert check([order.pk]).duplicate_creates == [f"{order.reference}: 2 creates"]


def test_a_second_pay_call_counts_even_inside_a_batch():
    first, second = _order(), _order()
    _ledger("pay", first.reference)
    _ledger("pay", f"{first.reference},{second.reference}")
    found = check([first.pk, second.pk])
    assert found.duplicate_payments == [f"{first.reference}: 2 pay calls"]
    assert found.payments == 3


def test_an_order_left_submitting_or_created_upstream_unknown_to_us_is_lost():
    order = _order(OrderStatus.SUBMITTING)
    _ledger("create", "CGNOTOURS1")
    lost = check([order.pk]).lost
    assert f"{order.reference} left submitting" in lost
    assert "CGNOTOURS1 was created upstream but is not one of ours" in lost


def test_an_order_stopped_for_a_person_counts_only_with_ours_among_its_candidates():
    listed, unlisted = _order(OrderStatus.SUBMITTING), _order(OrderStatus.SUBMITTING)
    for order, candidate in ((listed, "8000000000000000001"), (unlisted, "8000000000000000009")):
        SandboxOrder.objects.create(
            provider="pandapon",
            platform="taobao",
            user_id="u",
            order_id=f"80000000000000000{order.pk:02d}",
            outer_ref=order.reference,
            status="WAIT_BUYER_P",
        )
        order.needs_attention = True
        order.adoption = {"state": "ask", "candidates": [{"order_id": candidate}]}
        order.save(update_fields=["needs_attention", "adoption"])
    listed.adoption["candidates"].append({"order_id": f"80000000000000000{listed.pk:02d}"})
    listed.save(update_fields=["adoption"])

    found = check([listed.pk, unlisted.pk])

    assert found.needs_attention == 2
    assert found.lost == [
        f"{unlisted.reference}: stopped for a person, ours not listed "
        f"['80000000000000000{unlisted.pk:02d}']"
    ]


def test_an_event_that_does_not_start_where_the_last_ended_breaks_the_timeline():
    order = _order()
    OrderEvent.objects.create(
        order=order, from_status=OrderStatus.PAID, to_status=OrderStatus.PREVIEWED
    )
    broken = check([order.pk]).broken_timelines
    assert broken and "from paid" in broken[0]


def test_a_stored_forged_callback_is_a_change_without_a_valid_signature():
    order = _order()
    UpstreamMessage.objects.create(
        provider="pandapon", dedupe_key="k", raw=f'{{"closeReason": "{FORGED}"}}', verified=True
    )
    assert check([order.pk]).unsigned_changes


def test_someone_elses_order_taken_or_paid_as_ours_is_found():
    order = _order()
    theirs = SandboxOrder.objects.create(
        provider="pandapon",
        platform="1688",
        user_id="u",
        order_id="9000000000000000001",
        created_by=f"{FOREIGN_PREFIX}erp-sync",
        status="waitsellersend",
    )
    order.upstream_order_ids = [theirs.order_id]
    order.save(update_fields=["upstream_order_ids"])
    Payment.objects.create(order=theirs, pay_id="p1", amount_fen=100, operation="pay")
    found = check([order.pk])
    assert found.foreign_adopted == [f"{order.reference}: took ['{theirs.order_id}']"]
    assert found.foreign_paid == [f"{theirs.order_id} paid by pay"]
    assert "someone else's orders paid by us" in found.problems


def test_the_plan_spends_the_budget_on_every_kind_and_restarts_redis_once():
    steps = plan(200, seed=7)
    assert steps.count("Redis restarted") == 1
    assert len(set(steps)) == 16
    assert {"foreign orders on the account", "references ignored by the upstream"} <= set(steps)
    assert plan(200, seed=7) == steps


def test_the_table_shows_the_zeros_it_asserts():
    order = _order()
    text = table({"5xx burst": 4}, check([order.pk]), lost_enqueues=0, seconds=1.0)
    assert "duplicate creates (must be 0)" in text
    assert "foreign orders taken (must be 0)" in text
    assert "5xx burst" in text
