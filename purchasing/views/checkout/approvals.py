"""Step 3: the approvals queue, and approving (then submitting) or rejecting an order."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from purchasing.forms_checkout import DecisionForm
from purchasing.models import PurchaseOrder
from purchasing.permissions import staff_page
from purchasing.rules import can_approve
from purchasing.services.orders.approval import order_approve, order_reject
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.submit import order_submit
from purchasing.statuses import OrderStatus
from purchasing.views.checkout.common import _error_text
from purchasing.views.checkout.display import _page_context
from upstream.errors import UpstreamError


@require_GET
@staff_page("purchasing.approve_order")
def approvals(request: HttpRequest) -> HttpResponse:
    """Orders waiting for an approver, the longest-waiting first (one query)."""
    orders = (
        PurchaseOrder.objects.filter(status=OrderStatus.AWAITING_APPROVAL)
        .select_related("created_by")
        .annotate(
            line_count=Count("lines", distinct=True),
            waiting_since=Max(
                "events__created_at", filter=Q(events__to_status=OrderStatus.AWAITING_APPROVAL)
            ),
        )
        .order_by("waiting_since", "pk")
    )
    return render(request, "purchasing/checkout/approvals.html", {"orders": orders})


@require_http_methods(["GET", "POST"])
@staff_page("purchasing.approve_order")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview and its differences; approve (and submit) or reject with a comment."""
    order = get_object_or_404(PurchaseOrder.objects.select_related("created_by"), pk=pk)
    form = DecisionForm(request.POST or None)
    own = order.created_by_id == request.user.pk
    if request.method == "POST" and form.is_valid() and can_approve(order):
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                order_approve(order=order, actor=request.user, comment=comment)
                order_submit(order=order, actor=request.user)
            else:
                order_reject(order=order, actor=request.user, comment=comment)
        except (OrderError, UpstreamError) as exc:  # NotAllowed: "nobody approves their own"
            form.add_error(None, _error_text(exc))
        else:
            if decision == "approve":
                messages.success(request, f"Approved: {order.reference} is submitted.")
            else:
                messages.info(request, f"Rejected: {order.reference} went back to its purchaser.")
            return redirect("checkout:approvals")
        order.refresh_from_db()
    context = _page_context(request, order)
    context.update({"form": form, "own": own})
    return render(request, "purchasing/checkout/approve.html", context)
