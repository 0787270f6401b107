"""Manager pages: reports and exports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from purchasing.permissions import staff_page


@staff_page("purchasing.view_reports")
def reports_index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html")
