"""The work queue in figures: open and overdue work per person (orders and after-sales cases),
and why orders waited past their time, counted over a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.queue import case_workload
from purchasing.selectors.work import order_workload, wait_reason_counts

PERIODS = (7, 30, 90)  # days the wait reasons report offers


@dataclass(frozen=True)
class Workload:
    name: str
    orders: int
    cases: int
    overdue: int

    @property
    def open(self) -> int:
        return self.orders + self.cases


def workload(*, now: datetime | None = None) -> list[Workload]:
    """One row per person holding open work, most overdue then most open first (three
    aggregate queries and one for the names, whatever the number of orders)."""
    orders, cases = order_workload(now=now), case_workload(now=now)
    ids = set(orders) | set(cases)
    users = get_user_model().objects.filter(pk__in=ids)
    rows = []
    for user in users:
        o, c = orders.get(user.pk, {}), cases.get(user.pk, {})
        rows.append(
            Workload(
                name=user.get_full_name() or user.get_username(),
                orders=o.get("open", 0),
                cases=c.get("open", 0),
                overdue=o.get("overdue", 0) + c.get("overdue", 0),
            )
        )
    return sorted(rows, key=lambda row: (-row.overdue, -row.open, row.name))


def wait_reasons(*, days: int, now: datetime | None = None) -> list[tuple[str, int]]:
    """(reason in words, count) recorded over the last `days` days, most first."""
    until = now or timezone.now()
    return wait_reason_counts(since=until - timedelta(days=days), until=until)
