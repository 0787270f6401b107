"""Parked upstream messages in the exceptions queue: a person sends one back to be applied."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchasing.callbacks.parking import MAY_RETRY, message_retry
from purchasing.permissions import staff_page
from purchasing.services.orders.common import OrderError
from purchasing.views.orders.common import VIEW


@require_POST
@staff_page(VIEW)
def retry_message(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MAY_RETRY):
        raise PermissionDenied
    try:
        message_retry(message_id=pk, actor=request.user)
    except OrderError:
        messages.error(request, _("That message is not waiting for a retry."))
    else:
        messages.success(request, _("The message is sent back to be applied."))
    return redirect("orders:exceptions")
