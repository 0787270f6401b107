"""Order pages: the list with filters and bulk actions, one order with its timeline and the
actions its state allows, and the exceptions queue.

Views call services only. Anything that spends money or cannot be undone goes through a
confirmation page first; a refusal (OrderError) or an upstream failure is a sentence on the
page, never a server error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purchasing.forms_orders import (
    BULK_ACTIONS,
    BulkForm,
    ClearAttentionForm,
    OrderFilterForm,
    VoucherForm,
    WarehouseForm,
)
from purchasing.models import PaymentAttempt, Platform, PurchaseOrder, PurchaseOrderLine
from purchasing.money import format_cny
from purchasing.permissions import staff_page
from purchasing.selectors.orders import exceptions_queue
from purchasing.services.orders.approval import approval_limit
from purchasing.services.orders.attention import MAY_CLEAR, order_clear_attention
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.lifecycle import (
    LOCAL_CANCEL,
    order_cancel,
    order_confirm_receipt,
    order_im_link,
    order_logistics,
    order_refresh,
    order_update_warehouse,
)
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.submit import order_submit
from purchasing.services.orders.voucher import VOUCHER_STATES, order_upload_voucher
from purchasing.statuses import FINAL, RANK, OrderStatus
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError
from upstream.models import CallJournal

S = OrderStatus
VIEW = "purchasing.view_orders"
PAGE_SIZE = 50
POLLING = (S.SUBMITTING, S.PAYING)  # the status area reloads itself while in these states
LIVE_PAYMENT = (
    PaymentAttempt.Status.PENDING,
    PaymentAttempt.Status.SUCCEEDED,
    PaymentAttempt.Status.UNKNOWN,
)
RESULTS_KEY = "orders_bulk_results"


def sentence(text: str) -> str:
    """A service's refusal as a sentence: capital first, full stop last."""
    text = str(text).strip()
    if not text:
        return "Refused."
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _failure(exc: Exception) -> str:
    if isinstance(exc, UpstreamError):
        return upstream_message(exc)
    return sentence(str(exc))


def order_total(order: PurchaseOrder) -> int:
    """The best total we know: paid, else what the upstream asks, else accepted, else quoted."""
    for fen in (order.actual_fen, order.upstream_total_fen, order.budget_fen):
        if fen is not None:
            return fen
    return order.quoted_total_fen


def _pay_amount(order: PurchaseOrder) -> int:
    """What order_pay records on the attempt (the task pays what the upstream asks, up to the
    accepted total plus the tolerance)."""
    return order.upstream_total_fen or order.budget_fen or 0


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# -- the list ----------------------------------------------------------------------------------
def filtered_orders(form: OrderFilterForm) -> QuerySet:
    """The orders the filters choose, newest first (invalid filters are left out)."""
    orders = PurchaseOrder.objects.select_related("created_by").order_by("-created_at", "-pk")
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if data.get("status"):
        orders = orders.filter(status=data["status"])
    if data.get("platform"):
        orders = orders.filter(platform=data["platform"])
    if data.get("purchaser"):
        orders = orders.filter(created_by=data["purchaser"])
    if data.get("date_from"):
        orders = orders.filter(created_at__date__gte=data["date_from"])
    if data.get("date_to"):
        orders = orders.filter(created_at__date__lte=data["date_to"])
    if data.get("attention") == "yes":
        orders = orders.filter(needs_attention=True)
    elif data.get("attention") == "no":
        orders = orders.filter(needs_attention=False)
    seller = (data.get("seller") or "").strip()
    if seller:
        lines = PurchaseOrderLine.objects.filter(
            Q(seller_id=seller) | Q(seller_name__icontains=seller)
        ).values("order_id")
        orders = orders.filter(
            Q(seller_id=seller) | Q(seller_name__icontains=seller) | Q(pk__in=lines)
        )
    q = (data.get("q") or "").strip()
    if q:
        # Any id a person may hold: ours, the upstream order's id or number (one of several
        # for a 1688 order across sellers), a sub-order, an item or SKU of a line.
        lines = PurchaseOrderLine.objects.filter(
            Q(upstream_sub_order_id=q) | Q(upstream_order_id=q) | Q(item_id=q) | Q(sku_id=q)
        ).values("order_id")
        orders = orders.filter(
            Q(reference__icontains=q)
            | Q(upstream_order_id=q)
            | Q(upstream_order_no=q)
            | Q(upstream_order_ids__icontains=f'"{q}"')
            | Q(pk__in=lines)
        )
    return orders


