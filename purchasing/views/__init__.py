"""Staff pages of purchasing: the dashboard here; goods in `goods`, orders in `orders`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from purchasing.permissions import staff_page
from purchasing.roles import ROLE_NAMES
from purchasing.views.orders.listing import attention_panel


@staff_page()
def dashboard(request: HttpRequest) -> HttpResponse:
    groups = request.user.groups.values_list("name", flat=True)
    roles = [name for name in groups if name in ROLE_NAMES]
    return render(
        request, "purchasing/dashboard.html", {"roles": roles, **attention_panel(request.user)}
    )
