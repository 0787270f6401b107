"""Manager pages: the dashboard's chart data, the reports page, and exports."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from purchasing.permissions import staff_page
from reports.dashboard import CHARTS
from reports.exports.base import Report
from reports.exports.columns import INT, MONEY, yuan
from reports.forms import ReportFilterForm, report_title
from reports.models import ExportFile

VIEW = "purchasing.view_reports"
PAGE_SIZE = 50


@require_GET
@staff_page(VIEW)
def chart(request: HttpRequest, name: str) -> JsonResponse:
    series = CHARTS.get(name)
    if series is None:
        raise Http404("No such chart.")
    return JsonResponse(series())


@require_GET
@staff_page(VIEW)
def reports_index(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    report = form.chosen
    valid = form.is_valid() or not form.is_bound
    # Invalid filters show nothing (the form says why) rather than rows nobody asked for.
    rows = report.queryset(form.filters()) if valid else report.model.objects.none()
    page = Paginator(report.values(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    formatters = report.formatters()
    numeric = [column.kind in (MONEY, INT) for column in report.columns]
    table = [
        [(fmt(value), num) for fmt, value, num in zip(formatters, row, numeric, strict=True)]
        for row in page
    ]
    totals = report.totals(rows) if page.paginator.count else {}
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(v for k, v in request.GET.items() if k not in ("page", "report"))
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "valid": valid,
            "report": report,
            "page": page,
            "table": table,
            "totals_row": _totals_row(report, totals) if totals else None,
            "query": query.urlencode(),
            "filtered": filtered,
            "can_export": request.user.has_perm("purchasing.export_reports"),
            "recent": [
                (item, report_title(item.report))
                for item in ExportFile.objects.filter(created_by=request.user)[:5]
            ],
        },
    )


def _totals_row(report: Report, totals: dict[int, int]) -> list[str]:
    return [yuan(totals[i]) if i in totals else "" for i in range(len(report.columns))]
