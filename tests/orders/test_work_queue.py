"""The work queue's services: assign, claim, put back, claims that expire, "My work" order and
the wait reasons of orders that waited past their time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from purchasing.models import OrderEvent, OrderWait, TakenHow, WaitReason
from purchasing.selectors.work import orders_held_by, wait_reason_counts
from purchasing.services.orders.common import NotAllowed
from purchasing.services.orders.work import (
    WorkError,
    order_assign,
    order_claim,
    order_record_wait,
    order_release,
    release_idle_order_claims,
)
from purchasing.statuses import OrderStatus
from purchasing.tasks import release_idle_claims
from tests.orders.factories import PurchaseOrderFactory

pytestmark = pytest.mark.django_db


def work_events(order) -> list[str]:
    return list(order.events.filter(kind="work").values_list("message", flat=True))


def test_an_approver_assigns_an_order_to_a_purchaser(people):
    order = PurchaseOrderFactory()

    order_assign(order=order, assignee=people.purchaser, actor=people.approver)

    order.refresh_from_db()
    assert order.assignee == people.purchaser and order.taken_how == TakenHow.ASSIGNED
    assert order.taken_at is not None and order.last_action_at == order.taken_at
    assert work_events(order) == [f"Assigned to {people.purchaser.username}."]


def test_a_purchaser_cannot_assign_and_finance_cannot_be_given_work(people):
    order = PurchaseOrderFactory()
    with pytest.raises(NotAllowed):
        order_assign(order=order, assignee=people.purchaser, actor=people.purchaser)
    with pytest.raises(WorkError, match="works on orders"):
        order_assign(order=order, assignee=people.finance, actor=people.approver)
    order.refresh_from_db()
    assert order.assignee is None and work_events(order) == []


def test_a_claim_is_refused_while_someone_else_holds_the_order(people, staff_user):
    order = PurchaseOrderFactory()
    other = staff_user("purchaser")
    order_claim(order=order, actor=people.purchaser)

    with pytest.raises(WorkError, match=f"already with {people.purchaser.username}"):
        order_claim(order=order, actor=other)
    order_claim(order=order, actor=people.purchaser)  # the holder again: nothing changes

    order.refresh_from_db()
    assert order.assignee == people.purchaser and order.taken_how == TakenHow.CLAIMED
    assert len(work_events(order)) == 1


def test_finance_cannot_claim_and_a_closed_order_has_no_work(people):
    with pytest.raises(NotAllowed):
        order_claim(order=PurchaseOrderFactory(), actor=people.finance)
    closed = PurchaseOrderFactory(status=OrderStatus.CANCELLED)
    with pytest.raises(WorkError, match="closed"):
        order_claim(order=closed, actor=people.purchaser)


def test_the_holder_or_an_approver_puts_an_order_back(people, staff_user):
    order = PurchaseOrderFactory()
    order_claim(order=order, actor=people.purchaser)
    with pytest.raises(NotAllowed):
        order_release(order=order, actor=staff_user("purchaser"))

    order_release(order=order, actor=people.approver)

    order.refresh_from_db()
    assert order.assignee is None and order.taken_how == "" and order.last_action_at is None


def test_an_idle_claim_goes_back_to_the_queue_once(people, settings):
    settings.CAIGOU_CLAIM_EXPIRES_MINUTES = 120
    order = PurchaseOrderFactory()
    order_claim(order=order, actor=people.purchaser)
    soon = timezone.now() + timedelta(minutes=119)
    later = timezone.now() + timedelta(minutes=121)

    assert release_idle_order_claims(now=soon) == 0
    assert release_idle_order_claims(now=later) == 1
    assert release_idle_order_claims(now=later) == 0

    order.refresh_from_db()
    assert order.assignee is None and order.taken_how == ""
    assert work_events(order)[-1] == (
        f"Claim by {people.purchaser.username} expired after 120 minutes without action: "
        "back in the queue."
    )


def test_the_holders_own_action_keeps_a_claim(people):
    order = PurchaseOrderFactory()
    order_claim(order=order, actor=people.purchaser)
    acted = timezone.now() + timedelta(minutes=100)
    OrderEvent.objects.create(
        order=order, actor=people.purchaser, actor_label="x", kind="note", created_at=acted
    )

    assert release_idle_order_claims(now=timezone.now() + timedelta(minutes=130)) == 0
    order.refresh_from_db()
    assert order.assignee == people.purchaser and order.last_action_at == acted
    assert release_idle_order_claims(now=acted + timedelta(minutes=121)) == 1


def test_an_assignment_never_expires(people):
    order = PurchaseOrderFactory()
    order_assign(order=order, assignee=people.purchaser, actor=people.approver)
    assert release_idle_order_claims(now=timezone.now() + timedelta(days=30)) == 0
    order.refresh_from_db()
    assert order.assignee == people.purchaser


def test_the_periodic_task_releases_idle_claims(people, settings):
    settings.CAIGOU_CLAIM_EXPIRES_MINUTES = 0
    order = PurchaseOrderFactory()
    order_claim(order=order, actor=people.purchaser)

    assert release_idle_claims.delay().get() == 1
    order.refresh_from_db()
    assert order.assignee is None


def test_my_work_lists_attention_then_overdue_then_the_rest_oldest_first(people, settings):
    settings.CAIGOU_ORDER_SLA_HOURS = 24
    now = timezone.now()
    fresh_old, fresh_new, overdue, flagged = (PurchaseOrderFactory() for _ in range(4))
    for order, age in ((fresh_old, 5), (fresh_new, 1), (overdue, 30), (flagged, 2)):
        type(order).objects.filter(pk=order.pk).update(created_at=now - timedelta(hours=age))
    type(flagged).objects.filter(pk=flagged.pk).update(needs_attention=True)
    other = PurchaseOrderFactory()
    for order in (fresh_new, overdue, flagged, fresh_old):
        order_assign(order=order, assignee=people.purchaser, actor=people.approver)
    order_claim(order=other, actor=people.approver)

    mine = orders_held_by(people.purchaser)

    assert [o.pk for o in mine] == [flagged.pk, overdue.pk, fresh_old.pk, fresh_new.pk]
    assert [o.urgency for o in mine] == [0, 1, 2, 2]


def test_a_wait_reason_is_recorded_only_past_the_sla(people, settings):
    settings.CAIGOU_ORDER_SLA_HOURS = 24
    order = PurchaseOrderFactory()
    with pytest.raises(WorkError, match="not waited past its time"):
        order_record_wait(order=order, actor=people.purchaser, reason=WaitReason.PRICE_CHECK)
    later = timezone.now() + timedelta(hours=25)

    wait = order_record_wait(
        order=order,
        actor=people.purchaser,
        reason=WaitReason.PRICE_CHECK,
        note=" seller asked ",
        now=later,
    )

    assert (wait.reason, wait.note, wait.actor) == ("price_check", "seller asked", people.purchaser)
    assert order.events.filter(kind="wait").get().message == "Waiting: Price check. seller asked"
    # The reason answers for the wait: the order asks again only after another SLA period.
    with pytest.raises(WorkError):
        order_record_wait(order=order, actor=people.purchaser, reason="other", now=later)


def test_a_reason_outside_the_list_is_refused(people):
    order = PurchaseOrderFactory()
    later = timezone.now() + timedelta(days=3)
    with pytest.raises(WorkError, match="from the list"):
        order_record_wait(order=order, actor=people.purchaser, reason="lunch", now=later)
    assert not OrderWait.objects.exists()


def test_wait_reasons_are_counted_by_reason_over_a_period(people):
    now = timezone.now()
    orders = [PurchaseOrderFactory() for _ in range(3)]
    for order, reason in zip(orders, ["stock_check", "stock_check", "other"], strict=True):
        OrderWait.objects.create(order=order, reason=reason, actor=people.purchaser)
    OrderWait.objects.create(
        order=orders[0], reason="other", actor=people.purchaser, created_at=now - timedelta(days=40)
    )

    counts = dict(wait_reason_counts(since=now - timedelta(days=30), until=now + timedelta(1)))

    assert counts == {
        "Stock check": 2,
        "Other": 1,
        "Waiting for the seller": 0,
        "Waiting for the customer": 0,
        "Price check": 0,
    }


def test_taking_an_order_leaves_its_updated_time_alone(people):
    order = PurchaseOrderFactory()
    before = type(order).objects.get(pk=order.pk).updated_at
    order_claim(order=order, actor=people.purchaser)
    order_release(order=order, actor=people.purchaser)
    assert type(order).objects.get(pk=order.pk).updated_at == before
