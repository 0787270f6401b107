"""The demo history dates each order back so its timeline reads in the order it was written:
no entry before the one written ahead of it, none at the same moment (a status reached twice
or a note used to take an earlier entry's time); an order still to be paid, within its pay
clock."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from backoffice.demo import HISTORY_DAYS, _date_back
from purchasing.models import OrderEvent, PurchaseOrder
from purchasing.selectors.deadlines import deadlines_of
from tests.orders.factories import PurchaseOrderFactory

STEPS = [
    ("", "draft"),
    ("draft", "previewed"),
    ("previewed", "awaiting_payment"),
    ("awaiting_payment", "paying"),
    ("paying", "awaiting_payment"),  # the payment failed: the state is reached again
    ("awaiting_payment", "awaiting_payment"),  # a note
    ("awaiting_payment", "paying"),
    ("paying", "paid"),
    ("paid", "paid"),  # a note
    ("paid", "shipped"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(20))
def test_every_entry_is_strictly_after_the_one_written_before(seed):
    order = PurchaseOrderFactory(status="shipped", paid_at=timezone.now())
    for before, after in STEPS:
        OrderEvent.objects.create(
            order=order, from_status=before, to_status=after, actor_label="system"
        )
    now = timezone.now()

    _date_back(order.pk, random.Random(seed), now)

    order = PurchaseOrder.objects.get(pk=order.pk)
    times = list(order.events.order_by("pk").values_list("created_at", flat=True))
    assert all(a < b for a, b in itertools.pairwise(times))
    assert order.created_at <= times[0] and times[-1] == order.updated_at < now
    assert (now - order.created_at).days <= HISTORY_DAYS
    paid = order.events.get(from_status="paying", to_status="paid").created_at
    assert order.paid_at == paid


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(20))
def test_an_order_still_to_be_paid_is_dated_within_its_pay_clock(seed, settings):
    """Weeks overdue, the demo's unpaid orders would be ones the upstream has closed."""
    settings.CAIGOU_PAY_WITHIN_HOURS = 24
    order = PurchaseOrderFactory(status="awaiting_payment")
    for before, after in STEPS[:3]:
        OrderEvent.objects.create(
            order=order, from_status=before, to_status=after, actor_label="system"
        )
    now = timezone.now()

    _date_back(order.pk, random.Random(seed), now)

    (deadline,) = deadlines_of([order], now=now).values()
    assert deadline.kind == "pay" and deadline.due > now + timedelta(hours=12)
