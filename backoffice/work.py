""" "My work": the orders and after-sales cases the signed-in person holds, most urgent then
oldest first. It lives in the shell because it reads both purchasing and after-sales."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aftersales.queue import cases_held_by
from purchasing.permissions import staff_page
from purchasing.selectors.work import orders_held_by


@require_GET
@staff_page()
def my_work(request: HttpRequest) -> HttpResponse:
    user = request.user
    orders = orders_held_by(user) if user.has_perm("purchasing.view_orders") else []
    cases = cases_held_by(user) if user.has_perm("purchasing.manage_aftersales") else []
    return render(request, "backoffice/my_work.html", {"orders": orders, "cases": cases})