def _bulk_permissions(user: Any) -> dict[str, bool]:
    return {action: user.has_perm(perm) for action, (perm, _label) in BULK_ACTIONS.items()}


@require_GET
@staff_page(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET or None)
    orders = filtered_orders(form)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for order in rows:
        order.total_fen = order_total(order)
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(value for key, value in request.GET.items() if key != "page")
    can = _bulk_permissions(request.user)
    return render(
        request,
        "purchasing/orders.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "filtered": filtered,
            "can": can,
            "can_bulk": any(can.values()),
            "here": request.get_full_path(),
        },
    )


# -- bulk actions: a confirmation page, then the services, then what happened ------------------
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
            if order.status == S.PREVIEWED:
                if order.quoted_total_fen > limit:
                    text = (
                        f"Its latest preview is accepted. At {format_cny(order.quoted_total_fen)}"
                        f" it is above your limit of {format_cny(limit)}, so it will wait for an"
                        " approver."
                    )
                else:
                    text = "Its latest preview is accepted and it is created upstream."
                rows.append(PlanRow(order, True, text, order.quoted_total_fen))
            elif order.status == S.APPROVED:
                rows.append(PlanRow(order, True, "It is created upstream.", order.budget_fen))
            elif order.status == S.SUBMITTING:
                rows.append(PlanRow(order, False, "It is already being submitted."))
            else:
                rows.append(PlanRow(order, False, f"It is {status}: it cannot be submitted."))
        elif action == "pay":
            amount = _pay_amount(order)
            if order.has_live_payment:
                rows.append(PlanRow(order, False, "It is already paid or being paid: skipped."))
            elif order.status != S.AWAITING_PAYMENT:
                rows.append(
                    PlanRow(order, False, f"It is {status}: only an unpaid order can be paid.")
                )
            elif order.needs_attention:
                reason = order.attention_reason or "see the order"
                rows.append(PlanRow(order, False, sentence(f"It needs attention first: {reason}")))
            else:
                ids = ", ".join(order.upstream_ids) or "-"
                text = f"{format_cny(amount)} is paid for upstream order {ids}."
                rows.append(PlanRow(order, True, text, amount))
        else:  # cancel
            if order.status in LOCAL_CANCEL:
                text = "It is cancelled here; nothing was sent upstream yet."
                rows.append(PlanRow(order, True, text))
            elif order.status == S.AWAITING_PAYMENT:
                ids = ", ".join(order.upstream_ids)
                rows.append(PlanRow(order, True, f"Upstream order {ids} is closed, then ours."))
            else:
                rows.append(
                    PlanRow(order, False, f"It is {status}: only an unpaid order can be cancelled.")
                )
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
                refused = "Nothing was paid: " + _failure(exc)
        for row in plan:
            if not row.will:
                report(row.order, False, row.text)
            elif refused:
                report(row.order, False, refused)
            elif row.order.pk in attempts:
                now = PurchaseOrder.objects.get(pk=row.order.pk)
                amount = format_cny(attempts[row.order.pk].amount_fen)
                report(
                    row.order,
                    True,
                    f"Payment of {amount} requested; it is now {now.get_status_display().lower()}.",
                )
            else:
                report(row.order, False, "It was already paid or being paid: skipped.")
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
        verb = "Submitted" if action == "submit" else "Cancelled"
        if now.status == S.AWAITING_APPROVAL:
            report(order, True, "Waiting for an approver: its total is above your limit.")
        else:
            report(order, True, f"{verb}; it is now {now.get_status_display().lower()}.")
    return results


@require_POST
@staff_page(VIEW)
def bulk(request: HttpRequest) -> HttpResponse:
    """POST from the list or an order page: the confirmation page. POST with confirmed: do it."""
    back = _safe_next(request, reverse("orders:index"))
    form = BulkForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, errors[0] if errors else "Choose an action and orders.")
        return redirect(back)
    action = form.cleaned_data["action"]
    permission, label = BULK_ACTIONS[action]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    orders = _load(form.cleaned_data["orders"])
    if not orders:
        messages.error(request, "None of the chosen orders exist any more.")
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
            request.session[RESULTS_KEY] = {"action": label, "results": results, "back": back}
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


