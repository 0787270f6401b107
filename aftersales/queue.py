"""Reads of the work queue for after-sales cases: what a person holds and who holds how much.
A case has waited past its time (CAIGOU_ORDER_SLA_HOURS, as orders) when its status has not
moved for that long."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from aftersales.models import FINAL, CaseEvent, RefundCase
from purchasing.selectors.work import sla_cutoff


def with_waiting_since(cases: QuerySet) -> QuerySet:
    last_move = (
        CaseEvent.objects.filter(case=OuterRef("pk"))
        .exclude(from_status=F("to_status"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return cases.annotate(
        waiting_since=Coalesce(Subquery(last_move, output_field=DateTimeField()), "created_at")
    )


def open_cases() -> QuerySet:
    return RefundCase.objects.exclude(status__in=FINAL)


def cases_held_by(user: Any, *, now: datetime | None = None) -> list[RefundCase]:
    """What `user` holds, needing attention first, then waited past its time, oldest first."""
    cases = with_waiting_since(open_cases().filter(assignee=user).select_related("order")).annotate(
        urgency=Case(
            When(needs_attention=True, then=Value(0)),
            When(waiting_since__lt=sla_cutoff(now), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return list(cases.order_by("urgency", "waiting_since", "pk"))


def case_workload(*, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """{user id: {"open": n, "overdue": n}} over the open cases someone holds."""
    held = open_cases().filter(assignee__isnull=False)
    overdue_ids = with_waiting_since(held).filter(waiting_since__lt=sla_cutoff(now)).values("pk")
    rows = held.values("assignee_id").annotate(
        open=Count("pk"), overdue=Count("pk", filter=Q(pk__in=overdue_ids))
    )
    return {row["assignee_id"]: {"open": row["open"], "overdue": row["overdue"]} for row in rows}
