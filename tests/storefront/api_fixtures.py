"""Helpers for the storefront API tests: a client that sends a real API key, and a valid order."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.test import Client

from storefront.models import ApiKey, Storefront

ORDER: dict[str, Any] = {
    "external_id": "SHOP-1001",
    "currency": "USD",
    "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+12025550143"},
    "shipping_address": {
        "name": "Ada Lovelace",
        "phone": "202-555-0143",
        "country": "US",
        "province": "CA",
        "city": "Los Angeles",
        "address": "1 Main Street",
        "postcode": "90001",
    },
    "lines": [
        {
            "platform": "taobao",
            "item_id": "652870374890",
            "sku_id": "4890123456789",
            "quantity": 2,
            "unit_price_fen": 5900,
            "note": "Blue, please",
        }
    ],
    "budget_fen": 20000,
}


def order_body(**overrides: Any) -> dict[str, Any]:
    body = copy.deepcopy(ORDER)
    body.update(overrides)
    return body


@dataclass
class Api:
    """A test client speaking to /api/v1/ with one storefront's key."""

    storefront: Storefront
    key: ApiKey
    raw: str
    client: Client

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.raw}", **(extra or {})}

    def get(self, path: str, params: dict | None = None, **headers: str):
        return self.client.get(f"/api/v1/{path}", params or {}, headers=self.headers(headers))

    def post(self, path: str, body: Any = None, **headers: str):
        return self.client.post(
            f"/api/v1/{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers(headers),
        )


def api_for(storefront: Storefront) -> Api:
    """A fresh key for `storefront`; the throttle counts (in the cache) start at zero."""
    cache.clear()
    key, raw = ApiKey.issue(storefront, name="tests")
    return Api(storefront=storefront, key=key, raw=raw, client=Client())
