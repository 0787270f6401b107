"""The demo's work queue history: assignments, a claim, a claim given back, a wait reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backoffice.demo_work import demo_work_create
from purchasing.models import OrderEvent, OrderWait, PurchaseOrder, TakenHow
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory

pytestmark = pytest.mark.django_db


def test_demo_work_assigns_claims_gives_back_and_explains_once(staff_user):
    users = {"purchaser": staff_user("purchaser"), "approver": staff_user("approver")}
    orders = [PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT) for _ in range(6)]
    PurchaseOrder.objects.filter(pk=orders[0].pk).update(
        created_at=timezone.now() - timedelta(days=5)
    )

    OrderEvent.objects.create(
        order=orders[5],
        actor_label="upstream",
        from_status=OrderStatus.SUBMITTING,
        to_status=OrderStatus.AWAITING_PAYMENT,
        created_at=timezone.now() - timedelta(hours=30),
    )

    assert demo_work_create(users) == 6

    held = PurchaseOrder.objects.filter(assignee=users["purchaser"])
    assert held.filter(taken_how=TakenHow.ASSIGNED).count() == 3
    assert held.filter(taken_how=TakenHow.CLAIMED).count() == 1
    assert OrderEvent.objects.filter(kind="work", message__contains="expired").count() == 1
    assert OrderWait.objects.get().order_id == orders[0].pk
    raised = PurchaseOrder.objects.filter(attention_reason__startswith="Deadline: pay")
    assert list(raised.values_list("pk", flat=True)) == [orders[5].pk]
    assert demo_work_create(users) == 0
