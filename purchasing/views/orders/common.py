"""What the order pages share: the permission, totals, refusals as sentences, the lookup."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from purchasing.models import PurchaseOrder
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

VIEW = "purchasing.view_orders"


def sentence(text: str) -> str:
    """A service's refusal as a sentence: capital first, full stop last."""
    text = str(text).strip()
    if not text:
        return _("Refused.")
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?。！？" else text + "."


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


def _get_order(pk: int) -> PurchaseOrder:
    return get_object_or_404(
        PurchaseOrder.objects.select_related(
            "created_by", "approved_by", "submitted_by", "paid_by"
        ),
        pk=pk,
    )
