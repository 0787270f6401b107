"""Approval: above the threshold or the purchaser's own limit an order waits for an approver;
nobody approves their own order; approvers need the permission."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from purchasing.models import OrderPreview
from purchasing.services.orders.approval import order_approve, order_confirm, order_reject
from purchasing.services.orders.common import NotAllowed, OrderError
from purchasing.services.orders.submit import order_submit
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory


def previewed(user, total_fen: int, **preview):
    order = PurchaseOrderFactory(
        status=OrderStatus.PREVIEWED, created_by=user, quoted_total_fen=total_fen
    )
    OrderPreview.objects.create(
        order=order,
        total_fen=total_fen,
        goods_fen=total_fen,
        expires_at=timezone.now() + timedelta(minutes=30),
        **preview,
    )
    return order


@pytest.mark.django_db
def test_within_the_own_limit_the_order_is_submitted(purchaser, django_capture_on_commit_callbacks):
    order = previewed(purchaser, 150_000)

    with django_capture_on_commit_callbacks() as callbacks:
        order_confirm(order=order, actor=purchaser)

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING and order.budget_fen == 150_000
    assert order.submitted_by == purchaser
    assert len(callbacks) == 1  # the submit task, enqueued after commit
    assert order.previews.get().accepted_by == purchaser


@pytest.mark.django_db
def test_above_the_own_limit_the_order_waits_for_an_approver(purchaser):
    order = previewed(purchaser, 200_001)

    order_confirm(order=order, actor=purchaser)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL


@pytest.mark.django_db
def test_above_the_threshold_even_an_approver_waits(staff_user, settings):
    settings.CAIGOU_APPROVAL_THRESHOLD_FEN = 500_000
    approver = staff_user("approver")
    order = previewed(approver, 500_001)

    order_confirm(order=order, actor=approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL


@pytest.mark.django_db
def test_at_the_threshold_exactly_no_approval_is_needed(staff_user, settings):
    settings.CAIGOU_APPROVAL_THRESHOLD_FEN = 500_000
    approver = staff_user("approver")
    order = previewed(approver, 500_000)

    order_confirm(order=order, actor=approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING


@pytest.mark.django_db
def test_nobody_approves_their_own_order(staff_user):
    approver = staff_user("approver")
    order = previewed(approver, 600_000)
    order_confirm(order=order, actor=approver)

    with pytest.raises(NotAllowed, match="own order"):
        order_approve(order=order, actor=approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL


@pytest.mark.django_db
def test_a_purchaser_cannot_approve(purchaser, staff_user):
    order = previewed(purchaser, 600_000)
    order_confirm(order=order, actor=purchaser)

    with pytest.raises(NotAllowed):
        order_approve(order=order, actor=staff_user("purchaser"))


@pytest.mark.django_db
def test_an_approver_approves_and_the_purchaser_submits(
    purchaser, staff_user, django_capture_on_commit_callbacks
):
    approver = staff_user("approver")
    order = previewed(purchaser, 600_000)
    order_confirm(order=order, actor=purchaser)

    order_approve(order=order, actor=approver, comment="ok")
    with django_capture_on_commit_callbacks() as callbacks:
        order_submit(order=order, actor=purchaser)
        order_submit(order=order, actor=purchaser)  # twice: nothing more

    order.refresh_from_db()
    assert (order.status, order.approved_by) == (OrderStatus.SUBMITTING, approver)
    assert len(callbacks) == 1
    kinds = list(order.events.values_list("to_status", flat=True))
    assert kinds[-3:] == [
        OrderStatus.AWAITING_APPROVAL,
        OrderStatus.APPROVED,
        OrderStatus.SUBMITTING,
    ]


@pytest.mark.django_db
def test_a_rejection_sends_the_order_back_with_the_reason(purchaser, staff_user):
    approver = staff_user("approver")
    order = previewed(purchaser, 600_000)
    order_confirm(order=order, actor=purchaser)

    order_reject(order=order, actor=approver, comment="too dear")

    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED and order.budget_fen is None
    assert order.events.last().message == "rejected: too dear"


@pytest.mark.django_db
def test_an_expired_or_incomplete_preview_cannot_be_confirmed(purchaser):
    expired = previewed(purchaser, 1_000)
    expired.previews.update(expires_at=timezone.now() - timedelta(seconds=1))
    missing = previewed(purchaser, 1_000, unavailable=[{"item_id": "1", "reason": "gone"}])

    with pytest.raises(OrderError, match="expired"):
        order_confirm(order=expired, actor=purchaser)
    with pytest.raises(OrderError, match="cannot be ordered"):
        order_confirm(order=missing, actor=purchaser)


@pytest.mark.django_db
def test_finance_cannot_create_or_confirm(staff_user):
    finance = staff_user("finance")
    order = previewed(finance, 1_000)

    with pytest.raises(NotAllowed):
        order_confirm(order=order, actor=finance)
