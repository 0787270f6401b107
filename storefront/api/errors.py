"""One error shape for the whole API: `{"error": {"code", "message", "fields"}}`.

`code` is a stable word a program can branch on, `message` a sentence for a person, and `fields`
maps each bad input (dotted for nested ones: `lines.0.quantity`) to its messages; it is `{}`
when no single field is to blame.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from purchasing.upstream_errors import upstream_message
from upstream import errors as upstream

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error with our own code, status and (optionally) field messages."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, code)
        self.status_code = status_code
        self.error_code = code
        self.fields = fields or {}


class PayloadTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The request body is larger than {limit} bytes.",
            code="payload_too_large",
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def flatten_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as {"dotted.name": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for name, value in detail.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            out.update(flatten_fields(value, key))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, value in enumerate(detail):
                if value:
                    out.update(flatten_fields(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


# DRF's own exceptions: (our code, the message when DRF's is not for people).
DRF_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "unauthenticated",
    exceptions.NotAuthenticated: "unauthenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
}


def upstream_error(exc: upstream.UpstreamError) -> ApiError:
    """What the storefront reads when the upstream failed under a goods or freight call."""
    message = upstream_message(exc)
    if isinstance(exc, upstream.NotFound):
        return ApiError(message, code="not_found", status_code=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, upstream.RetryableError):
        return ApiError(
            message, code="upstream_unavailable", status_code=status.HTTP_503_SERVICE_UNAVAILABLE
        )
    return ApiError(message, code="upstream_error", status_code=status.HTTP_502_BAD_GATEWAY)


def domain_error(exc: Exception) -> ApiError | None:
    """The intake services' refusals as API errors (None: not one of theirs)."""
    from storefront.services import StorefrontConflict, StorefrontInvalid

    if isinstance(exc, StorefrontConflict):
        return ApiError(exc.message, code=exc.code, status_code=status.HTTP_409_CONFLICT)
    if isinstance(exc, StorefrontInvalid):
        fields = {name: list(messages) for name, messages in (exc.fields or {}).items()}
        return ApiError(exc.message, code=exc.code, fields=fields)
    return None


def exception_handler(exc: Exception, context: dict) -> Response:
    """Every exception a view raises, as the error shape with the right status."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such resource (or it is not yours).")
    elif isinstance(exc, upstream.UpstreamError):
        exc = upstream_error(exc)
    else:
        exc = domain_error(exc) or exc
    if not isinstance(exc, exceptions.APIException):
        logger.exception("storefront API error", exc_info=exc)
        set_rollback()
        return Response(
            error_body("server_error", "Something went wrong on our side. Try again later."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    set_rollback()
    return Response(_body(exc), status=exc.status_code, headers=headers)


def _body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, ApiError):
        return error_body(exc.error_code, str(exc.detail), exc.fields)
    if isinstance(exc, exceptions.ValidationError):
        return error_body(
            "invalid", "Some fields are not valid: see `fields`.", flatten_fields(exc.detail)
        )
    code = next((c for kind, c in DRF_CODES.items() if isinstance(exc, kind)), "error")
    if isinstance(exc, exceptions.Throttled):
        message = (
            f"Too many requests for this key. Try again in {math.ceil(exc.wait or 1)} seconds."
        )
    else:
        message = str(exc.detail)
    return error_body(code, message)


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 404 handler: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return not_found(request, exception)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    """The project's 500 handler: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return server_error(request)
    return defaults.server_error(request)


@csrf_exempt
def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """A path under /api/ that names nothing."""
    return JsonResponse(error_body("not_found", "No such endpoint."), status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body("server_error", "Something went wrong on our side. Try again later."),
        status=500,
    )
