"""The wait reasons report: why orders waited past their time, counted over a period."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from purchasing.permissions import staff_page
from reports.work import PERIODS, wait_reasons

VIEW = "purchasing.view_reports"


@require_GET
@staff_page(VIEW)
def wait_reasons_report(request: HttpRequest) -> HttpResponse:
    # An unknown period falls back to the first one offered rather than failing.
    try:
        days = int(request.GET.get("days", PERIODS[1]))
    except ValueError:
        days = PERIODS[1]
    if days not in PERIODS:
        days = PERIODS[1]
    rows = wait_reasons(days=days)
    context = {"rows": rows, "days": days, "periods": PERIODS, "total": sum(n for _, n in rows)}
    return render(request, "reports/wait_reasons.html", context)