# -- one order ---------------------------------------------------------------------------------
def allowed_actions(order: PurchaseOrder, user: Any) -> dict[str, bool]:
    """The actions this person may take on the order in its present state."""
    status, has = order.status, user.has_perm
    taobao = order.platform == Platform.TAOBAO
    created = bool(order.upstream_ids)
    return {
        "confirm": status == S.PREVIEWED and has("purchasing.create_order"),
        "submit": status == S.APPROVED and has("purchasing.submit_order"),
        "pay": status == S.AWAITING_PAYMENT
        and not order.needs_attention
        and has("purchasing.pay_order"),
        "cancel": (status in LOCAL_CANCEL or status == S.AWAITING_PAYMENT)
        and has("purchasing.create_order"),
        "refresh": created
        and status not in FINAL
        and (has("purchasing.create_order") or has("purchasing.pay_order")),
        "receipt": order.platform == Platform.ALIBABA
        and status == S.SHIPPED
        and has("purchasing.create_order"),
        "im": taobao and status != S.DRAFT,
        "logistics": created and RANK.get(status, -1) >= RANK[S.PAID],
        "warehouse": taobao
        and created
        and status in (S.AWAITING_PAYMENT, S.PAID)
        and has("purchasing.create_order"),
        "voucher": taobao and created and status in VOUCHER_STATES and has("purchasing.pay_order"),
        "clear_attention": order.needs_attention and any(has(p) for p in MAY_CLEAR),
    }


def _checkout_url(order: PurchaseOrder) -> str | None:
    """The checkout preview page, once the checkout pages provide it."""
    try:
        return reverse("checkout:preview", kwargs={"pk": order.pk})
    except NoReverseMatch:
        return None


def _props(properties: Any) -> str:
    parts = []
    for prop in properties or []:
        if isinstance(prop, dict):
            name = prop.get("prop_name") or prop.get("propName") or prop.get("name") or ""
            value = prop.get("value_name") or prop.get("valueName") or prop.get("value") or ""
            parts.append(f"{name}: {value}" if name else str(value))
        else:
            parts.append(str(prop))
    return "; ".join(parts)


def _status_context(order: PurchaseOrder) -> dict[str, Any]:
    return {
        "order": order,
        "events": list(order.events.select_related("actor")),
        "polling": order.status in POLLING,
    }


def _get_order(pk: int) -> PurchaseOrder:
    return get_object_or_404(
        PurchaseOrder.objects.select_related(
            "created_by", "approved_by", "submitted_by", "paid_by"
        ),
        pk=pk,
    )


@require_GET
@staff_page(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _get_order(pk)
    lines = list(order.lines.all())
    for line in lines:
        line.props_text = _props(line.properties)
    accepted = (
        order.previews.filter(accepted_at__isnull=False)
        .select_related("accepted_by")
        .order_by("-pk")
        .first()
    )
    latest = order.previews.order_by("-pk").first()
    journal = list(
        CallJournal.objects.filter(outer_ref=order.reference).order_by("-created_at", "-id")[:100]
    )
    address = order.address or {}
    context = {
        **_status_context(order),
        "lines": lines,
        "total_fen": order_total(order),
        "accepted": accepted,
        "latest": latest if latest is not None and latest != accepted else None,
        "journal": journal,
        "upstream_messages": list(order.messages.all()[:50]),
        "payments": list(order.payments.all()),
        "actions": allowed_actions(order, request.user),
        "checkout_url": _checkout_url(order),
        "clear_form": ClearAttentionForm(),
        "warehouse_form": WarehouseForm(
            initial={
                "warehouse_name": address.get("warehouse") or address.get("name", ""),
                "warehouse_address": address.get("address", ""),
            }
        ),
        "voucher_form": VoucherForm(),
        "here": request.get_full_path(),
    }
    return render(request, "purchasing/orders/detail.html", context)


@require_GET
@staff_page(VIEW)
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status area (status, attention, timeline), polled while submitting or paying. When
    the status moved, the whole page reloads so the actions match the new state."""
    order = _get_order(pk)
    response = render(request, "purchasing/orders/partials/status.html", _status_context(order))
    if request.GET.get("was") and request.GET["was"] != order.status:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@staff_page(VIEW)
def logistics(request: HttpRequest, pk: int) -> HttpResponse:
    order = _get_order(pk)
    context: dict[str, Any] = {"order": order, "traces": [], "error": ""}
    try:
        context["traces"] = order_logistics(order=order)
    except (OrderError, UpstreamError) as exc:
        context["error"] = _failure(exc)
    return render(request, "purchasing/orders/partials/logistics.html", context)


@require_GET
@staff_page(VIEW)
def im(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the upstream for the chat link and go there (the link opens in a new tab)."""
    order = _get_order(pk)
    try:
        url = order_im_link(order=order)
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _failure(exc))
        return redirect("orders:detail", pk=pk)
    if not url.startswith(("https://", "http://")):
        messages.error(request, "The upstream gave no chat link for this order.")
        return redirect("orders:detail", pk=pk)
    return redirect(url)


