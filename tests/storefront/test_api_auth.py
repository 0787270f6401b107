"""Keys, scopes, throttling and the error shape outside any one endpoint."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from storefront.models import ApiKey, Scope, Storefront
from tests.storefront.api_fixtures import api_for


@pytest.fixture
def api(storefront):
    return api_for(storefront)


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_a_valid_key_reads_its_orders(api):
    response = api.get("orders/")
    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "header",
    [None, "Token abc", "Bearer", "Bearer not-a-key", "Bearer cg_zzzzzzzz_0123456789abcdefghij"],
)
def test_missing_or_malformed_keys_get_401_with_a_bearer_challenge(db, header):
    headers = {"Authorization": header} if header else {}
    response = Client().get("/api/v1/orders/", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["code"] == "unauthenticated"


def test_a_wrong_secret_for_a_real_prefix_is_refused(api):
    wrong = api.raw[:-4] + ("aaaa" if not api.raw.endswith("aaaa") else "bbbb")
    response = Client().get("/api/v1/orders/", headers={"Authorization": f"Bearer {wrong}"})
    assert response.status_code == 401
    assert error_of(response)["message"] == "The API key is not valid."


def test_a_revoked_key_is_refused(api):
    api.key.revoke()
    response = api.get("orders/")
    assert response.status_code == 401
    assert error_of(response)["message"] == "The API key was revoked."


def test_an_inactive_storefront_is_refused(api):
    Storefront.objects.filter(pk=api.storefront.pk).update(is_active=False)
    response = api.get("orders/")
    assert response.status_code == 401
    assert "not active" in error_of(response)["message"]


def test_last_used_is_written_at_most_once_a_minute(api):
    api.get("orders/")
    first = ApiKey.objects.get(pk=api.key.pk).last_used_at
    assert first is not None
    api.get("orders/")
    assert ApiKey.objects.get(pk=api.key.pk).last_used_at == first
    ApiKey.objects.filter(pk=api.key.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get("orders/")
    assert ApiKey.objects.get(pk=api.key.pk).last_used_at > first - timedelta(seconds=1)
    assert ApiKey.objects.get(pk=api.key.pk).last_used_at <= timezone.now()


@pytest.mark.parametrize(
    ("scope", "method", "path"),
    [
        (Scope.ORDERS_READ, "get", "orders/"),
        (Scope.ORDERS_WRITE, "post", "orders/"),
        (Scope.GOODS_READ, "get", "goods/search/?platform=taobao&q=cup"),
        (Scope.FREIGHT_READ, "post", "freight/estimate/"),
    ],
)
def test_each_endpoint_needs_its_scope(storefront, scope, method, path):
    storefront.scopes = [s for s in storefront.scopes if s != scope]
    storefront.save()
    api = api_for(storefront)
    response = getattr(api, method)(path)
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "forbidden"
    assert scope.value in error["message"]


def test_throttled_per_key_with_retry_after(api, settings):
    settings.CAIGOU_STOREFRONT_API_RATE = "3/min"
    assert [api.get("orders/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("orders/")
    assert response.status_code == 429
    # The window opened with the first of the three requests, a moment ago: nearly a minute left.
    wait = int(response["Retry-After"])
    assert 50 <= wait <= 60
    assert error_of(response)["code"] == "rate_limited"
    assert f"Try again in {wait} seconds." in error_of(response)["message"]
    # Another key of another storefront has its own count.
    other = Storefront.objects.create(name="Other shop", scopes=[Scope.ORDERS_READ.value])
    _, raw = ApiKey.issue(other)
    response = Client().get("/api/v1/orders/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_unknown_paths_under_api_answer_json_404(api):
    response = api.get("nothing-here/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert Client().get("/api/v2/orders/").json()["error"]["code"] == "not_found"


def test_wrong_method_body_type_and_size(api):
    response = api.client.delete("/api/v1/orders/", headers=api.headers())
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"

    response = api.client.post(
        "/api/v1/orders/", "external_id=1", content_type="text/plain", headers=api.headers()
    )
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"

    response = api.client.post(
        "/api/v1/orders/", "{not json", content_type="application/json", headers=api.headers()
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"

    huge = '{"note": "' + "x" * (1024 * 1024 + 10) + '"}'
    response = api.client.post(
        "/api/v1/orders/", huge, content_type="application/json", headers=api.headers()
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_the_project_error_handlers_answer_json_under_api_only(db, rf):
    from storefront.api.errors import handler404, handler500

    assert handler404(rf.get("/api/v1/x"), Exception()).status_code == 404
    body = json.loads(handler500(rf.get("/api/v1/orders/")).content)
    assert body["error"]["code"] == "server_error"
    assert handler404(rf.get("/goods/x"), Exception())["Content-Type"].startswith("text/html")
    assert handler500(rf.get("/goods/"))["Content-Type"].startswith("text/html")
