"""What one order's page does: refresh, confirm receipt, warehouse, voucher (and its download),
clear attention."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purchasing.files import stored_file_response
from purchasing.forms_input import error_sentences
from purchasing.forms_orders import ClearAttentionForm, VoucherForm, WarehouseForm
from purchasing.models import PaymentVoucher
from purchasing.permissions import staff_page
from purchasing.rules import MAY_CLEAR
from purchasing.services.orders.attention import order_clear_attention
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.lifecycle import (
    order_confirm_receipt,
    order_refresh,
    order_update_warehouse,
)
from purchasing.services.orders.voucher import order_upload_voucher
from purchasing.views.orders.common import VIEW, _failure, _get_order
from upstream.errors import UpstreamError


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
        messages.error(request, _("The order is not created upstream yet: nothing to refresh."))
        return redirect("orders:detail", pk=pk)
    return _done(request, pk, _("Refreshed from the upstream."), order_refresh, order_id=order.pk)


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
        _("Receipt confirmed: the order is at the warehouse."),
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
        messages.error(
            request,
            _("Give the warehouse's name and address. %(error)s")
            % {"error": error_sentences(form)[0]},
        )
        return redirect("orders:detail", pk=pk)
    return _done(
        request,
        pk,
        _("Warehouse changed to %(name)s.") % {"name": form.cleaned_data["warehouse_name"]},
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
        _("Payment voucher %(name)s uploaded.") % {"name": upload.name},
        order_upload_voucher,
        order=order,
        actor=request.user,
        content=form.content,
        filename=upload.name,
    )


@require_GET
@staff_page(VIEW)
def voucher_file(request: HttpRequest, pk: int, voucher_pk: int) -> HttpResponseBase:
    """A voucher kept for order `pk`, to those who may pay (the same as may upload one)."""
    _require_any(request.user, "purchasing.pay_order")
    found = PaymentVoucher.objects.filter(pk=voucher_pk, order_id=pk).first()
    if found is None:
        raise Http404("No such voucher.")
    return stored_file_response(
        found.file, filename=found.file_name, content_type=found.content_type
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
        _("Attention cleared."),
        order_clear_attention,
        order=order,
        actor=request.user,
        comment=form.cleaned_data["comment"],
        accept_total=form.cleaned_data["accept_total"],
    )
