"""The manager dashboard's figures and chart series: each one a fixed number of aggregate
queries, whatever the number of orders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Avg,
    BigIntegerField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from purchasing.models import OrderEvent, PurchaseOrder, PurchaseOrderLine
from purchasing.money import current_rate, format_cny, format_minor
from purchasing.statuses import RANK, OrderStatus

PERIOD_DAYS = 90  # refund rate, lead times, top sellers: over the last 90 days
SPENT = Coalesce("actual_fen", "quoted_total_fen", output_field=BigIntegerField())
# Lead-time buckets in days: [low, high), the last one open-ended.
BUCKETS: list[tuple[int, int | None]] = [
    (0, 1),
    (1, 2),
    (2, 3),
    (3, 5),
    (5, 7),
    (7, 10),
    (10, None),
]
FUNNEL = [
    (pgettext_lazy("funnel stage", "Created"), OrderStatus.DRAFT),
    (pgettext_lazy("funnel stage", "Previewed"), OrderStatus.PREVIEWED),
    (pgettext_lazy("funnel stage", "Submitted"), OrderStatus.SUBMITTING),
    (pgettext_lazy("funnel stage", "Paid"), OrderStatus.PAID),
    (pgettext_lazy("funnel stage", "Shipped"), OrderStatus.SHIPPED),
    (pgettext_lazy("funnel stage", "At warehouse"), OrderStatus.AT_WAREHOUSE),
    (pgettext_lazy("funnel stage", "Dispatched"), OrderStatus.DISPATCHED),
    (pgettext_lazy("funnel stage", "Delivered"), OrderStatus.DELIVERED),
]


def _first_event(status: str) -> Subquery:
    return Subquery(
        OrderEvent.objects.filter(order=OuterRef("pk"), to_status=status)
        .exclude(from_status=status)
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )


def with_lead_times(orders: QuerySet) -> QuerySet:
    """Paid orders annotated with the time from payment to seller shipment and to warehouse."""
    return orders.filter(paid_at__isnull=False).annotate(
        shipped_at=_first_event(OrderStatus.SHIPPED),
        warehouse_at=_first_event(OrderStatus.AT_WAREHOUSE),
        to_ship=ExpressionWrapper(F("shipped_at") - F("paid_at"), output_field=DurationField()),
        to_warehouse=ExpressionWrapper(
            F("warehouse_at") - F("paid_at"), output_field=DurationField()
        ),
    )


def _days(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def figures(now: datetime | None = None) -> dict[str, Any]:
    """Spend this week and month, orders by status, approvals waiting, lead times, refund rate."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_start = _local_midnight(today - timedelta(days=today.weekday()))
    month_start = _local_midnight(today.replace(day=1))
    since = now - timedelta(days=PERIOD_DAYS)
    in_period = Q(paid_at__gte=since)
    money = PurchaseOrder.objects.filter(paid_at__isnull=False).aggregate(
        week=Sum(SPENT, filter=Q(paid_at__gte=week_start)),
        month=Sum(SPENT, filter=Q(paid_at__gte=month_start)),
        period=Sum(SPENT, filter=in_period),
        refunded=Sum("refunded_fen", filter=in_period),
        paid_orders=Count("pk", filter=in_period),
        refunded_orders=Count("pk", filter=in_period & Q(refunded_fen__gt=0)),
    )
    by_status = dict(PurchaseOrder.objects.order_by().values_list("status").annotate(n=Count("pk")))
    leads = with_lead_times(PurchaseOrder.objects.filter(in_period)).aggregate(
        ship=Avg("to_ship"), warehouse=Avg("to_warehouse")
    )
    rate = current_rate()
    period = money["period"] or 0
    return {
        "spend_week": _money(money["week"] or 0, rate),
        "spend_month": _money(money["month"] or 0, rate),
        "status_counts": [
            {"status": value, "label": label, "count": by_status.get(value, 0)}
            for value, label in OrderStatus.choices
        ],
        "orders_total": sum(by_status.values()),
        "approvals_waiting": by_status.get(OrderStatus.AWAITING_APPROVAL, 0),
        "days_to_ship": _days(leads["ship"]),
        "days_to_warehouse": _days(leads["warehouse"]),
        "refund_rate": round(100 * (money["refunded"] or 0) / period, 1) if period else None,
        "refunded_orders": money["refunded_orders"],
        "paid_orders": money["paid_orders"],
        "period_days": PERIOD_DAYS,
        "currency": rate.currency if rate else None,
        # Drawn with the page rather than fetched after it: an empty box never shows.
        "lead_times": lead_times(now),
    }


