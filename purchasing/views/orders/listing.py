"""The order list with its filters, the exceptions queue and the dashboard's panel of it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from purchasing.callbacks.parking import MAY_RETRY, messages_parked
from purchasing.forms_input import error_sentences
from purchasing.forms_orders import BULK_ACTIONS, OrderFilterForm
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.permissions import staff_page
from purchasing.selectors.deadlines import deadlines_of
from purchasing.selectors.orders import exceptions_queue
from purchasing.selectors.search import search_orders
from purchasing.views.orders.common import VIEW, order_total

PAGE_SIZE = 50
PARKED_SHOWN = 100  # the admin lists them all


def filtered_orders(form: OrderFilterForm) -> QuerySet:
    """The orders the filters choose, newest first (invalid filters are left out)."""
    orders = (
        PurchaseOrder.objects.select_related("created_by")
        .prefetch_related("lines")
        .order_by("-created_at", "-pk")
    )
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if data.get("status"):
        orders = orders.filter(status=data["status"])
    if data.get("platform"):
        orders = orders.filter(platform=data["platform"])
    if data.get("purchaser"):
        orders = orders.filter(created_by=data["purchaser"])
    if data.get("date_from"):
        orders = orders.filter(created_at__date__gte=data["date_from"])
    if data.get("date_to"):
        orders = orders.filter(created_at__date__lte=data["date_to"])
    if data.get("attention") == "yes":
        orders = orders.filter(needs_attention=True)
    elif data.get("attention") == "no":
        orders = orders.filter(needs_attention=False)
    seller = (data.get("seller") or "").strip()
    if seller:
        lines = PurchaseOrderLine.objects.filter(
            Q(seller_id=seller) | Q(seller_name__icontains=seller)
        ).values("order_id")
        orders = orders.filter(
            Q(seller_id=seller) | Q(seller_name__icontains=seller) | Q(pk__in=lines)
        )
    # By what was bought (titles, shop, item and SKU, the variant) or any id a person holds.
    orders = search_orders(orders, data.get("q") or "")
    return orders


def _bulk_permissions(user: Any) -> dict[str, bool]:
    return {action: user.has_perm(perm) for action, (perm, _label) in BULK_ACTIONS.items()}


@require_GET
@staff_page(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET or None)
    orders = filtered_orders(form)
    for sentence in error_sentences(form, only=("q",)):  # the search box shows no errors
        messages.error(request, sentence)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for order in rows:
        order.total_fen = order_total(order)
        lines = list(order.lines.all())  # prefetched: one query for the page
        order.first_line = lines[0] if lines else None
        order.more_lines = max(len(lines) - 1, 0)
    deadlines = deadlines_of(rows)  # one query for the page
    for order in rows:
        order.deadline_read = deadlines.get(order.pk)
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(value for key, value in request.GET.items() if key != "page")
    can = _bulk_permissions(request.user)
    return render(
        request,
        "purchasing/orders.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "filtered": filtered,
            "can": can,
            "can_bulk": any(can.values()),
            "here": request.get_full_path(),
        },
    )


@require_GET
@staff_page(VIEW)
def exceptions(request: HttpRequest) -> HttpResponse:
    rows = exceptions_queue()
    context = {
        "rows": rows,
        # Callbacks that failed to apply again and again, waiting for a person.
        "parked": list(messages_parked()[:PARKED_SHOWN]),
        "may_retry": request.user.has_perm(MAY_RETRY),
    }
    return render(request, "purchasing/orders/exceptions.html", context)


def attention_panel(user: Any, limit: int = 10) -> dict[str, Any]:
    """The dashboard's "Needs attention" panel: the queue's first rows and its length."""
    if not user.has_perm(VIEW):
        return {"attention_allowed": False}
    rows = exceptions_queue()
    return {
        "attention_allowed": True,
        "attention_rows": rows[:limit],
        "attention_count": len(rows),
        "attention_more": max(0, len(rows) - limit),
    }
