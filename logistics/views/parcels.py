"""Parcels: building one from arrived lines, booking it after a confirmation, following it."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from logistics import rules
from logistics.forms import CancelParcelForm, ParcelForm
from logistics.models import Address, Parcel
from logistics.selectors import freight_converted
from logistics.services import (
    Busy,
    Customs,
    LogisticsError,
    consolidation,
    freight_estimate,
    parcel_book,
    parcel_cancel,
    parcel_create,
    parcel_refresh,
)
from logistics.signals import parcel_address_suggested
from logistics.validation import needs_tax_id
from logistics.views.common import PERM, problem_text
from purchasing.forms_input import as_ids, error_sentences
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.permissions import staff_page
from upstream.errors import UpstreamError


def _line_ids(request: HttpRequest) -> list[int]:
    source = request.POST if request.method == "POST" else request.GET
    return as_ids(source.getlist("lines"))


def _suggested_address(lines: list[PurchaseOrderLine], *, create: bool) -> Address | None:
    """The first customer address the apps built on logistics suggest for these lines (a
    receiver that fails is logged and passed over: the person can still choose)."""
    answers = parcel_address_suggested.send_robust(sender=Parcel, lines=lines, create=create)
    for _receiver, answer in answers:
        if isinstance(answer, Address) and answer.kind == Address.Kind.CUSTOMER:
            return answer
    return None


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def parcel_new(request: HttpRequest) -> HttpResponse:
    ids = _line_ids(request)
    lines = list(PurchaseOrderLine.objects.filter(pk__in=ids).select_related("order"))
    source = request.POST if request.method == "POST" else request.GET
    chosen = source.get("address")
    # Asked before the address book is read: on a POST the suggestion may add its row.
    suggested = None
    if lines and not chosen:
        suggested = _suggested_address(lines, create=request.method == "POST")
    customers = list(Address.objects.filter(kind=Address.Kind.CUSTOMER))
    address = suggested or next((a for a in customers if str(a.pk) == chosen), None)
    form = ParcelForm(request.POST or None)
    problem = ""
    if request.method == "POST" and not form.is_valid():
        # The page shows the other fields' errors next to them.
        problem = " ".join(error_sentences(form, only=("tax_id",)))
    if request.method == "POST" and form.is_valid():
        if address is None:
            problem = _("Choose the customer address.")
        else:
            data = form.cleaned_data
            customs = Customs(
                declared_value_fen=int(data["declared_value"] * Decimal(100)),
                description=data["description"],
                tax_id=data["tax_id"],
            )
            try:
                parcel = parcel_create(
                    lines=lines,
                    address=address,
                    service=data["service"],
                    customs=customs,
                    actor=request.user,
                )
            except (LogisticsError, UpstreamError) as exc:
                problem = problem_text(exc)
            else:
                return redirect("logistics:parcel_book", pk=parcel.pk)
    estimate = None
    if lines and address is not None:
        try:
            estimate = freight_estimate(items=lines, destination=address)
        except (LogisticsError, UpstreamError, ValueError) as exc:
            problem = problem or problem_text(exc)
    order_ids = {line.order_id for line in lines}
    orders = PurchaseOrder.objects.filter(pk__in=order_ids).prefetch_related("lines")
    advice = consolidation(orders=orders) if lines else None
    declared = sum(line.amount_fen or line.unit_price_fen * line.quantity for line in lines)
    return render(
        request,
        "logistics/parcel_new.html",
        {
            "lines": lines,
            "customers": customers,
            "address": address,
            "estimate": estimate,
            "form": form,
            "problem": problem,
            "advice": advice,
            "declared_default": f"{declared / 100:.2f}",
            "needs_tax_id": bool(address and needs_tax_id(address.country)),
            "suggestion_note": getattr(suggested, "suggestion_note", ""),
        },
        status=400 if problem else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def parcel_book_view(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(Parcel.objects.select_related("address"), pk=pk)
    if not rules.can_book(parcel):
        return redirect("logistics:parcel", pk=parcel.pk)
    if request.method == "POST":
        try:
            parcel = parcel_book(parcel=parcel, actor=request.user)
        except (LogisticsError, UpstreamError, Busy) as exc:
            messages.error(request, problem_text(exc))
        else:
            parcel.refresh_from_db()
            messages.success(request, f"{parcel.reference}: {parcel.get_status_display().lower()}.")
        return redirect("logistics:parcel", pk=parcel.pk)
    lines = parcel.parcel_lines.filter(active=True).select_related("line__order")
    converted = freight_converted(fen=parcel.quoted_freight_fen, lines=[p.line for p in lines])
    return render(
        request,
        "logistics/parcel_book.html",
        {"parcel": parcel, "lines": lines, "converted": converted},
    )


# --- one parcel ---------------------------------------------------------------------------


@staff_page(PERM)
def parcel(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(Parcel.objects.select_related("address"), pk=pk)
    lines = list(parcel.parcel_lines.select_related("line__order"))
    freight = parcel.freight_fen if parcel.freight_fen is not None else parcel.quoted_freight_fen
    return render(
        request,
        "logistics/parcel.html",
        {
            "parcel": parcel,
            "converted": freight_converted(fen=freight, lines=[p.line for p in lines]),
            "lines": lines,
            "events": parcel.events.all(),
            "actions": rules.parcel_actions(parcel, request.user),
        },
    )


@require_POST
@staff_page(PERM)
def parcel_refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(Parcel, pk=pk)
    try:
        parcel = parcel_refresh(parcel_id=parcel.pk)
    except (LogisticsError, UpstreamError) as exc:
        messages.error(request, problem_text(exc))
    else:
        messages.success(
            request,
            _("Tracking read: %(status)s.") % {"status": parcel.get_status_display().lower()},
        )
    return redirect(reverse("logistics:parcel", args=[pk]))


@require_POST
@staff_page(PERM)
def parcel_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(Parcel, pk=pk)
    form = CancelParcelForm(request.POST)
    if not form.is_valid():
        for sentence in error_sentences(form):
            messages.error(request, sentence)
        return redirect("logistics:parcel", pk=pk)
    try:
        parcel_cancel(parcel=parcel, actor=request.user, reason=form.cleaned_data["reason"])
    except (LogisticsError, UpstreamError) as exc:
        messages.error(request, problem_text(exc))
    else:
        messages.success(
            request,
            _("%(ref)s cancelled; its lines are free again.") % {"ref": parcel.reference},
        )
    return redirect("logistics:parcel", pk=pk)
