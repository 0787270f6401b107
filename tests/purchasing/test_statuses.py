"""The order life of DESIGN.md and the one table that maps upstream statuses onto it."""

import pytest

from purchasing.statuses import (
    FINAL,
    RANK,
    TRANSITIONS,
    UPSTREAM_STATUS,
    OrderStatus,
    can_move,
    from_upstream,
    is_older,
)
from tests.upstream.factories import UPSTREAM_API, documented_order_statuses
from upstream.types.orders import PAYMENT_BY_STATUS, Payment


@pytest.mark.skipif(not UPSTREAM_API.exists(), reason="upstream-api.md sits beside the repository")
def test_every_documented_upstream_status_is_mapped():
    documented = set().union(*documented_order_statuses().values())
    assert {"WAIT_BUYER_P", "waitsellersend", "BULIDING", "success"} <= documented
    assert sorted(documented - set(UPSTREAM_STATUS)) == []


def test_every_status_has_its_transitions_declared():
    assert set(TRANSITIONS) == set(OrderStatus.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(OrderStatus.values)


@pytest.mark.parametrize("final", sorted(FINAL))
def test_final_states_go_nowhere(final):
    assert TRANSITIONS[final] == frozenset()


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("draft", "previewed", True),
        ("previewed", "submitting", True),
        ("awaiting_approval", "submitting", False),  # approval first
        ("awaiting_payment", "paying", True),
        ("paid", "awaiting_payment", False),
        ("submitting", "paying", False),
        ("delivered", "cancelled", False),
        ("shipped", "cancelled", False),  # after shipping it is an after-sales case
    ],
)
def test_transitions(current, target, allowed):
    assert can_move(current, target) is allowed


def test_upstream_values_map_onto_our_statuses():
    assert from_upstream("WAIT_SELLER_SEND_GOODS") == "paid"
    assert from_upstream("waitbuyerreceive") == "shipped"
    assert from_upstream("SOMETHING_NEW") is None


def test_an_older_status_is_recognised_as_stale():
    assert is_older("awaiting_payment", "paid")
    assert not is_older("shipped", "paid")
    assert is_older("paid", "cancelled")  # nothing overrides a final state


@pytest.mark.parametrize(
    ("platform", "status"),
    sorted((platform, status) for platform, table in PAYMENT_BY_STATUS.items() for status in table),
)
def test_the_paid_table_and_our_statuses_agree(platform, status):
    """A status that says paid moves the order to paid or beyond; one that says unpaid keeps it
    before paid; one that cannot say is a close, which is its own way out."""
    ours = from_upstream(status)
    payment = PAYMENT_BY_STATUS[platform][status]
    if payment is Payment.PAID:
        assert RANK[ours] >= RANK[OrderStatus.PAID]
    elif payment is Payment.UNPAID:
        assert RANK[ours] < RANK[OrderStatus.PAID]
    else:
        assert ours == OrderStatus.CANCELLED
