"""The order's life: every allowed transition writes an event; every other one is refused."""

from __future__ import annotations

import pytest

from purchasing.models import IllegalTransition, OrderEvent
from purchasing.models.timeline import HistoryIsAppendOnly
from purchasing.statuses import TRANSITIONS, OrderStatus, upstream_lags
from tests.orders.factories import PurchaseOrderFactory

ALLOWED = [(current, target) for current, targets in TRANSITIONS.items() for target in targets]
REFUSED = [
    (current, target)
    for current in OrderStatus.values
    for target in OrderStatus.values
    if target not in TRANSITIONS[current]
]


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_moves_and_writes_one_event(current, target, staff_user):
    actor = staff_user("purchaser")
    order = PurchaseOrderFactory(status=current)

    event = order.transition(target, actor=actor, message="why")

    order.refresh_from_db()
    assert order.status == target
    assert (event.from_status, event.to_status, event.actor, event.actor_label) == (
        current,
        target,
        actor,
        actor.username,
    )
    assert list(order.events.all()) == [event]


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_every_other_transition_is_refused_and_changes_nothing(current, target):
    order = PurchaseOrderFactory(status=current)

    with pytest.raises(IllegalTransition):
        order.transition(target)

    order.refresh_from_db()
    assert order.status == current
    assert not order.events.exists()


@pytest.mark.django_db
def test_events_are_append_only():
    order = PurchaseOrderFactory(status=OrderStatus.DRAFT)
    event = order.transition(OrderStatus.PREVIEWED)

    event.message = "rewritten"
    with pytest.raises(HistoryIsAppendOnly):
        event.save()
    with pytest.raises(HistoryIsAppendOnly):
        event.delete()
    with pytest.raises(HistoryIsAppendOnly):
        OrderEvent.objects.filter(pk=event.pk).update(message="rewritten")
    with pytest.raises(HistoryIsAppendOnly):
        OrderEvent.objects.all().delete()
    assert OrderEvent.objects.get(pk=event.pk).message == ""


@pytest.mark.django_db
def test_system_transitions_are_labelled():
    order = PurchaseOrderFactory(status=OrderStatus.DRAFT)

    event = order.transition(OrderStatus.PREVIEWED)
    upstream = order.transition(OrderStatus.SUBMITTING, actor_label="upstream")

    assert (event.actor, event.actor_label, upstream.actor_label) == (None, "system", "upstream")


@pytest.mark.django_db
def test_references_are_unique_ascii_and_short():
    refs = {PurchaseOrderFactory().reference for _ in range(50)}

    assert len(refs) == 50
    assert all(ref.isascii() and ref.startswith("CG") and len(ref) <= 32 for ref in refs)


@pytest.mark.parametrize(
    ("ours", "theirs", "lags"),
    [
        (OrderStatus.PAID, "WAIT_BUYER_P", True),  # read before our pay call succeeded
        (OrderStatus.PAYING, "WAIT_BUYER_P", False),  # not paid yet: still the upstream's news
        (OrderStatus.PAID, "WAIT_SELLER_SEND_GOODS", False),
        (OrderStatus.SHIPPED, "waitsellersend", True),
        (OrderStatus.DISPATCHED, "WAIT_BUYER_CONFIRM_GOODS", False),  # our stages after it
        (OrderStatus.DELIVERED, "WAIT_SELLER_SEND_GOODS", True),
        (OrderStatus.CANCELLED, "WAIT_BUYER_P", False),
        (OrderStatus.PAID, "SOMETHING_NEW", False),  # unknown: shown as it came
    ],
)
def test_an_upstream_status_behind_ours_is_told_apart(ours, theirs, lags):
    assert upstream_lags(ours, theirs) is lags
