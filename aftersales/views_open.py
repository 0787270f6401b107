"""Opening a refund or return on an order: the lines, kind and goods status (the goods status
starts at the one that matches where the order's goods are), then the upstream's reasons and
maximum, then the stored case. A provider with no after-sales says so in one sentence."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aftersales import routes
from aftersales.forms import OpenCaseForm, default_goods_status
from aftersales.models import CaseKind
from aftersales.services import CaseError, case_open, case_options
from aftersales.services.common import MAX_EVIDENCE_BYTES
from aftersales.views import PERM, _failure, _fen
from purchasing.forms_input import as_id, as_ids, error_sentences
from purchasing.models import PurchaseOrder
from purchasing.permissions import staff_page
from purchasing.routes import Capability, route_for
from purchasing.routes.missing import missing
from upstream.errors import BadRequest, BusinessError, UpstreamError


def _options_refused(
    exc: Exception, order: PurchaseOrder, labels: dict[str, Any], asked: str, suggested: str
) -> str:
    """Why the upstream would not say what a claim may be, in words. A refusal of the request
    itself (bad request, or the order's state) is most often a goods status that contradicts
    where the goods are: name the one that fits instead of the upstream's text, or, when the
    refused one is what our record of the order suggests, say that the record may be behind."""
    if not isinstance(exc, BadRequest | BusinessError):
        return _failure(exc)
    sentence = _(
        "The seller's platform refused these choices for an order that is %(status)s here."
    ) % {"status": order.get_status_display().lower()}
    if suggested in labels and asked != suggested:
        return (
            sentence
            + " "
            + _(
                "Check the goods status (for this order: “%(label)s”), the kind and the lines, "
                "then ask again."
            )
            % {"label": labels[suggested]}
        )
    return (
        sentence
        + " "
        + _(
            "The order may have moved on since it was last read: refresh it from the upstream, "
            "then choose the goods status that says where the goods are."
        )
    )


def _chosen_lines(request: HttpRequest, order: PurchaseOrder) -> dict[int, int]:
    """line id -> quantity from `line` (checked ids) and `qty_<id>` fields."""
    source = request.POST if request.method == "POST" else request.GET
    chosen = {}
    for line_id in as_ids(source.getlist("line")):
        chosen[line_id] = as_id(source.get(f"qty_{line_id}") or 0) or 0
    return chosen


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def open_case(request: HttpRequest, order_pk: int) -> HttpResponse:
    """Step 1 (GET): lines, kind, goods status. Step 2 (GET with `ask`): the upstream's reasons
    and maximum. POST: store the case (nothing is sent), then the case page asks to submit."""
    order = get_object_or_404(PurchaseOrder, pk=order_pk)
    source = request.POST if request.method == "POST" else request.GET
    chosen = _chosen_lines(request, order)
    kind = source.get("kind") or CaseKind.REFUND_ONLY
    goods_statuses = routes.for_order(order).goods_statuses
    suggested = default_goods_status(order, goods_statuses)
    goods_status = source.get("goods_status") or suggested
    lines = list(order.lines.order_by("line_no"))
    preselect = set(as_ids(request.GET.getlist("preselect")))
    context: dict[str, Any] = {
        "order": order,
        "gap": missing(route_for(order), Capability.AFTERSALES, order=order),
        "lines": [
            {
                "line": line,
                "checked": line.pk in chosen or line.pk in preselect,
                "quantity": chosen.get(line.pk) or line.quantity,
            }
            for line in lines
        ],
        "kinds": CaseKind.choices,
        "kind": kind,
        "goods_statuses": goods_statuses,
        "goods_status": goods_status,
        "suggested": suggested,
        "options": None,
        "max_evidence_mb": MAX_EVIDENCE_BYTES // 1024 // 1024,
        "values": source,
    }
    if context["gap"] is not None:
        # The provider has no after-sales at all: say so, and ask the upstream nothing.
        status = 200 if request.method == "GET" else 400
        return render(request, "aftersales/open.html", context, status=status)
    if request.method == "GET" and "ask" not in request.GET:
        return render(request, "aftersales/open.html", context)
    text = OpenCaseForm(request.POST)
    if request.method == "POST" and not text.is_valid():
        for sentence in error_sentences(text):
            messages.error(request, sentence)
        return render(request, "aftersales/open.html", context, status=400)
    try:
        options = case_options(order=order, lines=chosen, kind=kind, goods_status=goods_status)
    except (CaseError, UpstreamError) as exc:
        messages.error(
            request,
            _options_refused(exc, order, dict(goods_statuses), goods_status, suggested),
        )
        refused = request.method == "POST" and isinstance(exc, CaseError)
        return render(request, "aftersales/open.html", context, status=400 if refused else 200)
    context["options"] = options
    context["amount"] = source.get("amount") or f"{options.max_fen / 100:.2f}"
    if request.method == "GET":
        return render(request, "aftersales/open.html", context)

    amount_fen = _fen(source.get("amount", ""))
    if amount_fen is None:
        messages.error(request, _("Enter the amount in yuan, for example 12.50."))
        return render(request, "aftersales/open.html", context)
    evidence = [(f.name, f.read(MAX_EVIDENCE_BYTES + 1)) for f in request.FILES.getlist("evidence")]
    try:
        case = case_open(
            order=order,
            lines=chosen,
            kind=kind,
            goods_status=goods_status,
            reason_id=text.cleaned_data["reason"],
            amount_fen=amount_fen,
            description=text.cleaned_data["description"],
            evidence=evidence,
            actor=request.user,
        )
    except (CaseError, UpstreamError) as exc:
        words = _options_refused(exc, order, dict(goods_statuses), goods_status, suggested)
        messages.error(request, words + " " + _("Nothing was saved."))
        # A refused claim (past what is left, a bad file...) is the caller's to fix: a 4xx.
        refused = isinstance(exc, CaseError)
        return render(request, "aftersales/open.html", context, status=400 if refused else 200)
    messages.success(
        request,
        _("Case %(ref)s saved. Check it, then send it to the seller.") % {"ref": case.reference},
    )
    return redirect("aftersales:submit", pk=case.pk)
