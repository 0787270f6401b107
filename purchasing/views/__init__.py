"""Staff pages of purchasing: the dashboard, orders and reports here; goods in `goods`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from purchasing.permissions import staff_page
from purchasing.roles import ROLE_NAMES


@staff_page()
def dashboard(request: HttpRequest) -> HttpResponse:
    groups = request.user.groups.values_list("name", flat=True)
    roles = [name for name in groups if name in ROLE_NAMES]
    return render(request, "purchasing/dashboard.html", {"roles": roles})


@staff_page("purchasing.view_orders")
def orders_index(request: HttpRequest) -> HttpResponse:
    return render(request, "purchasing/orders.html")


@staff_page("purchasing.view_reports")
def reports_index(request: HttpRequest) -> HttpResponse:
    return render(request, "purchasing/reports.html")
