"""Step 3: the approvals queue, and approving (then submitting) or rejecting an order."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purchasing.forms_checkout import DecisionForm
from purchasing.models import ApprovalRequest, PurchaseOrder
from purchasing.permissions import staff_page
from purchasing.rules import approve_refusal, approved_already, can_approve
from purchasing.selectors.approval import open_request, reason_text
from purchasing.services.orders.approval import order_approve, order_reject
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.submit import order_submit
from purchasing.statuses import OrderStatus
from purchasing.views.checkout.common import _error_text
from purchasing.views.checkout.display import _page_context
from upstream.errors import UpstreamError

_latest_request = ApprovalRequest.objects.filter(order=OuterRef("pk")).order_by(
    "-created_at", "-pk"
)


@require_GET
@staff_page("purchasing.approve_order")
def approvals(request: HttpRequest) -> HttpResponse:
    """Orders waiting for an approver, the longest-waiting first (one query)."""
    orders = (
        PurchaseOrder.objects.filter(status=OrderStatus.AWAITING_APPROVAL)
        .select_related("created_by")
        .prefetch_related("lines")
        .annotate(
            line_count=Count("lines", distinct=True),
            # The latest request's count, and the approvals given under it (no query per row).
            approvals_needed=Subquery(_latest_request.values("needed")[:1]),
            approvals_given=Subquery(
                _latest_request.annotate(given=Count("approvals")).values("given")[:1]
            ),
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
    # Whether it awaits approval, and whether this person may give it (`purchasing.rules`).
    awaiting = can_approve(order)
    own = awaiting and bool(approve_refusal(order, request.user))
    if request.method == "POST" and form.is_valid() and awaiting:
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                order = order_approve(order=order, actor=request.user, comment=comment)
                if order.status == OrderStatus.APPROVED:
                    order_submit(order=order, actor=request.user)
            else:
                order_reject(order=order, actor=request.user, comment=comment)
        except (OrderError, UpstreamError) as exc:  # NotAllowed: "nobody approves their own"
            form.add_error(None, _error_text(exc))
        else:
            if decision == "reject":
                messages.info(
                    request,
                    _("Rejected: %(ref)s went back to its purchaser.") % {"ref": order.reference},
                )
            elif order.status == OrderStatus.AWAITING_APPROVAL:
                messages.success(
                    request,
                    _("Approved: %(ref)s waits for another approver.") % {"ref": order.reference},
                )
            else:
                messages.success(
                    request, _("Approved: %(ref)s is submitted.") % {"ref": order.reference}
                )
            return redirect("checkout:approvals")
        order.refresh_from_db()
    context = _page_context(request, order)
    context.update(
        {"form": form, "awaiting": can_approve(order), "own": own, **_approvals(order, request)}
    )
    return render(request, "purchasing/checkout/approve.html", context)


def _approvals(order: PurchaseOrder, request: HttpRequest) -> dict[str, Any]:
    """Why the order waits, in words, and the approvals given so far and by whom."""
    asked = open_request(order)
    given = list(asked.approvals.select_related("approver")) if asked is not None else []
    needed = asked.needed if asked is not None else 1
    return {
        "reasons": [reason_text(r) for r in asked.reasons] if asked is not None else [],
        "given": given,
        "needed": needed,
        "last_one": len(given) + 1 >= needed,
        "mine_given": can_approve(order) and approved_already(order, request.user),
    }