def _require_any(user: Any, *permissions: str) -> None:
    if not any(user.has_perm(p) for p in permissions):
        raise PermissionDenied


def _done(request: HttpRequest, pk: int, ok: str, call, *args: Any, **kwargs: Any) -> HttpResponse:
    """Call a service; its success or its refusal as a message on the order page."""
    try:
        call(*args, **kwargs)
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _failure(exc))
    else:
        messages.success(request, ok)
    return redirect("orders:detail", pk=pk)


@require_POST
@staff_page(VIEW)
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    _require_any(request.user, "purchasing.create_order", "purchasing.pay_order")
    order = _get_order(pk)
    if not order.upstream_ids:
        messages.error(request, "The order is not created upstream yet: nothing to refresh.")
        return redirect("orders:detail", pk=pk)
    return _done(request, pk, "Refreshed from the upstream.", order_refresh, order_id=order.pk)


@require_http_methods(["GET", "POST"])
@staff_page(VIEW)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm receipt (1688): it cannot be undone, so GET asks first."""
    _require_any(request.user, "purchasing.create_order")
    order = _get_order(pk)
    if request.method == "GET":
        return render(request, "purchasing/orders/confirm_receipt.html", {"order": order})
    return _done(
        request,
        pk,
        "Receipt confirmed: the order is at the warehouse.",
        order_confirm_receipt,
        order=order,
        actor=request.user,
    )


@require_POST
@staff_page(VIEW)
def warehouse(request: HttpRequest, pk: int) -> HttpResponse:
    _require_any(request.user, "purchasing.create_order")
    order = _get_order(pk)
    form = WarehouseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the warehouse's name and address.")
        return redirect("orders:detail", pk=pk)
    return _done(
        request,
        pk,
        f"Warehouse changed to {form.cleaned_data['warehouse_name']}.",
        order_update_warehouse,
        order=order,
        actor=request.user,
        **form.cleaned_data,
    )


@require_POST
@staff_page(VIEW)
def voucher(request: HttpRequest, pk: int) -> HttpResponse:
    _require_any(request.user, "purchasing.pay_order")
    order = _get_order(pk)
    form = VoucherForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.errors["voucher"][0])
        return redirect("orders:detail", pk=pk)
    upload = form.cleaned_data["voucher"]
    return _done(
        request,
        pk,
        f"Payment voucher {upload.name} uploaded.",
        order_upload_voucher,
        order=order,
        actor=request.user,
        content=form.content,
        filename=upload.name,
    )


@require_POST
@staff_page(VIEW)
def clear_attention(request: HttpRequest, pk: int) -> HttpResponse:
    _require_any(request.user, *MAY_CLEAR)
    order = _get_order(pk)
    form = ClearAttentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["comment"][0])
        return redirect("orders:detail", pk=pk)
    return _done(
        request,
        pk,
        "Attention cleared.",
        order_clear_attention,
        order=order,
        actor=request.user,
        comment=form.cleaned_data["comment"],
    )


# -- the exceptions queue ----------------------------------------------------------------------
@require_GET
@staff_page(VIEW)
def exceptions(request: HttpRequest) -> HttpResponse:
    rows = exceptions_queue()
    return render(request, "purchasing/orders/exceptions.html", {"rows": rows})


def attention_panel(user: Any, limit: int = 10) -> dict[str, Any]:
    """The dashboard's "Needs attention" panel: the queue's first rows and its length."""
    if not user.has_perm(VIEW):
        return {"attention_allowed": False}
    rows = exceptions_queue()
    return {
        "attention_allowed": True,
        "attention_rows": rows[:limit],
        "attention_count": len(rows),
        "attention_more": max(0, len(rows) - limit),
    }
