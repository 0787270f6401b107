"""The five reports: orders, order lines, payments, refunds, parcels."""

from __future__ import annotations

from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from aftersales.models import CaseKind, CaseStatus, RefundCase
from logistics.models import Parcel, ParcelLine, ParcelStatus
from purchasing.models import PaymentAttempt, Platform, PurchaseOrder, PurchaseOrderLine
from purchasing.statuses import OrderStatus
from reports.exports.base import Report
from reports.exports.columns import BOOL, CHOICE, DATETIME, INT, MONEY, Column

PLATFORMS = dict(Platform.choices)
ORDER_STATUSES = dict(OrderStatus.choices)
MONEY_FIELD = BigIntegerField()


def _storefront_of_order(order_ref: str) -> Subquery:
    """The storefront whose customer order this purchase order serves (the first, by id), read
    through the order's own relation: reports sits beside the storefront app, not above it."""
    return Subquery(
        PurchaseOrder.objects.filter(pk=OuterRef(order_ref), customer_orders__isnull=False)
        .order_by("customer_orders__pk")
        .values("customer_orders__storefront__name")[:1]
    )


class OrdersReport(Report):
    slug = "orders"
    title = "Orders"
    model = PurchaseOrder
    order_path = ""
    status_choices = OrderStatus.choices
    status_label = "Order status"
    columns = (
        Column("Reference", "reference"),
        Column("Created", "created_at", DATETIME),
        Column("Platform", "platform", CHOICE, PLATFORMS),
        Column("Status", "status", CHOICE, ORDER_STATUSES),
        Column("Needs attention", "needs_attention", BOOL),
        Column("Seller", "seller_name"),
        Column("Purchaser", "created_by__username"),
        Column("Storefront", _storefront_of_order("pk")),
        Column("Goods", "quoted_goods_fen", MONEY),
        Column("Freight", "quoted_freight_fen", MONEY),
        Column("Discount", "quoted_discount_fen", MONEY),
        Column("Quoted total", "quoted_total_fen", MONEY),
        Column("Paid", "actual_fen", MONEY),
        Column("Refunded", "refunded_fen", MONEY),
        Column(
            "Net spend",
            ExpressionWrapper(
                Coalesce("actual_fen", Value(0)) - F("refunded_fen"), output_field=MONEY_FIELD
            ),
            MONEY,
        ),
        Column("Paid at", "paid_at", DATETIME),
        Column("Upstream order", "upstream_order_no"),
    )


# A line's share of its order's domestic freight, in proportion to its amount (fen, rounded
# down), and its landed cost: the line's amount plus that share.
FREIGHT_SHARE = Coalesce(
    ExpressionWrapper(
        F("order__quoted_freight_fen") * F("amount_fen") / NullIf("order__quoted_goods_fen", 0),
        output_field=MONEY_FIELD,
    ),
    Value(0),
    output_field=MONEY_FIELD,
)
LANDED = ExpressionWrapper(F("amount_fen") + FREIGHT_SHARE, output_field=MONEY_FIELD)
SELLING = ExpressionWrapper(
    F("customer_line__unit_price_fen") * F("quantity"), output_field=MONEY_FIELD
)


