"""The checks of the fault run find what they are there to find (no stack needed): a suite
whose checks cannot fail would prove nothing."""

from __future__ import annotations

import pytest

from purchasing.models import OrderEvent, UpstreamMessage
from purchasing.statuses import OrderStatus
from tests.faults.chaos import FORGED, plan
from tests.faults.invariants import check, table
from tests.orders.factories import PurchaseOrderFactory
from upstream.sandbox.models.control import LedgerEntry

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


def test_the_plan_spends_the_budget_on_every_kind_and_restarts_redis_once():
    steps = plan(200, seed=7)
    assert steps.count("Redis restarted") == 1
    assert len(set(steps)) == 14
    assert plan(200, seed=7) == steps


def test_the_table_shows_the_zeros_it_asserts():
    order = _order()
    text = table({"5xx burst": 4}, check([order.pk]), lost_enqueues=0, seconds=1.0)
    assert "duplicate creates (must be 0)" in text
    assert "5xx burst" in text
