"""The landing page: everyone's own work, and for managers the figures and charts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backoffice.roles import ROLE_LABELS, ROLE_NAMES
from purchasing.permissions import staff_page
from purchasing.views.orders.listing import attention_panel
from reports.dashboard import figures
from reports.views import VIEW
from reports.work import workload


@require_GET
@staff_page()
def dashboard(request: HttpRequest) -> HttpResponse:
    """Everyone's landing page; approvers, finance and admins also see figures and charts."""
    groups = request.user.groups.values_list("name", flat=True)
    roles = [str(ROLE_LABELS[name]) for name in groups if name in ROLE_NAMES]
    context = {"roles": roles, **attention_panel(request.user)}
    if request.user.has_perm(VIEW):
        context["figures"] = figures()
        context["workload"] = workload()
    return render(request, "purchasing/dashboard.html", context)