class LinesReport(Report):
    """Order lines with their landed cost and, for storefront lines, the selling price and
    margin (selling price minus landed cost; empty for staff orders)."""

    slug = "lines"
    title = "Order lines"
    model = PurchaseOrderLine
    date_field = "order__created_at"
    status_field = "order__status"
    status_choices = OrderStatus.choices
    status_label = "Order status"
    ordering = ("-order__created_at", "-order_id", "line_no", "pk")
    columns = (
        Column("Order", "order__reference"),
        Column("Created", "order__created_at", DATETIME),
        Column("Platform", "order__platform", CHOICE, PLATFORMS),
        Column("Order status", "order__status", CHOICE, ORDER_STATUSES),
        Column("Seller", "seller_name"),
        Column("Item", "item_id"),
        Column("SKU", "sku_id"),
        Column("Title", "title"),
        Column("Quantity", "quantity", INT),
        Column("Unit price", "unit_price_fen", MONEY, total=False),
        Column("Amount", "amount_fen", MONEY),
        Column("Freight share", FREIGHT_SHARE, MONEY),
        Column("Landed cost", LANDED, MONEY),
        Column("Storefront", "customer_line__order__storefront__name"),
        Column("Selling price", SELLING, MONEY),
        Column("Margin", ExpressionWrapper(SELLING - LANDED, output_field=MONEY_FIELD), MONEY),
    )

    def filter_seller(self, rows: QuerySet, orders: QuerySet, seller: str) -> tuple:
        """The line's own seller: a 1688 order across sellers lists each line under its own."""
        rows = rows.filter(Q(seller_id=seller) | Q(seller_name__icontains=seller))
        return rows, orders


class PaymentsReport(Report):
    slug = "payments"
    title = "Payments"
    model = PaymentAttempt
    status_choices = PaymentAttempt.Status.choices
    status_label = "Payment status"
    columns = (
        Column("Payment", "key"),
        Column("Created", "created_at", DATETIME),
        Column("Order", "order__reference"),
        Column("Platform", "order__platform", CHOICE, PLATFORMS),
        Column("Status", "status", CHOICE, dict(PaymentAttempt.Status.choices)),
        Column("Amount", "amount_fen", MONEY),
        Column("Operation", "operation"),
        Column("Requested by", "requested_by__username"),
        Column("Finished", "finished_at", DATETIME),
        Column("Upstream request", "upstream_request_id"),
        Column("Error", "error"),
    )


class RefundsReport(Report):
    slug = "refunds"
    title = "Refunds"
    model = RefundCase
    status_choices = CaseStatus.choices
    status_label = "Case status"
    columns = (
        Column("Case", "reference"),
        Column("Created", "created_at", DATETIME),
        Column("Order", "order__reference"),
        Column("Platform", "platform", CHOICE, PLATFORMS),
        Column("Kind", "kind", CHOICE, dict(CaseKind.choices)),
        Column("Status", "status", CHOICE, dict(CaseStatus.choices)),
        Column("Reason", "reason_text"),
        Column("Asked", "asked_fen", MONEY),
        Column("Agreed", "agreed_fen", MONEY),
        Column("Refund recorded", "refund_recorded", BOOL),
        Column("Closed", "closed_at", DATETIME),
        Column("Upstream refund", "upstream_refund_id"),
    )


class ParcelsReport(Report):
    slug = "parcels"
    title = "Parcels"
    model = Parcel
    status_choices = ParcelStatus.choices
    status_label = "Parcel status"
    order_path = None
    columns = (
        Column("Parcel", "reference"),
        Column("Created", "created_at", DATETIME),
        Column("Status", "status", CHOICE, dict(ParcelStatus.choices)),
        Column("Country", "country"),
        Column("Service", "service_name"),
        Column(
            "Lines",
            Coalesce(
                Subquery(
                    ParcelLine.objects.filter(parcel=OuterRef("pk"), active=True)
                    .order_by()
                    .values("parcel")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                Value(0),
            ),
            INT,
        ),
        Column("Quoted freight", "quoted_freight_fen", MONEY),
        Column("Freight", "freight_fen", MONEY),
        Column("Declared value", "declared_value_fen", MONEY),
        Column("Tracking", "tracking_no"),
        Column("Created by", "created_by__username"),
    )

    def for_orders(self, rows: QuerySet, orders: QuerySet) -> QuerySet:
        """A parcel belongs to the orders of the lines it carries."""
        carried = ParcelLine.objects.filter(line__order__in=orders.values("pk")).values("parcel")
        return rows.filter(pk__in=carried)


REPORTS: dict[str, Report] = {
    report.slug: report
    for report in (
        OrdersReport(),
        LinesReport(),
        PaymentsReport(),
        RefundsReport(),
        ParcelsReport(),
    )
}
