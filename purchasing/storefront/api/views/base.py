"""What every storefront endpoint shares: key authentication, JSON only, the error shape,
per-key throttling and a body size limit."""

from __future__ import annotations

import json
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from purchasing.storefront.api import schema  # noqa: F401  (registers the bearer scheme)
from purchasing.storefront.api.auth import ApiKeyAuthentication
from purchasing.storefront.api.errors import PayloadTooLarge, exception_handler
from purchasing.storefront.api.throttling import ApiKeyThrottle
from purchasing.storefront.models import Storefront

MAX_BODY_BYTES = 1024 * 1024  # 100 lines of order fit in a few kB


class TextJSONParser(JSONParser):
    """JSON whose strings are text: an escaped lone surrogate ("\\ud800") parses in Python but
    is no character, could not be stored or sent back, and is refused here with a 400."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ParseError("The body holds an unpaired surrogate escape: not text.") from exc
        return data


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
