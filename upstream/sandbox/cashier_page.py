"""The sandbox's cashier page: where a refused password-free payment sends a person to pay.

It stands in for the 1688 or Alipay cashier, where someone signed in to the buying account pays
by hand. Signed-in users see the orders it names; a user who may pay orders in Caigou (or an
administrator) pays them here, which records the payment upstream and sends the status
callback, as the real cashier would (orders/cashier.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from upstream.sandbox import statuses as st
from upstream.sandbox.db import atomic
from upstream.sandbox.orders import cashier as svc
from upstream.sandbox.router import SandboxError
from upstream.sandbox.views import ADMIN_PERMISSION

# Who pays in Caigou (purchasing's pay permission): the upstream layer sits below purchasing
# and asks the permission by name, as views.ADMIN_PERMISSION does.
PAY_PERMISSION = "purchasing.pay_order"
MAX_ORDERS = 30  # the most one cashier link names (the Dajisaas payment-link limit)


def _may_pay(user) -> bool:
    return user.has_perm(PAY_PERMISSION) or user.has_perm(ADMIN_PERMISSION)


def _yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


@login_required
def cashier(request: HttpRequest) -> HttpResponse:
    """GET: the orders the link names, with what is left to pay. POST: pay them."""
    if not settings.UPSTREAM_SANDBOX:
        raise Http404(_("The sandbox is off."))
    ids = [i.strip() for i in request.GET.get("orderIds", "").split(",") if i.strip()]
    if not 0 < len(ids) <= MAX_ORDERS:
        raise Http404(_("A cashier link names 1 to 30 orders."))
    try:
        orders = svc.cashier_orders(ids)
    except SandboxError as exc:
        raise Http404(exc.msg) from None
    if request.method == "POST":
        if not _may_pay(request.user):
            messages.error(request, _("You may not pay orders."))
        else:
            _pay(request, orders)
        return redirect(request.get_full_path())
    rows = [
        {
            "order_id": order.order_id,
            "status": order.status,
            "amount": _yuan(order.total_fen),
            "due": st.is_awaiting_payment(order.platform, order.status),
        }
        for order in orders
    ]
    due = sum(
        order.total_fen for order in orders if st.is_awaiting_payment(order.platform, order.status)
    )
    context = {
        "rows": rows,
        "due": _yuan(due) if due else "",
        "may_pay": _may_pay(request.user),
    }
    return render(request, "sandbox/cashier.html", context)


def _pay(request: HttpRequest, orders: list) -> None:
    """Pay every order still due, all or none (one transaction)."""
    try:
        with atomic():
            paid = [
                svc.pay_at_cashier(order)
                for order in orders
                if st.is_awaiting_payment(order.platform, order.status)
            ]
    except SandboxError as exc:
        messages.error(request, _("Refused: %(reason)s") % {"reason": exc.msg})
        return
    total = sum(payment.amount_fen for payment in paid)
    messages.success(
        request,
        _("Paid %(amount)s at the cashier for %(n)s order(s).")
        % {"amount": _yuan(total), "n": len(paid)},
    )
