"""Reads of the work queue: what a person holds, most urgent then oldest first; who holds how
much; whether an order has waited past its time (CAIGOU_ORDER_SLA_HOURS); the wait reasons."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
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
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from purchasing.models import OrderEvent, OrderWait, PurchaseOrder, WaitReason
from purchasing.statuses import FINAL

TAKE_PERMISSION = "create_order"


def sla_cutoff(now: datetime | None = None) -> datetime:
    """An open order whose wait started before this has waited past its time."""
    return (now or timezone.now()) - timedelta(hours=settings.CAIGOU_ORDER_SLA_HOURS)


def with_waiting_since(orders: QuerySet) -> QuerySet:
    """`waiting_since`: the last status change, or the last wait reason a person gave (which
    answers for the wait until another SLA period passes), or the order's creation."""
    last_move = (
        OrderEvent.objects.filter(order=OuterRef("pk"))
        .exclude(from_status=F("to_status"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    last_wait = (
        OrderWait.objects.filter(order=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return orders.annotate(
        waiting_since=Greatest(
            Coalesce(Subquery(last_move, output_field=DateTimeField()), "created_at"),
            Coalesce(Subquery(last_wait, output_field=DateTimeField()), "created_at"),
        )
    )


def open_orders() -> QuerySet:
    return PurchaseOrder.objects.exclude(status__in=FINAL)


def past_sla(orders: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """The open ones of `orders` that waited past CAIGOU_ORDER_SLA_HOURS."""
    return with_waiting_since(orders.exclude(status__in=FINAL)).filter(
        waiting_since__lt=sla_cutoff(now)
    )


def is_past_sla(order: PurchaseOrder, *, now: datetime | None = None) -> bool:
    return past_sla(PurchaseOrder.objects.filter(pk=order.pk), now=now).exists()


def orders_held_by(user: Any, *, now: datetime | None = None) -> list[PurchaseOrder]:
    """What `user` holds: needing attention first, then waited past its time, then the rest;
    oldest wait first within each. Each row carries `urgency` (0, 1, 2) and `waiting_since`."""
    orders = with_waiting_since(
        open_orders().filter(assignee=user).select_related("created_by")
    ).annotate(
        urgency=Case(
            When(needs_attention=True, then=Value(0)),
            When(waiting_since__lt=sla_cutoff(now), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return list(orders.order_by("urgency", "waiting_since", "pk"))


def order_workload(*, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """{user id: {"open": n, "overdue": n}} over the open orders someone holds."""
    held = open_orders().filter(assignee__isnull=False)
    overdue_ids = past_sla(held, now=now).values("pk")
    rows = held.values("assignee_id").annotate(
        open=Count("pk"), overdue=Count("pk", filter=Q(pk__in=overdue_ids))
    )
    return {row["assignee_id"]: {"open": row["open"], "overdue": row["overdue"]} for row in rows}


def assignable_people() -> QuerySet:
    """Active users who may work on orders (through a role or their own permissions)."""
    perm = Q(groups__permissions__codename=TAKE_PERMISSION) | Q(
        user_permissions__codename=TAKE_PERMISSION
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(perm | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


def wait_reason_counts(*, since: datetime, until: datetime) -> list[tuple[str, int]]:
    """(reason in words, count) for every reason, recorded in [since, until), most first."""
    counted = dict(
        OrderWait.objects.filter(created_at__gte=since, created_at__lt=until)
        .values_list("reason")
        .annotate(n=Count("pk"))
    )
    rows = [(str(label), counted.get(value, 0)) for value, label in WaitReason.choices]
    return sorted(rows, key=lambda row: -row[1])
