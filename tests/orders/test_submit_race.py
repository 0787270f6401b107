"""Two runs of one order's submit at once, after a create whose outcome was unknown: while one
looks the order up, the other takes a new attempt and creates. The first must not clear that
lease and create as well (a duplicate order upstream)."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from purchasing.models import PurchaseOrder
from purchasing.services.orders import submit
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.common import Busy, lease
from purchasing.statuses import OrderStatus
from tests.orders.conftest import previewed_order
from tests.orders.factories import leases_run_out
from upstream.sandbox.models import Fault, LedgerEntry


def test_a_run_that_looked_while_another_took_a_new_attempt_does_not_create(
    live, people, monkeypatch
):
    order = previewed_order(people, actor=people.approver)
    # The first create fails before it reaches the upstream: its outcome is unknown to us.
    Fault.objects.create(path="/open/order", mode="error", count=1)
    order_confirm(order=order, actor=people.approver)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING and order.create_in_doubt
    leases_run_out(order)
    real_look_up = submit.look_up

    def another_run_creates_meanwhile(order):
        found = real_look_up(order)  # nothing upstream
        # Meanwhile another run looked too, took a new attempt, and is in its create call.
        PurchaseOrder.objects.filter(pk=order.pk).update(
            create_attempts=F("create_attempts") + 1,
            create_in_doubt=False,
            create_lease_until=timezone.now() + lease(),
        )
        return found

    monkeypatch.setattr(submit, "look_up", another_run_creates_meanwhile)

    try:
        submit.order_submit_upstream(order_id=order.pk)
        waits = False
    except Busy:
        waits = True

    assert not LedgerEntry.objects.filter(outer_ref=order.reference, kind="create").exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING
    assert order.create_lease_until > timezone.now()  # the other run's lease stands
    assert waits  # and this run comes back once it has run out
