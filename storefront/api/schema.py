"""OpenAPI pieces shared by every endpoint: the bearer scheme and the documented errors."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from storefront.api.serializers.base import ErrorSerializer


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "storefront.api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: object) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cg_<prefix>_<secret>",
            "description": "The storefront's API key: `Authorization: Bearer cg_...`.",
        }


def error(description: str, code: str, message: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(code, value={"error": {"code": code, "message": message, "fields": {}}})
        ],
    )


INVALID = OpenApiResponse(
    ErrorSerializer,
    description="A field is not valid: `fields` names each one.",
    examples=[
        OpenApiExample(
            "invalid",
            value={
                "error": {
                    "code": "invalid",
                    "message": "Some fields are not valid: see `fields`.",
                    "fields": {"lines.0.quantity": ["Ensure this value is at most 9999."]},
                }
            },
        )
    ],
)
COMMON = {
    401: error("No key, or a bad or revoked one.", "unauthenticated", "The API key is not valid."),
    403: error("The key lacks the scope.", "forbidden", "This key lacks the `orders:read` scope."),
    429: error(
        "Too many requests for this key; `Retry-After` says when to try again.",
        "rate_limited",
        "Too many requests for this key. Try again in 12 seconds.",
    ),
}
NOT_FOUND = error("No such resource, or not yours.", "not_found", "No such resource.")
WRITE = {
    400: INVALID,
    413: error("The body is too large.", "payload_too_large", "The request body is too large."),
    415: error(
        "The body is not JSON.", "unsupported_media_type", 'Unsupported media type "text/plain".'
    ),
}
UPSTREAM = {
    502: error("The upstream refused.", "upstream_error", "The upstream refused: ..."),
    503: error(
        "The upstream is busy or unreachable: try again later.",
        "upstream_unavailable",
        "The upstream is not reachable right now. Try again in a moment.",
    ),
}


def responses(ok: dict, *groups: dict) -> dict:
    merged = dict(ok)
    for group in (COMMON, *groups):
        merged.update(group)
    return merged
