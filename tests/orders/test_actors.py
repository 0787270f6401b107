"""One verb for every actor: a person is held to their permissions, the storefront's policy to
its own conditions, and the timeline names whichever acted."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from purchasing.actors import Policy
from purchasing.models import PaymentAttempt
from purchasing.services.orders.approval import order_approve, order_confirm
from purchasing.services.orders.attention import order_clear_attention
from purchasing.services.orders.common import NotAllowed, OrderError
from purchasing.services.orders.lifecycle import order_cancel
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import order_remove_line
from purchasing.statuses import OrderStatus
from tests.orders.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    awaiting_approval,
    previewed,
)

POLICY = Policy("storefront:Test shop")
ROOT = Path(__file__).resolve().parents[2]


def accepted(actor, total_fen: int = 10_000):
    """An order whose preview ACTOR accepted, now created upstream and awaiting payment."""
    order = previewed(None, total_fen)
    order_confirm(order=order, actor=actor, reason="in budget")
    order.refresh_from_db()
    order.transition(OrderStatus.AWAITING_PAYMENT, actor_label="upstream")
    return order


@pytest.mark.django_db
def test_a_policy_accepts_and_submits_under_its_own_label(django_capture_on_commit_callbacks):
    order = previewed(None, 10_000)

    with django_capture_on_commit_callbacks() as callbacks:
        order_confirm(order=order, actor=POLICY, reason="total ¥100.00")

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING and order.budget_fen == 10_000
    assert order.submitted_by is None and order.approved_at is not None
    preview = order.previews.get()
    assert preview.accepted_at is not None and preview.accepted_by is None
    event = order.events.get(to_status=OrderStatus.SUBMITTING)
    assert (event.actor, event.actor_label) == (None, "storefront:Test shop")
    assert event.message == (f"accepted by policy (total ¥100.00); submitting as {order.reference}")
    assert len(callbacks) == 1  # the submit task


@pytest.mark.django_db
def test_a_policy_does_not_accept_an_order_a_person_was_asked_to_look_at():
    order = previewed(None, 10_000)
    order.needs_attention, order.attention_reason = True, "above the budget"
    order.save()

    with pytest.raises(OrderError, match="needs attention"):
        order_confirm(order=order, actor=POLICY)

    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED and order.budget_fen is None


@pytest.mark.django_db
def test_a_person_without_the_permission_is_still_refused(staff_user):
    order = previewed(None, 10_000)

    with pytest.raises(NotAllowed):
        order_confirm(order=order, actor=staff_user("finance"))


@pytest.mark.django_db
def test_a_policy_pays_what_a_policy_accepted_without_naming_a_payer():
    order = accepted(POLICY)

    [attempt] = order_pay(orders=[order], actor=POLICY)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAYING and order.paid_by is None
    assert attempt.requested_by is None and attempt.status == PaymentAttempt.Status.PENDING
    event = order.events.get(to_status=OrderStatus.PAYING)
    assert (event.actor_label, event.message) == (
        "storefront:Test shop",
        "payment requested by policy",
    )
    assert order_pay(orders=[order], actor=POLICY) == []  # being paid: nothing changes


@pytest.mark.django_db
def test_a_policy_never_pays_what_a_person_accepted(purchaser):
    order = accepted(purchaser)

    with pytest.raises(OrderError, match="accepted by a person"):
        order_pay(orders=[order], actor=POLICY)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not order.payments.exists()


@pytest.mark.django_db
def test_a_policy_cancels_only_what_was_never_sent_upstream():
    sent = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT, upstream_order_id="3300001")
    draft = PurchaseOrderFactory(status=OrderStatus.PREVIEWED)

    with pytest.raises(OrderError, match="cannot be cancelled"):
        order_cancel(order=sent, actor=POLICY, reason="cancelled by the storefront")
    order_cancel(order=draft, actor=POLICY, reason="cancelled by the storefront")
    again = order_cancel(order=draft, actor=POLICY, reason="cancelled by the storefront")

    sent.refresh_from_db()
    assert sent.status == OrderStatus.AWAITING_PAYMENT
    assert again.status == OrderStatus.CANCELLED
    event = draft.events.get(to_status=OrderStatus.CANCELLED)
    assert (event.actor_label, event.message) == (
        "storefront:Test shop",
        "cancelled by the storefront",
    )


@pytest.mark.django_db
def test_a_person_is_told_a_closed_order_cannot_be_cancelled(purchaser):
    order = PurchaseOrderFactory(status=OrderStatus.CANCELLED)

    with pytest.raises(OrderError, match="cannot be cancelled"):
        order_cancel(order=order, actor=purchaser)


@pytest.mark.django_db
def test_removing_the_last_line_cancels_the_order_under_the_actors_name():
    order = PurchaseOrderFactory(status=OrderStatus.PREVIEWED)
    line = PurchaseOrderLineFactory(order=order)

    order_remove_line(line=line, actor=POLICY, reason="dropped by the customer")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and not order.lines.exists()
    kinds = list(order.events.order_by("pk").values_list("kind", "actor_label", "message"))
    assert kinds == [
        ("line_removed", "storefront:Test shop", f"line {line} removed: dropped by the customer"),
        ("status", "storefront:Test shop", "no lines left (dropped by the customer)"),
    ]


@pytest.mark.django_db
def test_a_person_needs_the_create_permission_to_remove_a_line(staff_user):
    line = PurchaseOrderLineFactory(order=PurchaseOrderFactory(status=OrderStatus.PREVIEWED))

    with pytest.raises(NotAllowed):
        order_remove_line(line=line, actor=staff_user("finance"), reason="no")

    assert line.order.lines.count() == 1


@pytest.mark.django_db
def test_only_a_person_approves_or_clears_attention(purchaser):
    order = awaiting_approval(purchaser)

    with pytest.raises(NotAllowed, match="approved by a person"):
        order_approve(order=order, actor=POLICY)
    order.needs_attention = True
    order.save()
    with pytest.raises(NotAllowed):
        order_clear_attention(order=order, actor=POLICY, comment="looked")

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL and order.needs_attention


def test_no_verb_has_a_twin_for_a_policy():
    """A policy is an actor of the one verb, not a second code path."""
    twins = []
    for folder in ("purchasing", "storefront"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.FunctionDef) and node.name.endswith("_by_policy"):
                    twins.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert twins == []
    assert not (ROOT / "purchasing/services/orders/policy.py").exists()
