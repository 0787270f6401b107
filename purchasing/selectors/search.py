"""The order search: what was bought (titles in Chinese and English, the shop, item and SKU ids,
the variant's words) and any id a person may hold (ours, the upstream's). The staff order list,
the warehouse lines and the storefront API's order list all search through here.

A line's words are one generated column, `PurchaseOrderLine.search_text`. On PostgreSQL the
match reads its trigram index (`po_line_search_trgm`, migration 0014); on SQLite it reads every
line, which is fine for the embedded default's few thousand orders.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from purchasing.models import PurchaseOrder, PurchaseOrderLine

MAX_LENGTH = 100  # what the search boxes and the API take


def line_words(q: str) -> Q:
    """Lines (PurchaseOrderLine) whose words contain `q`, in any case."""
    return Q(search_text__icontains=q)


def may_be_an_id(q: str) -> bool:
    """Every id a person holds (ours "CG…", the upstream's) is ASCII without spaces and holds a
    digit. A title word or a shop's name that cannot be one is not looked for among the ids,
    whose partial match of our reference would read every order."""
    return q.isascii() and not any(c.isspace() for c in q) and any(c.isdigit() for c in q)


def order_ids(q: str, prefix: str = "") -> Q:
    """Orders (or, with `prefix` "order__", their lines) by an id of the order: our reference
    or part of it, the upstream order's id or number (one of several for a 1688 order across
    sellers)."""
    return (
        Q(**{f"{prefix}reference__icontains": q})
        | Q(**{f"{prefix}upstream_order_id": q})
        | Q(**{f"{prefix}upstream_order_no": q})
        | Q(**{f"{prefix}upstream_order_ids__icontains": f'"{q}"'})
    )


def matching_lines(q: str) -> QuerySet[PurchaseOrderLine]:
    """Every line that matches `q` by its words or its sub-order."""
    q = q.strip()
    found = line_words(q)
    if may_be_an_id(q):
        found |= Q(upstream_sub_order_id=q)
    return PurchaseOrderLine.objects.filter(found)


def search_orders(orders: QuerySet[PurchaseOrder], q: str) -> QuerySet[PurchaseOrder]:
    """`orders` that match `q` by an id or by a line's words ("" keeps them all)."""
    q = q.strip()
    if not q:
        return orders
    found = Q(pk__in=matching_lines(q).values("order_id"))
    if may_be_an_id(q):
        found |= order_ids(q)
    return orders.filter(found)


def search_lines(lines: QuerySet[PurchaseOrderLine], q: str) -> QuerySet[PurchaseOrderLine]:
    """`lines` that match `q` by their own words or sub-order, or by an id of their order."""
    q = q.strip()
    if not q:
        return lines
    found = line_words(q)
    if may_be_an_id(q):
        found |= Q(upstream_sub_order_id=q) | order_ids(q, "order__")
    return lines.filter(found)


def matching_order_ids(q: str) -> QuerySet:
    """Ids of every purchase order that matches `q`, for a query above purchasing (the
    storefront's customer orders) to filter by."""
    return search_orders(PurchaseOrder.objects.all(), q).values("pk")
