"""Domestic logistics of an order line: the seller's carrier and tracking number, entered by
staff where we hold information the upstream lacks, and told to the warehouse."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from logistics.forms import DomesticForm
from logistics.services import LogisticsError, line_domestic_update
from logistics.views.common import PERM, problem_text
from purchasing.models import PurchaseOrderLine
from purchasing.permissions import staff_page
from upstream.errors import UpstreamError


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def line_domestic(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(PurchaseOrderLine.objects.select_related("order"), pk=pk)
    if request.method == "POST":
        form = DomesticForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                line = line_domestic_update(
                    line=line,
                    company=data["company"],
                    tracking_no=data["tracking_no"],
                    actor=request.user,
                )
            except (LogisticsError, UpstreamError) as exc:
                form.add_error(None, problem_text(exc))
            else:
                messages.success(
                    request,
                    _("Line %(line)s: %(company)s %(tracking)s saved and told to the warehouse.")
                    % {
                        "line": line.line_no,
                        "company": line.tracking_company,
                        "tracking": line.tracking_no,
                    },
                )
                return redirect("logistics:line_domestic", pk=line.pk)
        status = 400
    else:
        initial = {"company": line.tracking_company, "tracking_no": line.tracking_no}
        form = DomesticForm(initial=initial)
        status = 200
    return render(
        request, "logistics/line_domestic.html", {"line": line, "form": form}, status=status
    )
