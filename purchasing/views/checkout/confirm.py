"""Step 2: confirm an order at the total the person saw (submitted, or to an approver)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purchasing.forms_input import as_id
from purchasing.models import PurchaseOrder
from purchasing.money import format_cny
from purchasing.permissions import staff_page
from purchasing.rules import can_approve, can_confirm, can_submit
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.submit import order_submit
from purchasing.views.checkout.common import _error_text
from purchasing.views.checkout.display import _page_context
from upstream.errors import UpstreamError


@require_http_methods(["GET", "POST"])
@staff_page("purchasing.create_order")
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what confirming commits (the total, and whether it goes to an approver). POST:
    confirm a previewed order, or submit an approved one, at the total the person saw."""
    order = get_object_or_404(PurchaseOrder.objects.select_related("approved_by"), pk=pk)
    if not (can_confirm(order) or can_submit(order)):
        messages.error(
            request,
            _("An order that is %(status)s is not confirmed.")
            % {"status": order.get_status_display()},
        )
        return redirect("checkout:preview", pk=pk)
    context = _page_context(request, order)
    context["approved"] = can_submit(order)  # approved already: this page submits it
    if request.method == "GET":
        return render(request, "purchasing/checkout/confirm.html", context)
    if as_id(request.POST.get("total_fen", "")) != order.quoted_total_fen:
        messages.error(
            request,
            _("The total changed since that page was shown: check the preview again."),
        )
        return redirect("checkout:preview", pk=pk)
    try:
        if can_submit(order):
            order = order_submit(order=order, actor=request.user)
        else:
            order = order_confirm(order=order, actor=request.user)
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("checkout:preview", pk=pk)
    order.refresh_from_db()
    if can_approve(order):
        messages.info(
            request,
            _(
                "The order waits for an approver: its total %(total)s is above your limit of"
                " %(limit)s."
            )
            % {
                "total": format_cny(order.quoted_total_fen),
                "limit": format_cny(context["limit_fen"]),
            },
        )
    else:
        messages.success(
            request,
            _("Confirmed: %(ref)s is submitted to the upstream.") % {"ref": order.reference},
        )
    return redirect("checkout:preview", pk=pk)
