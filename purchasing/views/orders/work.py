"""The work queue's buttons on the order pages: take, assign to someone, put back, say why an
order waits. Each calls one service and returns to the page it came from with a message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from purchasing.models import WaitReason
from purchasing.permissions import staff_page
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.work import (
    MAY_ASSIGN,
    MAY_TAKE_ORDER,
    order_assign,
    order_claim,
    order_record_wait,
    order_release,
)
from purchasing.views.back import page_of_this_site
from purchasing.views.orders.common import VIEW, _get_order, sentence


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        error_messages={
            "required": gettext_lazy("Choose a person."),
            "invalid_choice": gettext_lazy("Choose a person from the list."),
        },
    )


class WaitForm(forms.Form):
    reason = forms.ChoiceField(
        choices=WaitReason.choices,
        error_messages={"invalid_choice": gettext_lazy("Choose a reason from the list.")},
    )
    note = forms.CharField(max_length=300, required=False)


def back(request: HttpRequest, fallback: str, *args: Any) -> HttpResponse:
    """To the page the button was on (`next`, this site only), else `fallback`."""
    if target := page_of_this_site(request, request.POST.get("next", "")):
        return HttpResponseRedirect(target)
    return redirect(fallback, *args)


def first_error(form: forms.Form) -> str:
    return next(iter(e for errors in form.errors.values() for e in errors), _("Check the form."))


def run(request: HttpRequest, pk: int, done: str, call, **kwargs: Any) -> HttpResponse:
    try:
        call(**kwargs)
    except OrderError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        messages.success(request, done)
    return back(request, "orders:detail", pk)


@require_POST
@staff_page(VIEW)
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MAY_TAKE_ORDER):
        raise PermissionDenied
    order = _get_order(pk)
    done = _("%(ref)s is yours now.") % {"ref": order.reference}
    return run(request, pk, done, order_claim, order=order, actor=request.user)


@require_POST
@staff_page(MAY_ASSIGN)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    order = _get_order(pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back(request, "orders:detail", pk)
    person = form.cleaned_data["assignee"]
    done = _("%(ref)s assigned to %(name)s.") % {
        "ref": order.reference,
        "name": person.get_full_name() or person.get_username(),
    }
    return run(request, pk, done, order_assign, order=order, assignee=person, actor=request.user)


@require_POST
@staff_page(VIEW)
def release(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MAY_TAKE_ORDER):
        raise PermissionDenied
    order = _get_order(pk)
    done = _("%(ref)s is back in the queue.") % {"ref": order.reference}
    return run(request, pk, done, order_release, order=order, actor=request.user)


@require_POST
@staff_page(VIEW)
def wait_reason(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MAY_TAKE_ORDER):
        raise PermissionDenied
    order = _get_order(pk)
    form = WaitForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back(request, "orders:detail", pk)
    done = _("The reason is on the timeline.")
    return run(
        request,
        pk,
        done,
        order_record_wait,
        order=order,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
