"""A cap on the whole request body, checked before anything reads it.

DATA_UPLOAD_MAX_MEMORY_SIZE counts only the form fields of a post, not its files, so without
this a multipart post of any size would be read (to disk) before a form could refuse it. Django
reads no more of a body than its Content-Length says (a body without one is read as empty), so
checking that header is enough to keep a larger body unread: the request is answered 413 and
nothing is parsed or stored."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from storefront.api.errors import error_body

# Machines post to these; they get the API's JSON error shape instead of a page.
MACHINE_PREFIXES = ("/api/", "/callbacks/", "/sandbox/")


class RequestSizeLimitMiddleware:
    """Refuses with 413 any request whose body is larger than CAIGOU_MAX_UPLOAD_BYTES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.CAIGOU_MAX_UPLOAD_BYTES
        if _declared_length(request) > limit:
            return _too_large(request, limit)
        return self.get_response(request)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        # Django reads a body with an unreadable length as empty; nothing to refuse here.
        return 0


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    megabytes = f"{limit / (1024 * 1024):.1f}".removesuffix(".0")
    message = _("The request is too large: Caigou accepts up to %(size)s MB at a time.") % {
        "size": megabytes
    }
    if request.path.startswith(MACHINE_PREFIXES):
        return JsonResponse(error_body("payload_too_large", message), status=413)
    return render(request, "413.html", {"message": message}, status=413)
