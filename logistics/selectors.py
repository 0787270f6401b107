"""Read queries of logistics: parcels by status and destination, lines waiting at the warehouse."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from logistics.models import Parcel, ParcelLine, ParcelStatus
from logistics.signals import line_currency_wanted
from purchasing.models import OrderEvent, PurchaseOrderLine
from purchasing.models.money import rate_text
from purchasing.money import current_rate, format_minor
from purchasing.selectors.search import search_lines
from purchasing.statuses import OrderStatus


def parcels(*, status: str = "", country: str = "", attention: bool = False) -> QuerySet[Parcel]:
    """Parcels newest first; `attention`: those whose booking failed, for a person to decide."""
    rows = Parcel.objects.select_related("address")
    if attention:
        rows = rows.filter(status=ParcelStatus.FAILED)
    if status:
        rows = rows.filter(status=status)
    if country:
        rows = rows.filter(country=country.upper())
    return rows


def parcels_needing_attention() -> int:
    return Parcel.objects.filter(status=ParcelStatus.FAILED).count()


def _arrival():
    """When the line's order last reached the warehouse (its timeline says)."""
    return (
        OrderEvent.objects.filter(order=OuterRef("order"), to_status=OrderStatus.AT_WAREHOUSE)
        .exclude(from_status=OrderStatus.AT_WAREHOUSE)
        .order_by("-created_at")
        .values("created_at")[:1]
    )


def wait_cutoff(days: int | None = None):
    """Lines that arrived before this have waited too long (CAIGOU_WAREHOUSE_WAIT_DAYS)."""
    days = int(getattr(settings, "CAIGOU_WAREHOUSE_WAIT_DAYS", 7)) if days is None else days
    return timezone.now() - timedelta(days=days)


def warehouse_lines(
    *,
    days: int | None = None,
    min_days: int | None = None,
    overdue_only: bool = False,
    search: str = "",
) -> QuerySet[PurchaseOrderLine]:
    """Lines at the warehouse not in a parcel, longest waiting first, each with `arrived_at`
    and `overdue` (waiting more than `days`, default CAIGOU_WAREHOUSE_WAIT_DAYS). `min_days`
    keeps the lines waiting at least that many days; `overdue_only` the overdue ones; `search`
    the lines that match it by their words or an id of their order (purchasing's search)."""
    cutoff = wait_cutoff(days)
    taken = ParcelLine.objects.filter(active=True).values("line_id")
    rows = (
        PurchaseOrderLine.objects.filter(order__status=OrderStatus.AT_WAREHOUSE)
        .exclude(pk__in=taken)
        .select_related("order")
        .annotate(arrived_at=Subquery(_arrival()))
        .annotate(overdue=ExpressionWrapper(Q(arrived_at__lt=cutoff), output_field=BooleanField()))
    )
    if min_days:
        rows = rows.filter(arrived_at__lte=timezone.now() - timedelta(days=min_days))
    if overdue_only:
        rows = rows.filter(arrived_at__lt=cutoff)
    if search:
        rows = search_lines(rows, search)
    return rows.order_by("arrived_at", "pk")


def warehouse_counts(rows: QuerySet[PurchaseOrderLine], days: int | None = None) -> dict[str, int]:
    """How many of `rows` there are and how many are overdue, in one query."""
    return rows.order_by().aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(arrived_at__lt=wait_cutoff(days)))
    )


def arrived_at_by_order(order_ids: Iterable[int]) -> dict[int, object]:
    """order id -> when it last reached the warehouse (None when it never did)."""
    found: dict[int, object] = {}
    for order_id, created in (
        OrderEvent.objects.filter(order_id__in=list(order_ids), to_status=OrderStatus.AT_WAREHOUSE)
        .exclude(from_status=OrderStatus.AT_WAREHOUSE)
        .order_by("created_at")
        .values_list("order_id", "created_at")
    ):
        found[order_id] = created
    return found


def parcels_booking_stuck(*, older_than) -> QuerySet:
    """Ids of parcels left booking, not touched since `older_than`, with no live lease."""
    return (
        Parcel.objects.filter(status=ParcelStatus.BOOKING, booking_id="", updated_at__lt=older_than)
        .filter(Q(booking_lease_until__isnull=True) | Q(booking_lease_until__lt=timezone.now()))
        .values_list("pk", flat=True)
    )


def parcels_to_track(*, older_than) -> QuerySet:
    """Ids of parcels on their way whose tracking was not read since `older_than`."""
    return (
        Parcel.objects.filter(status__in=[ParcelStatus.BOOKED, ParcelStatus.IN_TRANSIT])
        .filter(Q(tracked_at__isnull=True) | Q(tracked_at__lt=older_than))
        .values_list("pk", flat=True)
    )


def freight_converted(*, fen: int | None, lines: Iterable[PurchaseOrderLine]) -> dict | None:
    """The freight (CNY fen) in the customer's currency when the apps above logistics name one
    that has an exchange rate, else in the display currency; None without a rate. Returns the
    amount as text, the currency, whose currency it is ("customer" or "display") and the rate."""
    if fen is None:
        return None
    named = [
        answer
        for _receiver, answer in line_currency_wanted.send_robust(sender=Parcel, lines=list(lines))
        if isinstance(answer, str) and answer.upper() != "CNY"
    ]
    for currency, whose in [*((c.upper(), "customer") for c in named), (None, "display")]:
        rate = current_rate(currency)
        if rate is not None:
            return {
                "text": format_minor(rate.from_fen(fen), rate.currency),
                "currency": rate.currency,
                "whose": whose,
                "rate": f"1 {rate.currency} = {rate_text(rate.cny_per_unit)} CNY",
                "set_on": rate.set_on,
            }
    return None
