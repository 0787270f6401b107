"""Read queries of refund cases (lists, counts, a line's after-sales state)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.models import FINAL, RefundCase, WaitingOn


def case_list(
    *,
    status: str = "",
    platform: str = "",
    waiting_on: str = "",
    older_than_days: int | None = None,
) -> QuerySet[RefundCase]:
    cases = RefundCase.objects.select_related("order", "created_by")
    if status:
        cases = cases.filter(status=status)
    if platform:
        cases = cases.filter(platform=platform)
    if waiting_on:
        cases = cases.filter(waiting_on=waiting_on).exclude(status__in=FINAL)
    if older_than_days is not None:
        cases = cases.filter(created_at__lt=timezone.now() - timedelta(days=older_than_days))
    return cases


def action_needed_count() -> int:
    """Cases waiting on us, or flagged for a person: the navigation's badge."""
    return (
        RefundCase.objects.exclude(status__in=FINAL)
        .filter(Q(waiting_on=WaitingOn.US) | Q(needs_attention=True))
        .count()
    )


def cases_of_order(*, order_id: int) -> QuerySet[RefundCase]:
    return RefundCase.objects.filter(order_id=order_id).prefetch_related("case_lines")


def case_detail(*, case_id: int) -> RefundCase:
    return (
        RefundCase.objects.select_related("order", "created_by")
        .prefetch_related("case_lines__line", "evidence", "events")
        .get(pk=case_id)
    )
