"""The work queue's buttons on a case's page: take, assign to someone, put back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.models import RefundCase
from aftersales.services.work import MAY_TAKE_CASE, case_assign, case_claim, case_release
from purchasing.permissions import staff_page
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.work import MAY_ASSIGN
from purchasing.views.orders.common import sentence
from purchasing.views.orders.work import AssignForm, back, first_error


def _run(request: HttpRequest, pk: int, done: str, call, **kwargs: Any) -> HttpResponse:
    try:
        call(**kwargs)
    except OrderError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        messages.success(request, done)
    return back(request, "aftersales:detail", pk)


@require_POST
@staff_page(MAY_TAKE_CASE)
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(RefundCase, pk=pk)
    done = _("%(ref)s is yours now.") % {"ref": case.reference}
    return _run(request, pk, done, case_claim, case=case, actor=request.user)


@require_POST
@staff_page(MAY_ASSIGN)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(RefundCase, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back(request, "aftersales:detail", pk)
    person = form.cleaned_data["assignee"]
    done = _("%(ref)s assigned to %(name)s.") % {
        "ref": case.reference,
        "name": person.get_full_name() or person.get_username(),
    }
    return _run(request, pk, done, case_assign, case=case, assignee=person, actor=request.user)


@require_POST
@staff_page(MAY_TAKE_CASE)
def release(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(RefundCase, pk=pk)
    done = _("%(ref)s is back in the queue.") % {"ref": case.reference}
    return _run(request, pk, done, case_release, case=case, actor=request.user)
