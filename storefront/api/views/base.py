"""What every storefront endpoint shares: key authentication, JSON only, the error shape,
per-key throttling and a body size limit."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from storefront.api import schema  # noqa: F401  (registers the bearer scheme)
from storefront.api.auth import ApiKeyAuthentication
from storefront.api.errors import PayloadTooLarge, exception_handler
from storefront.api.parsers import MAX_BODY_BYTES, TextJSONParser
from storefront.api.throttling import ApiKeyThrottle
from storefront.models import Storefront


class StorefrontView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ApiKeyThrottle]
    parser_classes = [TextJSONParser]
    renderer_classes = [JSONRenderer]

    def get_exception_handler(self) -> Any:
        return exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            raise PayloadTooLarge(MAX_BODY_BYTES)

    @property
    def storefront(self) -> Storefront:
        return self.request.user


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