def _money(fen: int, rate: Any) -> dict[str, Any]:
    return {
        "fen": fen,
        "cny": format_cny(fen),
        "display": format_minor(rate.from_fen(fen), rate.currency) if rate else "",
    }


def spend_per_day(days: int = 30, now: datetime | None = None) -> dict[str, Any]:
    """Paid spend (CNY) per local day over the last `days` days, every day present."""
    now = now or timezone.now()
    first = timezone.localdate(now) - timedelta(days=days - 1)
    spent = dict(
        PurchaseOrder.objects.filter(paid_at__gte=_local_midnight(first))
        .annotate(day=TruncDate("paid_at"))
        .order_by()
        .values_list("day")
        .annotate(fen=Sum(SPENT))
    )
    labels = [first + timedelta(days=i) for i in range(days)]
    return {
        "labels": [day.isoformat() for day in labels],
        "datasets": [
            {"label": _("Spend (CNY)"), "data": [(spent.get(day) or 0) / 100 for day in labels]}
        ],
    }


def spend_by_seller(limit: int = 10, now: datetime | None = None) -> dict[str, Any]:
    """The top sellers by paid line amount (CNY) over the period."""
    since = (now or timezone.now()) - timedelta(days=PERIOD_DAYS)
    top = (
        PurchaseOrderLine.objects.filter(order__paid_at__gte=since)
        .order_by()
        .values_list(Coalesce("seller_name", "seller_id"))
        .annotate(fen=Sum("amount_fen"))
        .order_by("-fen")[:limit]
    )
    top = list(top)
    return {
        "labels": [name or _("(unknown seller)") for name, _fen in top],
        "datasets": [{"label": _("Spend (CNY)"), "data": [fen / 100 for _name, fen in top]}],
    }


def status_funnel() -> dict[str, Any]:
    """How many orders reached each stage (cancelled and failed orders count as created)."""
    by_status = dict(PurchaseOrder.objects.order_by().values_list("status").annotate(n=Count("pk")))
    reached = []
    for _label, stage in FUNNEL:
        if stage == OrderStatus.DRAFT:
            reached.append(sum(by_status.values()))
            continue
        reached.append(
            sum(n for status, n in by_status.items() if RANK.get(status, -1) >= RANK[stage])
        )
    return {
        "labels": [str(label) for label, _stage in FUNNEL],
        "datasets": [{"label": _("Orders"), "data": reached}],
    }


def lead_times(now: datetime | None = None) -> dict[str, Any]:
    """How many orders took how many days from payment to seller shipment and to warehouse."""
    since = (now or timezone.now()) - timedelta(days=PERIOD_DAYS)
    counts: dict[str, Any] = {}
    for key, field in (("ship", "to_ship"), ("warehouse", "to_warehouse")):
        for i, (low, high) in enumerate(BUCKETS):
            bucket = Q(**{f"{field}__gte": timedelta(days=low)})
            if high is not None:
                bucket &= Q(**{f"{field}__lt": timedelta(days=high)})
            counts[f"{key}{i}"] = Count("pk", filter=bucket)
    found = with_lead_times(PurchaseOrder.objects.filter(paid_at__gte=since)).aggregate(**counts)
    labels = [
        _("%(low)s–%(high)s d") % {"low": low, "high": high}
        if high
        else _("%(low)s+ d") % {"low": low}
        for low, high in BUCKETS
    ]
    return {
        "empty": not any(found.values()),  # no paid order in the period has shipped yet
        "labels": labels,
        "datasets": [
            {
                "label": _("Payment to seller shipment"),
                "data": [found[f"ship{i}"] for i in range(len(BUCKETS))],
            },
            {
                "label": _("Payment to warehouse"),
                "data": [found[f"warehouse{i}"] for i in range(len(BUCKETS))],
            },
        ],
    }


CHARTS = {
    "spend-per-day": spend_per_day,
    "spend-by-seller": spend_by_seller,
    "status-funnel": status_funnel,
    "lead-times": lead_times,
}
