"""One order: its page with the timeline and allowed actions, status, logistics and chat."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from purchasing.forms_orders import ClearAttentionForm, VoucherForm, WarehouseForm
from purchasing.models import PurchaseOrder
from purchasing.permissions import is_admin, staff_page
from purchasing.rules import awaits_payment, order_actions
from purchasing.selectors.calls import calls_about
from purchasing.selectors.orders import cashier_links, named_sellers, pay_hold, seller_names
from purchasing.services.orders.attention import moved_total
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.lifecycle import order_im_link, order_logistics
from purchasing.services.orders.lookup import describe
from purchasing.statuses import OrderStatus
from purchasing.variants import variant_words
from purchasing.views.orders.common import VIEW, _failure, _get_order, order_total
from upstream.errors import UpstreamError

POLLING = (
    OrderStatus.SUBMITTING,
    OrderStatus.PAYING,
)  # the status area reloads itself while in these states


def _flag_holds_pay(order: PurchaseOrder, user: Any, actions: dict[str, bool]) -> str:
    """For whoever pays: why an unpaid order offers no *Pay* (its flag), and who lifts it."""
    if actions["pay"] or actions["cashier"] or not user.has_perm("purchasing.pay_order"):
        return ""
    if not (awaits_payment(order) and order.needs_attention):
        return ""
    if actions["clear_attention"]:
        return _("it can be paid once the flag above is cleared.")
    return _("it can be paid once a purchaser clears the flag above.")


def _checkout_url(order: PurchaseOrder) -> str | None:
    """The checkout preview page, once the checkout pages provide it."""
    try:
        return reverse("checkout:preview", kwargs={"pk": order.pk})
    except NoReverseMatch:
        return None


def _status_context(order: PurchaseOrder) -> dict[str, Any]:
    return {
        "order": order,
        "events": list(order.events.select_related("actor")),
        "polling": order.status in POLLING,
    }


@require_GET
@staff_page(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _get_order(pk)
    lines = list(order.lines.all())
    for line in lines:
        # A line written other than by order_create may lack the words: read its properties.
        line.props_text = line.variant or variant_words(line.properties)
    accepted = (
        order.previews.filter(accepted_at__isnull=False)
        .select_related("accepted_by")
        .order_by("-pk")
        .first()
    )
    latest = order.previews.order_by("-pk").first()
    names = seller_names(order)
    for preview in (accepted, latest):
        if preview is not None:
            preview.sellers = named_sellers(preview.sellers or [], names)
    adoption = order.adoption or {}
    address = order.address or {}
    cashier_url = cashier_links([order]).get(order.pk, "")
    actions = order_actions(order, request.user, cashier_url=cashier_url)
    hold = pay_hold(order) if awaits_payment(order) else ""
    if hold:
        actions["pay"] = actions["cashier"] = False
    else:
        hold = _flag_holds_pay(order, request.user, actions)
    context = {
        **_status_context(order),
        "lines": lines,
        "total_fen": order_total(order),
        "accepted": accepted,
        "latest": latest if latest is not None and latest != accepted else None,
        "journal": calls_about(order),
        "adoption_state": adoption.get("state", ""),
        "candidates": [
            {**record, "words": describe(record)} for record in adoption.get("candidates", [])
        ],
        # The journal's rows open in the Django admin, which only admins may use.
        "journal_links": is_admin(request.user),
        "upstream_messages": list(order.messages.all()[:50]),
        "payments": list(order.payments.all()),
        # The vouchers sent for this order, to those who may pay (who alone may download them).
        "vouchers": (
            list(order.vouchers.select_related("uploaded_by"))
            if request.user.has_perm("purchasing.pay_order")
            else []
        ),
        "actions": actions,
        "pay_hold": hold,
        "cashier_url": cashier_url,
        "checkout_url": _checkout_url(order),
        "clear_form": ClearAttentionForm(),
        "moved_total": moved_total(order),
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
        messages.error(request, _("The upstream gave no chat link for this order."))
        return redirect("orders:detail", pk=pk)
    return redirect(url)
