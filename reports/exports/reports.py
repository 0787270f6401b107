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
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.models import CaseKind, CaseStatus, RefundCase
from logistics.models import Parcel, ParcelLine, ParcelStatus
from purchasing.glossary import pay_operation_words
from purchasing.models import PaymentAttempt, Platform, PurchaseOrder, PurchaseOrderLine
from purchasing.statuses import OrderStatus
from reports.exports.base import Report
from reports.exports.columns import BOOL, CHOICE, DATETIME, INT, MONEY, WORDS, Column

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
    title = _("Orders")
    model = PurchaseOrder
    order_path = ""
    status_choices = OrderStatus.choices
    status_label = _("Order status")
    columns = (
        Column(_("Reference"), "reference"),
        Column(_("Created"), "created_at", DATETIME),
        Column(_("Platform"), "platform", CHOICE, PLATFORMS),
        Column(_("Status"), "status", CHOICE, ORDER_STATUSES),
        Column(_("Needs attention"), "needs_attention", BOOL),
        Column(_("Seller"), "seller_name"),
        Column(_("Purchaser"), "created_by__username"),
        Column(_("Storefront"), _storefront_of_order("pk")),
        Column(_("Goods"), "quoted_goods_fen", MONEY),
        Column(_("Freight"), "quoted_freight_fen", MONEY),
        Column(_("Discount"), "quoted_discount_fen", MONEY),
        Column(_("Quoted total"), "quoted_total_fen", MONEY),
        Column(_("Paid"), "actual_fen", MONEY),
        Column(_("Refunded"), "refunded_fen", MONEY),
        Column(
            _("Net spend"),
            ExpressionWrapper(
                Coalesce("actual_fen", Value(0)) - F("refunded_fen"), output_field=MONEY_FIELD
            ),
            MONEY,
        ),
        Column(_("Paid at"), "paid_at", DATETIME),
        Column(_("Upstream order"), "upstream_order_no"),
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
    title = _("Order lines")
    model = PurchaseOrderLine
    date_field = "order__created_at"
    status_field = "order__status"
    status_choices = OrderStatus.choices
    status_label = _("Order status")
    ordering = ("-order__created_at", "-order_id", "line_no", "pk")
    columns = (
        Column(_("Order"), "order__reference"),
        Column(_("Created"), "order__created_at", DATETIME),
        Column(_("Platform"), "order__platform", CHOICE, PLATFORMS),
        Column(_("Order status"), "order__status", CHOICE, ORDER_STATUSES),
        Column(_("Seller"), "seller_name"),
        Column(_("Item"), "item_id"),
        Column(_("SKU"), "sku_id"),
        Column(_("Title"), "title"),
        Column(_("Quantity"), "quantity", INT),
        Column(_("Unit price"), "unit_price_fen", MONEY, total=False),
        Column(_("Amount"), "amount_fen", MONEY),
        Column(_("Freight share"), FREIGHT_SHARE, MONEY),
        Column(_("Landed cost"), LANDED, MONEY),
        Column(_("Storefront"), "customer_line__order__storefront__name"),
        Column(_("Selling price"), SELLING, MONEY),
        Column(_("Margin"), ExpressionWrapper(SELLING - LANDED, output_field=MONEY_FIELD), MONEY),
    )

    def filter_seller(self, rows: QuerySet, orders: QuerySet, seller: str) -> tuple:
        """The line's own seller: a 1688 order across sellers lists each line under its own."""
        rows = rows.filter(Q(seller_id=seller) | Q(seller_name__icontains=seller))
        return rows, orders


class PaymentsReport(Report):
    slug = "payments"
    title = _("Payments")
    model = PaymentAttempt
    status_choices = PaymentAttempt.Status.choices
    status_label = _("Payment status")
    columns = (
        Column(_("Payment"), "key"),
        Column(_("Created"), "created_at", DATETIME),
        Column(_("Order"), "order__reference"),
        Column(_("Platform"), "order__platform", CHOICE, PLATFORMS),
        Column(_("Status"), "status", CHOICE, dict(PaymentAttempt.Status.choices)),
        Column(_("Amount"), "amount_fen", MONEY),
        Column(_("Operation"), "operation", CHOICE, pay_operation_words()),
        Column(_("Requested by"), "requested_by__username"),
        Column(_("Finished"), "finished_at", DATETIME),
        Column(_("Upstream request"), "upstream_request_id"),
        Column(_("Error"), "error", WORDS, words="error_words"),
    )


class RefundsReport(Report):
    slug = "refunds"
    title = _("Refunds")
    model = RefundCase
    status_choices = CaseStatus.choices
    status_label = _("Case status")
    columns = (
        Column(_("Case"), "reference"),
        Column(_("Created"), "created_at", DATETIME),
        Column(_("Order"), "order__reference"),
        Column(_("Platform"), "platform", CHOICE, PLATFORMS),
        Column(_("Kind"), "kind", CHOICE, dict(CaseKind.choices)),
        Column(_("Status"), "status", CHOICE, dict(CaseStatus.choices)),
        Column(_("Reason"), "reason_text"),
        Column(_("Asked"), "asked_fen", MONEY),
        Column(_("Agreed"), "agreed_fen", MONEY),
        Column(_("Refund recorded"), "refund_recorded", BOOL),
        Column(pgettext_lazy("time a case closed", "Closed"), "closed_at", DATETIME),
        Column(_("Upstream refund"), "upstream_refund_id"),
    )


class ParcelsReport(Report):
    slug = "parcels"
    title = _("Parcels")
    model = Parcel
    status_choices = ParcelStatus.choices
    status_label = _("Parcel status")
    order_path = None
    columns = (
        Column(_("Parcel"), "reference"),
        Column(_("Created"), "created_at", DATETIME),
        Column(_("Status"), "status", CHOICE, dict(ParcelStatus.choices)),
        Column(_("Country"), "country"),
        Column(_("Service"), "service_name"),
        Column(
            _("Lines"),
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
        Column(_("Quoted freight"), "quoted_freight_fen", MONEY),
        Column(_("Freight"), "freight_fen", MONEY),
        Column(_("Declared value"), "declared_value_fen", MONEY),
        Column(_("Tracking"), "tracking_no"),
        Column(_("Created by"), "created_by__username"),
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
