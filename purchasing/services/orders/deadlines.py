"""Deadlines that fall due within a day are raised into the exceptions queue: the order's
attention flag with the deadline in words, once per deadline (the timeline remembers)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from purchasing.deadlines import RECEIVED, Deadline
from purchasing.models import PurchaseOrder
from purchasing.phrases import gettext as _
from purchasing.selectors.deadlines import deadlines_of
from purchasing.services.orders.common import locked
from purchasing.services.orders.events import flag_attention
from purchasing.statuses import OrderStatus

logger = logging.getLogger(__name__)
WARN_BEFORE = timedelta(days=1)
# Statuses in which some clock runs (purchasing/deadlines.py).
CLOCKED = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.SHIPPED, *RECEIVED)
BATCH = 500


def deadline_reason(deadline: Deadline) -> str:
    """The attention reason: stable for one deadline, so it is raised once."""
    due = timezone.localtime(deadline.due).strftime("%Y-%m-%d %H:%M")
    return _("Deadline: %(what)s, due %(due)s.") % {"what": deadline.what, "due": due}


def raise_due_deadlines(*, now: datetime | None = None) -> int:
    """Flag every order whose next deadline falls due within a day (or has passed) and was not
    raised before; returns how many were flagged. An order already flagged for something else
    is left as it is: a person is looking at it, and its deadline shows on its page."""
    now = now or timezone.now()
    raised = 0
    candidates = PurchaseOrder.objects.filter(status__in=CLOCKED, needs_attention=False)
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        orders = PurchaseOrder.objects.filter(pk__in=ids[start : start + BATCH])
        for pk, deadline in deadlines_of(orders, now=now).items():
            if deadline.due - now <= WARN_BEFORE and _raise(pk, deadline, now):
                raised += 1
    return raised


@transaction.atomic
def _raise(order_id: int, deadline: Deadline, now: datetime) -> bool:
    order = locked(order_id)
    if deadlines_of([order], now=now).get(order.pk) != deadline:
        logger.info("%s moved since its deadline was read: left as it is", order.reference)
        return False
    reason = deadline_reason(deadline)
    if order.needs_attention or order.events.filter(kind="attention", message=reason).exists():
        logger.info("%s: deadline already raised or flagged since: left as it is", order.reference)
        return False
    flag_attention(order, reason, actor_label="system")
    return True
