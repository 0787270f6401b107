"""What a person answers when a look-up could not prove which upstream order is ours: adopt a
candidate, declare none ours, or confirm an order found by match (services/orders/adoption.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchasing.permissions import staff_page
from purchasing.services.orders.adoption import (
    order_adopt_candidate,
    order_confirm_match,
    order_declare_none_ours,
)
from purchasing.services.orders.common import OrderError
from purchasing.views.orders.common import VIEW, _failure, _get_order
from upstream.errors import UpstreamError

MAX_ID_CHARS = 64


def _may_answer(request: HttpRequest) -> None:
    """Only who may submit an order answers for its look-up; checked before the form is read."""
    if not request.user.has_perm("purchasing.submit_order"):
        raise PermissionDenied


def _answer(request: HttpRequest, pk: int, done: str, call, **kwargs) -> HttpResponse:
    _may_answer(request)
    order = _get_order(pk)
    try:
        call(order=order, actor=request.user, **kwargs)
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _failure(exc))
    else:
        messages.success(request, done)
    return redirect("orders:detail", pk=pk)


@require_POST
@staff_page(VIEW)
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    _may_answer(request)
    chosen = request.POST.get("upstream_order_id", "").strip()[:MAX_ID_CHARS]
    if not chosen:
        messages.error(request, _("Say which upstream order is ours."))
        return redirect("orders:detail", pk=pk)
    done = _("Upstream order %(id)s adopted.") % {"id": chosen}
    return _answer(request, pk, done, order_adopt_candidate, upstream_order_id=chosen)


@require_POST
@staff_page(VIEW)
def none_ours(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("None of them is ours: the order is being created again.")
    return _answer(request, pk, done, order_declare_none_ours)


@require_POST
@staff_page(VIEW)
def confirm_match(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("Confirmed: the upstream order found by match is ours.")
    return _answer(request, pk, done, order_confirm_match)
