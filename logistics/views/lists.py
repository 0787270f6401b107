"""The logistics lists: parcels (by status, destination, needing attention) with the oldest
lines at the warehouse, and every line at the warehouse by age, paged."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from logistics.forms import ParcelFilterForm, WarehouseLinesForm
from logistics.selectors import parcels as parcels_of
from logistics.selectors import parcels_needing_attention, warehouse_counts, warehouse_lines
from logistics.views.arrivals import JOB_PARAM, arrivals_context
from logistics.views.common import PAGE_SIZE, PERM, query_without, with_customers
from purchasing.permissions import staff_page

LINES_PREVIEW = 10  # the oldest lines shown on the logistics home page


@require_GET
@staff_page(PERM)
def index(request: HttpRequest) -> HttpResponse:
    form = ParcelFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    rows = parcels_of(
        status=data.get("status") or "",
        country=(data.get("country") or "").strip(),
        attention=bool(data.get("attention")),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = warehouse_lines()
    return render(
        request,
        "logistics/index.html",
        {
            "form": form,
            "page": page,
            "parcels": list(page.object_list),
            "query": query_without(request, "page", JOB_PARAM),
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", JOB_PARAM)),
            "attention_count": parcels_needing_attention(),
            "lines": with_customers(list(waiting[:LINES_PREVIEW])),
            "counts": warehouse_counts(waiting),
        }
        | arrivals_context(request),
    )


@require_GET
@staff_page(PERM)
def warehouse(request: HttpRequest) -> HttpResponse:
    """Every line at the warehouse and not in a parcel, longest waiting first, by age."""
    form = WarehouseLinesForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if valid and request.GET else {}
    rows = warehouse_lines(
        min_days=data.get("min_days"),
        overdue_only=bool(data.get("overdue")),
        search=data.get("q") or "",
    )
    counts = warehouse_counts(rows)
    paginator = Paginator(rows, PAGE_SIZE)
    # The count is known: the paginator need not ask again.
    paginator.count = counts["total"]
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "logistics/warehouse.html",
        {
            "form": form,
            "page": page,
            "lines": with_customers(list(page.object_list)),
            "counts": counts,
            "query": query_without(request, "page", JOB_PARAM),
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", JOB_PARAM)),
        }
        | arrivals_context(request),
        status=200 if valid else 400,
    )
