"""Step 1: a draft from a cart selection or built by staff, previewed upstream, and its page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purchasing.forms_checkout import ApproverNoteForm, CartSelectionForm, StaffOrderForm
from purchasing.models import PurchaseOrder
from purchasing.permissions import staff_page
from purchasing.services.orders.approval import order_note_approver
from purchasing.services.orders.common import OrderError, warehouse_address
from purchasing.services.orders.preview import (
    order_create_from_cart,
    order_create_from_items,
    order_preview,
)
from purchasing.services.orders.split import order_split
from purchasing.views.checkout.common import MOVING, _error_text, _order_link
from purchasing.views.checkout.display import _page_context
from upstream.errors import UpstreamError


@require_POST
@staff_page("purchasing.create_order")
def from_cart(request: HttpRequest) -> HttpResponse:
    """The cart page's "Preview order": a draft of the ticked lines, previewed upstream."""
    form = CartSelectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Choose Taobao or 1688."))
        return redirect("carts:index")
    data = form.cleaned_data
    try:
        order = order_create_from_cart(
            platform=data["platform"],
            cart_ids=data["cart_ids"],
            address=warehouse_address(),
            actor=request.user,
        )
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("carts:index")
    return _preview_and_show(request, order)


@require_http_methods(["GET", "POST"])
@staff_page("purchasing.create_order")
def new(request: HttpRequest) -> HttpResponse:
    """An order built by hand from item ids, SKU ids and quantities."""
    form = StaffOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_create_from_items(
                platform=form.cleaned_data["platform"],
                items=form.cleaned_data["items"],
                address=warehouse_address(),
                actor=request.user,
            )
        except (OrderError, UpstreamError) as exc:
            form.add_error(None, _error_text(exc))
        else:
            return _preview_and_show(request, order)
    return render(request, "purchasing/checkout/new.html", {"form": form})


def _preview_and_show(request: HttpRequest, order: PurchaseOrder) -> HttpResponse:
    try:
        order_preview(order=order, actor=request.user)
    except (OrderError, UpstreamError) as exc:
        # The draft is kept: the page offers "Preview again".
        messages.error(
            request, _("The upstream preview failed: %(error)s") % {"error": _error_text(exc)}
        )
    return redirect("checkout:preview", pk=order.pk)


@require_GET
@staff_page("purchasing.view_orders")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(PurchaseOrder.objects.select_related("created_by"), pk=pk)
    return render(request, "purchasing/checkout/preview.html", _page_context(request, order))


@require_POST
@staff_page("purchasing.create_order")
def repreview(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(PurchaseOrder, pk=pk)
    try:
        order_preview(order=order, actor=request.user, again=True)
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Previewed again: these are the upstream's numbers now."))
    return redirect("checkout:preview", pk=order.pk)


@require_POST
@staff_page("purchasing.create_order")
def split(request: HttpRequest, pk: int) -> HttpResponse:
    """Split a draft that one create cannot carry into its parts, then preview each part; the
    draft's page lists them."""
    order = get_object_or_404(PurchaseOrder, pk=pk)
    try:
        parts = order_split(order=order, actor=request.user)
    except OrderError as exc:
        messages.error(request, _error_text(exc))
        return redirect("checkout:preview", pk=order.pk)
    messages.success(
        request,
        _("Split into %(count)s orders: %(references)s. Each is confirmed and paid on its own.")
        % {"count": len(parts), "references": ", ".join(part.reference for part in parts)},
    )
    for part in parts:
        try:
            order_preview(order=part, actor=request.user)
        except (OrderError, UpstreamError) as exc:
            messages.error(
                request,
                _("%(reference)s was not previewed: %(error)s")
                % {"reference": part.reference, "error": _error_text(exc)},
            )
    return redirect("checkout:preview", pk=order.pk)


@require_POST
@staff_page("purchasing.create_order")
def note(request: HttpRequest, pk: int) -> HttpResponse:
    """The purchaser's note to the approver, written on the preview."""
    order = get_object_or_404(PurchaseOrder, pk=pk)
    form = ApproverNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return redirect("checkout:preview", pk=order.pk)
    try:
        order_note_approver(order=order, actor=request.user, note=form.cleaned_data["note"])
    except OrderError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The note to the approver is saved."))
    return redirect("checkout:preview", pk=order.pk)


@require_GET
@staff_page("purchasing.view_orders")
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The order's status block, polled by the preview page while the order is moving."""
    order = get_object_or_404(PurchaseOrder, pk=pk)
    context = {"order": order, "moving": order.status in MOVING, **_order_link(order)}
    return render(request, "purchasing/checkout/partials/status.html", context)
