"""The address book: warehouse and customer addresses, synced with the upstream."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from logistics.forms import AddressForm
from logistics.models import Address
from logistics.services import LogisticsError, address_save, addresses_pull
from logistics.validation import AddressInvalid
from logistics.views.common import PERM, problem_text
from purchasing.permissions import staff_page
from upstream.errors import UpstreamError


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
                messages.warning(request, problem_text(exc))
                return redirect("logistics:addresses")
            else:
                messages.success(
                    request, _("Saved %(name)s and synced it upstream.") % {"name": saved.name}
                )
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
        messages.error(request, problem_text(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Pulled %(count)d address from upstream.",
                "Pulled %(count)d addresses from upstream.",
                len(pulled),
            )
            % {"count": len(pulled)},
        )
    return redirect("logistics:addresses")


@require_POST
@staff_page(PERM)
def address_default(request: HttpRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(Address, pk=pk)
    data = {**_address_initial(address), "is_default_warehouse": True}
    try:
        if address.kind != Address.Kind.WAREHOUSE:
            raise LogisticsError(_("only a warehouse address can be the default warehouse"))
        address_save(data=data, address=address, actor=request.user)
    except AddressInvalid as exc:
        messages.error(request, _("Fix this address first: %(why)s.") % {"why": exc})
    except (LogisticsError, UpstreamError) as exc:
        messages.error(request, problem_text(exc))
    else:
        messages.success(
            request, _("%(name)s is now the default warehouse.") % {"name": address.name}
        )
    return redirect("logistics:addresses")
