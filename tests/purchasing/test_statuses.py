"""The order life of DESIGN.md and the one table that maps upstream statuses onto it."""

import re
from pathlib import Path

import pytest

from purchasing.statuses import (
    FINAL,
    TRANSITIONS,
    UPSTREAM_STATUS,
    OrderStatus,
    can_move,
    from_upstream,
    is_older,
)

API = Path(__file__).resolve().parents[2].parent / "shared" / "upstream-api.md"


def documented_statuses() -> set[str]:
    """Every status value in the tables of upstream-api.md sections 1.6 and 3.2."""
    text = API.read_text()
    taobao = text[text.index("### 1.6") : text.index("### 1.7")]
    alibaba = text[text.index("**Order status**") : text.index("**Refund status**")]
    values = set(re.findall(r"^\s*\| `([A-Za-z_]+)`[^|]*\|", taobao + alibaba, flags=re.MULTILINE))
    values |= set(re.findall(r"`(WAITING_FOR_PAYMENT|WAITING_FOR_SENT|CANCEL)`", taobao))
    return values


@pytest.mark.skipif(not API.exists(), reason="shared/upstream-api.md sits beside the repository")
def test_every_documented_upstream_status_is_mapped():
    documented = documented_statuses()
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
