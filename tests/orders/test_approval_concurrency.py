"""Approving at once: two approvers, or one approver's double click, reach the order together.
The order row is locked and its status and count read again under the lock, so each approval is
given once and the order is submitted exactly once (PostgreSQL's row locks)."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import connection

from purchasing.models import ApprovalRule
from purchasing.services.orders.approval import order_approve
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.submit import order_submit
from purchasing.statuses import OrderStatus
from tests.orders.factories import awaiting_approval

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent approvals need PostgreSQL's row locks (set DATABASE_URL)",
    ),
]


def approve_at_once(order, approvers) -> list[str]:
    """Each approver approves and, when theirs was the last approval needed, submits, as the
    approval page does; all start together. What each got: "approved", "submitted" or the
    refusal."""
    start, outcomes = threading.Barrier(len(approvers)), []

    def approve(approver) -> None:
        try:
            start.wait()
            try:
                approved = order_approve(order=order, actor=approver)
                if approved.status == OrderStatus.APPROVED:
                    order_submit(order=approved, actor=approver)
                    outcomes.append("submitted")
                else:
                    outcomes.append("approved")
            except OrderError as exc:
                outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(a,)) for a in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.fixture
def enqueued():
    with mock.patch("purchasing.tasks.submit_order.delay") as delay:
        yield delay


def submits(order) -> int:
    return order.events.filter(to_status=OrderStatus.SUBMITTING).count()


def test_two_approvers_at_once_on_a_two_tier_order_submit_it_once(purchaser, staff_user, enqueued):
    ApprovalRule.objects.create(
        name="two", kind=ApprovalRule.Kind.AMOUNT, min_total_fen=100_000, approvals_needed=2
    )
    order = awaiting_approval(purchaser)
    first, second = staff_user("approver"), staff_user("approver")

    outcomes = approve_at_once(order, [first, second])

    order.refresh_from_db()
    assert outcomes == ["approved", "submitted"]
    assert order.status == OrderStatus.SUBMITTING and submits(order) == 1
    assert order.approvals.count() == 2 and enqueued.call_count == 1


def test_two_approvers_at_once_on_a_one_approval_order_approve_it_once(
    purchaser, staff_user, enqueued
):
    order = awaiting_approval(purchaser)

    outcomes = approve_at_once(order, [staff_user("approver"), staff_user("approver")])

    order.refresh_from_db()
    assert outcomes[0] == "submitted" and "not awaiting approval" in outcomes[1]
    assert order.approvals.count() == 1 and submits(order) == 1 and enqueued.call_count == 1


def test_a_double_click_gives_one_approval(purchaser, staff_user, enqueued):
    ApprovalRule.objects.create(
        name="two", kind=ApprovalRule.Kind.AMOUNT, min_total_fen=100_000, approvals_needed=2
    )
    order = awaiting_approval(purchaser)
    approver = staff_user("approver")

    outcomes = approve_at_once(order, [approver, approver])

    order.refresh_from_db()
    assert outcomes == ["approved", "you have already approved this order"]
    assert order.status == OrderStatus.AWAITING_APPROVAL and order.approvals.count() == 1
    assert submits(order) == 0 and not enqueued.called
