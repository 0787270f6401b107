"""Read queries of refund cases (lists, counts, a line's after-sales state)."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
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


ACTION_NEEDED_KEY = "aftersales:action-needed"
# A short life bounds how stale the badge can be if an invalidation is ever missed (a bulk
# update, a change made straight in the database); saves and deletes invalidate at once.
ACTION_NEEDED_TTL_S = 60


def action_needed_count() -> int:
    """Cases waiting on us, or flagged for a person: the navigation's badge. Cached, so every
    staff page shows it without a query while the cache is warm."""
    count = cache.get(ACTION_NEEDED_KEY)
    if count is None:
        count = (
            RefundCase.objects.exclude(status__in=FINAL)
            .filter(Q(waiting_on=WaitingOn.US) | Q(needs_attention=True))
            .count()
        )
        cache.set(ACTION_NEEDED_KEY, count, ACTION_NEEDED_TTL_S)
    return count


def forget_action_needed() -> None:
    cache.delete(ACTION_NEEDED_KEY)


def case_detail(*, case_id: int) -> RefundCase:
    return (
        RefundCase.objects.select_related("order", "created_by", "pack", "pack__attached_by")
        .prefetch_related(
            "case_lines__line",
            "evidence",
            "events",
        )
        .get(pk=case_id)
    )
