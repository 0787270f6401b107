"""The report base: a model, its columns, the filters it understands; rows from `.iterator()`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.db.models import Model, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from purchasing.models import PurchaseOrder, PurchaseOrderLine
from reports.exports.columns import MONEY, Column

CHUNK = 2000  # rows per database round trip in .iterator()


class Report:
    """A report: subclasses declare what it lists; the base filters, pages, totals and iterates.

    `order_path` leads from a row to its purchase order ("" when the row is the order, None
    when the report reaches orders another way and overrides `for_orders`).
    """

    slug: ClassVar[str]
    title: ClassVar[str | Promise]  # a lazy translation: read in the person's language
    model: ClassVar[type[Model]]
    date_field: ClassVar[str] = "created_at"
    status_field: ClassVar[str] = "status"
    status_choices: ClassVar[list[tuple[str, str]]] = []
    status_label: ClassVar[str | Promise] = _("Status")
    order_path: ClassVar[str | None] = "order"
    columns: ClassVar[tuple[Column, ...]]
    ordering: ClassVar[tuple[str, ...]] = ()  # default: newest first by date_field, then id

    def base(self) -> QuerySet:
        return self.model.objects.all()

    def for_orders(self, rows: QuerySet, orders: QuerySet) -> QuerySet:
        """Keep the rows that belong to `orders` (the order-level filters)."""
        if self.order_path == "":
            return rows.filter(pk__in=orders.values("pk"))
        return rows.filter(**{f"{self.order_path}__in": orders.values("pk")})

    def filter_seller(self, rows: QuerySet, orders: QuerySet, seller: str) -> tuple:
        """Seller is an order-level filter by default: the order's seller or any of its lines'."""
        lines = PurchaseOrderLine.objects.filter(
            Q(seller_id=seller) | Q(seller_name__icontains=seller)
        ).values("order_id")
        orders = orders.filter(
            Q(seller_id=seller) | Q(seller_name__icontains=seller) | Q(pk__in=lines)
        )
        return rows, orders

    def queryset(self, filters: dict[str, Any]) -> QuerySet:
        """The report's rows for cleaned filter data, newest first (a stable order for pages)."""
        rows = self.base()
        if filters.get("date_from"):
            rows = rows.filter(**{f"{self.date_field}__date__gte": filters["date_from"]})
        if filters.get("date_to"):
            rows = rows.filter(**{f"{self.date_field}__date__lte": filters["date_to"]})
        if filters.get("status"):
            rows = rows.filter(**{self.status_field: filters["status"]})
        orders = PurchaseOrder.objects.all()
        narrowed = False
        if filters.get("platform"):
            orders, narrowed = orders.filter(platform=filters["platform"]), True
        if filters.get("purchaser"):
            orders, narrowed = orders.filter(created_by=filters["purchaser"]), True
        if filters.get("storefront"):
            orders = orders.filter(
                pk__in=PurchaseOrder.objects.filter(
                    customer_orders__storefront__name=filters["storefront"]
                ).values("pk")
            )
            narrowed = True
        seller = (filters.get("seller") or "").strip()
        if seller:
            before = orders
            rows, orders = self.filter_seller(rows, orders, seller)
            narrowed = narrowed or orders is not before
        if narrowed:
            rows = self.for_orders(rows, orders)
        return rows.order_by(*(self.ordering or (f"-{self.date_field}", "-pk")))

    def values(self, rows: QuerySet) -> QuerySet:
        """The raw values of every column, one tuple per row."""
        return rows.values_list(*[column.expression() for column in self.columns])

    def sql_values(self, rows: QuerySet) -> QuerySet:
        """The same rows with every column formatted by the database (for COPY)."""
        return rows.values_list(*[column.sql() for column in self.columns])

    def formatters(self) -> list:
        return [column.python() for column in self.columns]

    def rows(self, rows: QuerySet) -> Iterator[list[str]]:
        """CSV cells row by row, read through `.iterator()` (a server-side cursor unless
        DISABLE_SERVER_SIDE_CURSORS is on)."""
        formatters = self.formatters()
        for values in self.values(rows).iterator(chunk_size=CHUNK):
            yield [fmt(value) for fmt, value in zip(formatters, values, strict=True)]

    def headers(self) -> list[str]:
        return [column.heading for column in self.columns]

    def money_columns(self) -> list[int]:
        return [i for i, column in enumerate(self.columns) if column.kind == MONEY and column.total]

    def totals(self, rows: QuerySet) -> dict[int, int]:
        """Column index -> the sum (fen) of that money column over all filtered rows."""
        wanted = self.money_columns()
        if not wanted:
            return {}
        sums = rows.order_by().aggregate(
            **{f"c{i}": Sum(self.columns[i].expression()) for i in wanted}
        )
        return {i: sums[f"c{i}"] or 0 for i in wanted}
