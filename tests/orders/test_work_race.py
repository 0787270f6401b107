"""Two people click "Take" on one order at the same moment: the row lock lets one win and the
other is told who has it (PostgreSQL only: SQLite has no row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from purchasing.services.orders.work import WorkError, order_claim
from tests.orders.factories import PurchaseOrderFactory
from tests.purchasing.factories import StaffUserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent claims need PostgreSQL's row locks (set DATABASE_URL)",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_leave_one_holder():
    order = PurchaseOrderFactory()
    people = [StaffUserFactory(role="purchaser") for _ in range(6)]
    start, won, refused = threading.Barrier(len(people)), [], []

    def take(user) -> None:
        try:
            start.wait()
            order_claim(order=order, actor=user)
            won.append(user.pk)
        except WorkError:
            refused.append(user.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    order.refresh_from_db()
    assert len(won) == 1 and len(refused) == 5
    assert order.assignee_id == won[0]
    assert order.events.filter(kind="work").count() == 1
