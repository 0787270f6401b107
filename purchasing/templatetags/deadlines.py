"""`{% next_deadline thing as d %}`: the next deadline of an order or an after-sales case, with
the time left in words (purchasing/deadlines.py). A list sets `deadline_read` on its rows
first (`selectors.deadlines.deadlines_of`, one query for the page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from purchasing.deadlines import Clocks, Deadline, case_deadline, time_left
from purchasing.models import PurchaseOrder
from purchasing.selectors.deadlines import deadlines_of, status_times

register = template.Library()


def shown(deadline: Deadline | None, now) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "what": deadline.what,
        "due": deadline.due,
        "left": time_left(deadline.due, now),
        "overdue": deadline.due <= now,
    }


@register.simple_tag
def next_deadline(thing: Any) -> dict[str, Any] | None:
    now = timezone.now()
    if isinstance(thing, PurchaseOrder):
        if hasattr(thing, "deadline_read"):
            return shown(thing.deadline_read, now)
        return shown(deadlines_of([thing], now=now).get(thing.pk), now)
    # An after-sales case: its order's timeline, the case's status.
    entered = status_times([thing.order])[thing.order.pk]
    return shown(
        case_deadline(case_status=thing.status, entered=entered, clocks=Clocks.from_settings()),
        now,
    )
