"""The freight estimate page: every service for an item/SKU and quantity, or the lines of
orders named by reference."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from logistics.forms import FreightForm
from logistics.services import LogisticsError, freight_estimate
from logistics.services.freight import item_to_estimate
from logistics.views.common import PERM, problem_text
from purchasing.permissions import staff_page
from purchasing.services.freight import default_destination
from upstream.errors import UpstreamError


@staff_page(PERM)
def freight(request: HttpRequest) -> HttpResponse:
    # Unfilled, the destination is the default one of landed costs and order previews.
    default = default_destination()
    initial = {"country": default.country, "city": default.city, "postcode": default.zip}
    form = FreightForm(request.GET or None, initial=initial)
    estimate, problem = None, ""
    if request.GET and form.is_valid():
        data = form.cleaned_data
        if data["orders"]:
            items = data["orders"]
        else:
            items = [
                item_to_estimate(
                    item_id=data["item_id"], sku_id=data["sku_id"], quantity=data["quantity"] or 1
                )
            ]
        destination = data["address"] or {
            "country": data["country"],
            "city": data["city"],
            "postcode": data["postcode"],
        }
        try:
            estimate = freight_estimate(items=items, destination=destination)
        except (LogisticsError, UpstreamError, ValueError) as exc:
            problem = problem_text(exc)
    return render(
        request,
        "logistics/freight.html",
        {"form": form, "estimate": estimate, "problem": problem},
        status=400 if form.is_bound and form.errors else 200,
    )
