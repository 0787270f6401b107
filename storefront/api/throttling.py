"""Per-key throttling: CAIGOU_STOREFRONT_API_RATE requests ("120/min") per API key, counted in
the cache (Redis in production, so every process shares the count)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class ApiKeyThrottle(SimpleRateThrottle):
    scope = "storefront"

    def get_rate(self) -> str:
        return settings.CAIGOU_STOREFRONT_API_RATE

    def allow_request(self, request: Request, view: object) -> bool:
        # The rate is read per request, so a changed setting applies without a restart.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: object) -> str | None:
        key = request.auth
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.pk}
