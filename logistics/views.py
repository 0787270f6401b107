"""Staff pages of addresses, freight and parcels. Views call services only; every refusal is
a sentence on the page, never a 500."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from logistics.forms import AddressForm, FreightForm, ParcelFilterForm, ParcelForm
from logistics.models import Address, Parcel, ParcelStatus
from logistics.selectors import parcels as parcels_of
from logistics.selectors import warehouse_lines
from logistics.services import (
    Busy,
    Customs,
    LogisticsError,
    address_save,
    addresses_pull,
    consolidation,
    freight_estimate,
    parcel_book,
    parcel_cancel,
    parcel_create,
    parcel_refresh,
)
from logistics.validation import AddressInvalid, needs_tax_id
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.permissions import staff_page
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

PERM = "purchasing.manage_logistics"
PAGE_SIZE = 25
LINES_SHOWN = 200


def _problem(exc: Exception) -> str:
    if isinstance(exc, UpstreamError):
        return upstream_message(exc)
    if isinstance(exc, Busy):
        return "The booking call may still be in flight. Try again in a minute."
    text = str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


@staff_page(PERM)
def index(request: HttpRequest) -> HttpResponse:
    form = ParcelFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    rows = parcels_of(status=data.get("status") or "", country=(data.get("country") or "").strip())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    lines = list(warehouse_lines()[:LINES_SHOWN])
    return render(
        request,
        "logistics/index.html",
        {
            "form": form,
            "page": page,
            "parcels": list(page.object_list),
            "query": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "lines": lines,
            "overdue_count": sum(1 for line in lines if line.overdue),
        },
    )


# --- address book -----------------------------------------------------------------------


def _address_initial(address: Address) -> dict:
    fields = AddressForm.base_fields
    return {name: getattr(address, name) for name in fields}


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def addresses(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    address = get_object_or_404(Address, pk=pk) if pk else None
    if request.method == "POST":
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                saved = address_save(data=form.cleaned_data, address=address, actor=request.user)
            except AddressInvalid as exc:
                for field, problems in exc.errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            except (LogisticsError, UpstreamError) as exc:
                messages.warning(request, _problem(exc))
                return redirect("logistics:addresses")
            else:
                messages.success(request, f"Saved {saved.name} and synced it upstream.")
                return redirect("logistics:addresses")
        status = 400
    else:
        form = AddressForm(initial=_address_initial(address) if address else None)
        status = 200
    book = Address.objects.all()
    return render(
        request,
        "logistics/addresses.html",
        {"form": form, "address": address, "book": book},
        status=status,
    )


@require_POST
@staff_page(PERM)
def addresses_pull_view(request: HttpRequest) -> HttpResponse:
    try:
        pulled = addresses_pull(actor=request.user)
    except (LogisticsError, UpstreamError) as exc:
        messages.error(request, _problem(exc))
    else:
        plural = "es" if len(pulled) != 1 else ""
        messages.success(request, f"Pulled {len(pulled)} address{plural} from upstream.")
    return redirect("logistics:addresses")


@require_POST
@staff_page(PERM)
def address_default(request: HttpRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(Address, pk=pk)
    data = {**_address_initial(address), "is_default_warehouse": True}
    try:
        if address.kind != Address.Kind.WAREHOUSE:
            raise LogisticsError("only a warehouse address can be the default warehouse")
        address_save(data=data, address=address, actor=request.user)
    except AddressInvalid as exc:
        messages.error(request, f"Fix this address first: {exc}.")
    except (LogisticsError, UpstreamError) as exc:
        messages.error(request, _problem(exc))
    else:
        messages.success(request, f"{address.name} is now the default warehouse.")
    return redirect("logistics:addresses")


# --- freight estimate ---------------------------------------------------------------------


@staff_page(PERM)
def freight(request: HttpRequest) -> HttpResponse:
    form = FreightForm(request.GET or None)
    estimate, problem = None, ""
    if request.GET and form.is_valid():
        data = form.cleaned_data
        if data["lines"]:
            items = list(PurchaseOrderLine.objects.filter(pk__in=data["lines"]))
        else:
            items = [
                {"item_id": data["item_id"], "sku_id": data["sku_id"],
                 "quantity": data["quantity"] or 1}
            ]  # fmt: skip
        destination = data["address"] or {
            "country": data["country"].strip().upper(), "city": data["city"],
            "postcode": data["postcode"],
        }  # fmt: skip
        try:
            if not items:
                raise LogisticsError("no such order lines")
            estimate = freight_estimate(items=items, destination=destination)
        except (LogisticsError, UpstreamError, ValueError) as exc:
            problem = _problem(exc)
    return render(
        request, "logistics/freight.html", {"form": form, "estimate": estimate, "problem": problem}
    )


# --- building a parcel -------------------------------------------------------------------


def _line_ids(request: HttpRequest) -> list[int]:
    source = request.POST if request.method == "POST" else request.GET
    return [int(v) for v in source.getlist("lines") if v.isdigit()]


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def parcel_new(request: HttpRequest) -> HttpResponse:
    ids = _line_ids(request)
    lines = list(PurchaseOrderLine.objects.filter(pk__in=ids).select_related("order"))
    customers = list(Address.objects.filter(kind=Address.Kind.CUSTOMER))
    source = request.POST if request.method == "POST" else request.GET
    address = next((a for a in customers if str(a.pk) == source.get("address")), None)
    form = ParcelForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        if address is None:
            problem = "Choose the customer address."
        else:
            data = form.cleaned_data
            customs = Customs(
                declared_value_fen=int(data["declared_value"] * Decimal(100)),
                description=data["description"], tax_id=data["tax_id"],
            )  # fmt: skip
            try:
                parcel = parcel_create(
                    lines=lines, address=address, service=data["service"], customs=customs,
                    actor=request.user,
                )  # fmt: skip
            except (LogisticsError, UpstreamError) as exc:
                problem = _problem(exc)
            else:
                return redirect("logistics:parcel_book", pk=parcel.pk)
    estimate = None
    if lines and address is not None:
        try:
            estimate = freight_estimate(items=lines, destination=address)
        except (LogisticsError, UpstreamError, ValueError) as exc:
            problem = problem or _problem(exc)
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
        },
        status=400 if problem else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def parcel_book_view(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(Parcel.objects.select_related("address"), pk=pk)
    if parcel.status != ParcelStatus.DRAFT:
        return redirect("logistics:parcel", pk=parcel.pk)
    if request.method == "POST":
        try:
            parcel = parcel_book(parcel=parcel, actor=request.user)
        except (LogisticsError, UpstreamError, Busy) as exc:
            messages.error(request, _problem(exc))
        else:
            parcel.refresh_from_db()
            messages.success(request, f"{parcel.reference}: {parcel.get_status_display().lower()}.")
        return redirect("logistics:parcel", pk=parcel.pk)
    lines = parcel.parcel_lines.filter(active=True).select_related("line__order")
    return render(request, "logistics/parcel_book.html", {"parcel": parcel, "lines": lines})


# --- one parcel ---------------------------------------------------------------------------


@staff_page(PERM)
def parcel(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(Parcel.objects.select_related("address"), pk=pk)
    return render(
        request,
        "logistics/parcel.html",
        {
            "parcel": parcel,
            "lines": parcel.parcel_lines.select_related("line__order"),
            "events": parcel.events.all(),
            "can_cancel": parcel.status in (ParcelStatus.DRAFT, ParcelStatus.FAILED),
        },
    )


@require_POST
@staff_page(PERM)
def parcel_refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(Parcel, pk=pk)
    try:
        parcel = parcel_refresh(parcel_id=parcel.pk)
    except (LogisticsError, UpstreamError) as exc:
        messages.error(request, _problem(exc))
    else:
        messages.success(request, f"Tracking read: {parcel.get_status_display().lower()}.")
    return redirect(reverse("logistics:parcel", args=[pk]))


@require_POST
@staff_page(PERM)
def parcel_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(Parcel, pk=pk)
    try:
        parcel_cancel(parcel=parcel, actor=request.user, reason=request.POST.get("reason", ""))
    except (LogisticsError, UpstreamError) as exc:
        messages.error(request, _problem(exc))
    else:
        messages.success(request, f"{parcel.reference} cancelled; its lines are free again.")
    return redirect("logistics:parcel", pk=pk)
