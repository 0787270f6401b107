"""Bulk actions on orders: a confirmation page, then the services, then what happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from purchasing.forms_orders import BULK_ACTIONS, BulkForm
from purchasing.glossary import attention
from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.money import format_cny
from purchasing.permissions import staff_page
from purchasing.rules import (
    awaits_payment,
    can_approve,
    can_cancel,
    can_confirm,
    can_pay,
    can_submit,
    cancels_locally,
    is_submitting,
)
from purchasing.selectors.orders import pay_hold
from purchasing.services.orders.approval import approval_limit, needs_approval
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.lifecycle import order_cancel
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.submit import order_submit
from purchasing.views.back import page_of_this_site
from purchasing.views.orders.common import VIEW, _failure, sentence
from upstream.errors import UpstreamError

LIVE_PAYMENT = (
    PaymentAttempt.Status.PENDING,
    PaymentAttempt.Status.SUCCEEDED,
    PaymentAttempt.Status.UNKNOWN,
)
RESULTS_KEY = "orders_bulk_results"


def _pay_amount(order: PurchaseOrder) -> int:
    """What order_pay records on the attempt (the task pays what the upstream asks, up to the
    accepted total plus the tolerance)."""
    return order.upstream_total_fen or order.budget_fen or 0


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return page_of_this_site(request, target) or default


@dataclass
class PlanRow:
    order: PurchaseOrder
    will: bool  # the action will be attempted on this order
    text: str  # what will happen, or why not
    amount_fen: int | None = None


def plan_bulk(action: str, orders: list[PurchaseOrder], user: Any) -> list[PlanRow]:
    """What the action would do to each order, said before anything is done."""
    rows = []
    limit = approval_limit(user) if action == "submit" else 0
    for order in orders:
        status = order.get_status_display().lower()
        if action == "submit":
            if can_confirm(order):
                if order.quoted_total_fen > limit:
                    text = gettext(
                        "Its latest preview is accepted. At %(total)s it is above your limit of"
                        " %(limit)s, so it will wait for an approver."
                    ) % {"total": format_cny(order.quoted_total_fen), "limit": format_cny(limit)}
                elif needs_approval(order, user):  # an approval rule asks, below the limit
                    text = gettext(
                        "Its latest preview is accepted. An approval rule asks for approvals, so"
                        " it will wait for approvers."
                    )
                else:
                    text = gettext("Its latest preview is accepted and it is created upstream.")
                rows.append(PlanRow(order, True, text, order.quoted_total_fen))
            elif can_submit(order):
                rows.append(
                    PlanRow(order, True, gettext("It is created upstream."), order.budget_fen)
                )
            elif is_submitting(order):
                rows.append(PlanRow(order, False, gettext("It is already being submitted.")))
            else:
                text = gettext("It is %(status)s: it cannot be submitted.") % {"status": status}
                rows.append(PlanRow(order, False, text))
        elif action == "pay":
            amount = _pay_amount(order)
            if order.has_live_payment:
                text = gettext("It is already paid or being paid: skipped.")
                rows.append(PlanRow(order, False, text))
            elif not awaits_payment(order):
                text = gettext("It is %(status)s: only an unpaid order can be paid.") % {
                    "status": status
                }
                rows.append(PlanRow(order, False, text))
            elif not can_pay(order):
                reason = attention(order) or gettext("see the order")
                text = gettext("It needs attention first: %(reason)s") % {"reason": reason}
                rows.append(PlanRow(order, False, sentence(text)))
            elif hold := pay_hold(order):
                rows.append(PlanRow(order, False, sentence(hold)))
            else:
                ids = ", ".join(order.upstream_ids) or "-"
                text = gettext("%(amount)s is paid for upstream order %(ids)s.") % {
                    "amount": format_cny(amount),
                    "ids": ids,
                }
                rows.append(PlanRow(order, True, text, amount))
        else:  # cancel
            if not can_cancel(order):
                text = gettext("It is %(status)s: only an unpaid order can be cancelled.") % {
                    "status": status
                }
                rows.append(PlanRow(order, False, text))
            elif cancels_locally(order):
                text = gettext("It is cancelled here; nothing was sent upstream yet.")
                rows.append(PlanRow(order, True, text))
            else:
                ids = ", ".join(order.upstream_ids)
                text = gettext("Upstream order %(ids)s is closed, then ours.") % {"ids": ids}
                rows.append(PlanRow(order, True, text))
    return rows


def _load(ids: list[int]) -> list[PurchaseOrder]:
    live = PaymentAttempt.objects.filter(order=OuterRef("pk"), status__in=LIVE_PAYMENT)
    return list(
        PurchaseOrder.objects.filter(pk__in=ids)
        .annotate(has_live_payment=Exists(live))
        .select_related("created_by")
        .order_by("created_at", "pk")
    )


def _run_bulk(action: str, plan: list[PlanRow], user: Any, reason: str) -> list[dict]:
    results: list[dict] = []

    def report(order: PurchaseOrder, ok: bool, text: str) -> None:
        results.append({"pk": order.pk, "reference": order.reference, "ok": ok, "text": text})

    if action == "pay":
        payable = [row.order for row in plan if row.will]
        attempts: dict[int, Any] = {}
        refused = ""
        if payable:
            try:
                attempts = {a.order_id: a for a in order_pay(orders=payable, actor=user)}
            except (OrderError, UpstreamError) as exc:
                refused = gettext("Nothing was paid: %(error)s") % {"error": _failure(exc)}
        for row in plan:
            if not row.will:
                report(row.order, False, row.text)
            elif refused:
                report(row.order, False, refused)
            elif row.order.pk in attempts:
                now = PurchaseOrder.objects.get(pk=row.order.pk)
                amount = format_cny(attempts[row.order.pk].amount_fen)
                text = gettext("Payment of %(amount)s requested; it is now %(status)s.") % {
                    "amount": amount,
                    "status": now.get_status_display().lower(),
                }
                report(row.order, True, text)
            else:
                report(row.order, False, gettext("It was already paid or being paid: skipped."))
        return results

    for row in plan:
        order = row.order
        if not row.will:
            report(order, False, row.text)
            continue
        try:
            if action == "submit":
                order_submit(order=order, actor=user)
            else:
                order_cancel(order=order, actor=user, reason=reason)
        except (OrderError, UpstreamError) as exc:
            report(order, False, _failure(exc))
            continue
        now = PurchaseOrder.objects.get(pk=order.pk)
        status = now.get_status_display().lower()
        if can_approve(now):
            report(order, True, gettext("Waiting for an approver: its total is above your limit."))
        elif action == "submit":
            report(order, True, gettext("Submitted; it is now %(status)s.") % {"status": status})
        else:
            report(order, True, gettext("Cancelled; it is now %(status)s.") % {"status": status})
    return results


@require_POST
@staff_page(VIEW)
def bulk(request: HttpRequest) -> HttpResponse:
    """POST from the list or an order page: the confirmation page. POST with confirmed: do it."""
    back = _safe_next(request, reverse("orders:index"))
    form = BulkForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, errors[0] if errors else gettext("Choose an action and orders."))
        return redirect(back)
    action = form.cleaned_data["action"]
    permission, label = BULK_ACTIONS[action]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    orders = _load(form.cleaned_data["orders"])
    if not orders:
        messages.error(request, gettext("None of the chosen orders exist any more."))
        return redirect(back)
    plan = plan_bulk(action, orders, request.user)
    total = sum(row.amount_fen or 0 for row in plan if row.will)
    changed = False
    if form.cleaned_data["confirmed"]:
        if action == "pay" and request.POST.get("total_fen") != str(total):
            # Someone else paid one, or a price moved, since the page was shown: show it again.
            changed = True
        else:
            reason = form.cleaned_data.get("reason") or ""
            results = _run_bulk(action, plan, request.user, reason)
            request.session[RESULTS_KEY] = {"action": str(label), "results": results, "back": back}
            return redirect("orders:bulk_done")
    return render(
        request,
        "purchasing/orders/confirm_bulk.html",
        {
            "action": action,
            "label": label,
            "plan": plan,
            "will_count": sum(1 for row in plan if row.will),
            "total_fen": total,
            "back": back,
            "changed": changed,
            "form": form,
        },
    )


@require_GET
@staff_page(VIEW)
def bulk_done(request: HttpRequest) -> HttpResponse:
    done = request.session.pop(RESULTS_KEY, None)
    if not done:
        return redirect("orders:index")
    return render(request, "purchasing/orders/bulk_done.html", done)
