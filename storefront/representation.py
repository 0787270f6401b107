"""What a storefront sees of a customer order: one plain dict, the same in the API's responses and
in the webhooks' `data`, built from rows fetched by a fixed number of queries (`with_details`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from logistics.models import Parcel, ParcelStatus
from storefront.models import CustomerOrder, CustomerOrderLine
from storefront.rules import may_cancel


def with_details(queryset: QuerySet[CustomerOrder]) -> QuerySet[CustomerOrder]:
    """`queryset` with everything `order_representation` reads, whatever the number of orders."""
    live_parcels = Parcel.objects.exclude(status=ParcelStatus.CANCELLED).order_by("-created_at")
    return queryset.prefetch_related(
        Prefetch(
            "lines",
            queryset=CustomerOrderLine.objects.select_related(
                "purchase_line", "purchase_line__order"
            ).order_by("line_no"),
        ),
        Prefetch("lines__purchase_line__parcels", queryset=live_parcels),
        "purchase_orders",
    )


def order_representation(order: CustomerOrder) -> dict[str, Any]:
    """The order as the storefront reads it (`with_details` first, for a list)."""
    lines = [line_representation(line) for line in order.lines.all()]
    bought = [line for line in lines if line["unit_cost_fen"] is not None]
    return {
        "id": order.pk,
        "external_id": order.external_id,
        "status": order.status,
        "status_reason": order.status_reason,
        "currency": order.currency,
        "customer": {
            "name": order.customer_name,
            "email": order.customer_email,
            "phone": order.customer_phone,
        },
        "shipping_address": order.shipping_address,
        "budget_fen": order.budget_fen,
        "amounts": {
            "cost_fen": sum(line["unit_cost_fen"] * line["quantity"] for line in bought),
            # Refunds are recorded per purchase order, and a purchase order serves one customer
            # order.
            "refunded_fen": sum(p.refunded_fen for p in order.purchase_orders.all()),
        },
        "lines": lines,
        "created_at": order.created_at.isoformat(),
        "updated_at": order.updated_at.isoformat(),
        "links": links(order),
    }


def links(order: CustomerOrder) -> dict[str, str]:
    """Where the storefront goes next; `cancel` only while the order can still be cancelled."""
    found = {
        "self": reverse("api:order-detail", args=[order.pk]),
        "decisions": reverse("api:order-decisions", args=[order.pk]),
    }
    if may_cancel(order):
        found["cancel"] = reverse("api:order-cancel", args=[order.pk])
    return found


def line_representation(line: CustomerOrderLine) -> dict[str, Any]:
    bought = line.purchase_line
    purchase = bought.order if bought is not None else None
    parcel = next(iter(bought.parcels.all()), None) if bought is not None else None
    paid = purchase is not None and purchase.paid_at is not None
    return {
        "id": line.pk,
        "line_no": line.line_no,
        "platform": line.platform,
        "item_id": line.item_id,
        "sku_id": line.sku_id,
        "quantity": line.quantity,
        "unit_price_fen": line.unit_price_fen,
        "note": line.note,
        "status": line.status,
        # What we pay the seller per unit, once paid (fen).
        "unit_cost_fen": bought.unit_price_fen if paid else None,
        "purchase_order": purchase.reference if purchase is not None else None,
        "seller_tracking": (
            {"company": bought.tracking_company, "number": bought.tracking_no}
            if bought is not None and bought.tracking_no
            else None
        ),
        "parcel": (
            {
                "reference": parcel.reference,
                "status": parcel.status,
                "service": parcel.service_name,
                "tracking_number": parcel.tracking_no,
            }
            if parcel is not None
            else None
        ),
        "decision": (
            {
                "reason": line.decision_reason,
                "price_fen": line.decision_price_fen,
                "answer": line.decision or None,
            }
            if line.decision_reason
            else None
        ),
    }
