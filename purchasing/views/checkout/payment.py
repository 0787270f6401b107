"""Step 4: pay a batch of orders: the list, the confirmation with its total, the results."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from purchasing.forms_checkout import PayBatchForm
from purchasing.forms_input import as_ids
from purchasing.glossary import attention
from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.permissions import staff_page
from purchasing.rules import awaits_payment, can_pay
from purchasing.selectors.orders import cashier_links, pay_holds
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from purchasing.views.checkout.common import MOVING, _error_text, order_page_url
from upstream.errors import UpstreamError


def _amount_fen(order: PurchaseOrder) -> int:
    """What paying this order commits: what the upstream asks, else the accepted total."""
    if order.upstream_total_fen is not None:
        return order.upstream_total_fen
    return order.budget_fen if order.budget_fen is not None else order.quoted_total_fen


def _payable(orders) -> tuple[list[PurchaseOrder], list[tuple[PurchaseOrder, str]]]:
    ok, refused = [], []
    orders = list(orders)
    holds = pay_holds(orders)
    for order in orders:
        if not awaits_payment(order):
            status = order.get_status_display().lower()
            refused.append((order, _("it is %(status)s") % {"status": status}))
        elif not can_pay(order):
            reason = attention(order)
            refused.append((order, _("it needs attention: %(reason)s") % {"reason": reason}))
        elif order.pk in holds:
            refused.append((order, holds[order.pk]))
        else:
            order.amount_fen = _amount_fen(order)
            ok.append(order)
    return ok, refused


@require_GET
@staff_page("purchasing.pay_order")
def pay(request: HttpRequest) -> HttpResponse:
    """Orders created upstream and waiting for payment, oldest first (one query)."""
    orders = list(
        PurchaseOrder.objects.filter(status=OrderStatus.AWAITING_PAYMENT)
        .select_related("created_by", "approved_by")
        .prefetch_related("lines")
        .annotate(line_count=Count("lines"))
        .order_by("updated_at", "pk")
    )
    links = cashier_links(orders)
    holds = pay_holds(orders)
    for order in orders:
        order.amount_fen = _amount_fen(order)
        order.hold = holds.get(order.pk, "")
        order.payable = can_pay(order) and not order.hold
        order.cashier_url = "" if order.hold else links.get(order.pk, "")
    return render(request, "purchasing/checkout/pay.html", {"orders": orders})


@require_POST
@staff_page("purchasing.pay_order")
def pay_confirm(request: HttpRequest) -> HttpResponse:
    """First POST: the confirmation (what will be paid, the total). With `confirmed`: pay."""
    form = PayBatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("checkout:pay")
    orders = PurchaseOrder.objects.filter(pk__in=form.order_ids).prefetch_related("lines")
    orders = orders.order_by("pk")
    payable, refused = _payable(orders)
    total = sum(order.amount_fen for order in payable)
    context = {"orders": payable, "refused": refused, "total_fen": total, "warning": ""}
    if "confirmed" in request.POST and payable:
        if form.cleaned_data.get("total_fen") != total or refused:
            context["warning"] = _(
                "What would be paid changed since the confirmation was shown: check it again."
            )
        else:
            try:
                order_pay(orders=payable, actor=request.user)
            except (OrderError, UpstreamError) as exc:
                context["warning"] = _error_text(exc)
            else:
                query = "&".join(f"order={order.pk}" for order in payable)
                return redirect(f"{reverse('checkout:pay_result')}?{query}")
    return render(request, "purchasing/checkout/pay_confirm.html", context)


@require_GET
@staff_page("purchasing.pay_order")
def pay_result(request: HttpRequest) -> HttpResponse:
    """Each order of a paid batch and its payment, polled while any is still paying."""
    ids = as_ids(request.GET.getlist("order"))[:200]
    orders = list(PurchaseOrder.objects.filter(pk__in=ids).order_by("pk"))
    attempts: dict[int, PaymentAttempt] = {}
    for attempt in PaymentAttempt.objects.filter(order_id__in=ids).order_by("pk"):
        attempts[attempt.order_id] = attempt  # the latest per order
    links = cashier_links(orders)
    for order in orders:
        order.attempt = attempts.get(order.pk)
        order.page_url = order_page_url(order)
        order.cashier_url = links.get(order.pk, "")
    context = {
        "orders": orders,
        "moving": any(order.status in MOVING for order in orders),
        "paid_fen": sum(o.actual_fen or 0 for o in orders if o.status == OrderStatus.PAID),
    }
    return render(request, "purchasing/checkout/pay_result.html", context)
