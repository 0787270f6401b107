"""The storefront API against hostile bodies and query strings: deep nesting, text that is not
text, and page sizes out of range are refused with a 400 in the API's one error shape, and
nothing is stored (no customer order, no idempotency key)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from storefront.models import CustomerOrder, IdempotencyKey
from tests.storefront.api_fixtures import api_for, order_body

# Every API endpoint that reads a JSON body (the {pk} of one that names an order is filled in).
JSON_ENDPOINTS = ("orders/", "orders/{pk}/decisions/", "freight/estimate/")


@pytest.fixture
def api(storefront):
    return api_for(storefront)


@pytest.fixture
def order_pk(api) -> int:
    response = api.post("orders/", order_body(external_id="SHOP-KEEP"))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def post_raw(api, path: str, raw: bytes, content_type: str = "application/json"):
    """POST bytes exactly as given, with an Idempotency-Key (a refusal must not keep one)."""
    return Client().post(
        f"/api/v1/{path}",
        raw,
        content_type=content_type,
        headers=api.headers({"Idempotency-Key": "hostile-1"}),
    )


def refused(response, code: str = "malformed_request") -> dict:
    """The error of a 400 in the API's shape."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    assert error["message"]
    return error


def nothing_stored(before: int) -> None:
    assert CustomerOrder.objects.count() == before
    assert not IdempotencyKey.objects.filter(key="hostile-1").exists()


def nested(depth: int) -> bytes:
    return b'{"lines": ' + b"[" * depth + b"]" * depth + b"}"


HOSTILE_BODIES = {
    "nested 1000 deep": nested(1000),
    "nested 100000 deep": b"[" * 100_000,
    "objects nested 40 deep": b'{"a": ' * 40 + b"1" + b"}" * 40,
    "lone surrogate escape in a value": b'{"external_id": "\\ud800"}',
    "lone low surrogate escape in a key": b'{"\\udfff": 1}',
    "invalid UTF-8": b'{"external_id": "\xff\xfe\xc3("}',
    "UTF-8 of a surrogate": b'{"external_id": "\xed\xa0\x80"}',
    "NUL escape in a value": b'{"external_id": "a\\u0000b"}',
    "NUL escape in a key": b'{"x\\u0000": "x"}',
    "NaN": b'{"budget_fen": NaN}',
    "a huge number": b'{"budget_fen": 1' + b"0" * 5000 + b"}",
    "not JSON": b"external_id=1&lines=2",
    "a JSON polyglot with HTML": b'{"external_id": "1"}<script>alert(1)</script>',
}


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
@pytest.mark.parametrize("raw", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_a_hostile_body_is_refused_with_a_message_and_nothing_stored(api, order_pk, path, raw):
    before = CustomerOrder.objects.count()

    refused(post_raw(api, path.format(pk=order_pk), raw))

    nothing_stored(before)


def test_nesting_is_refused_past_the_limit_with_the_limit_named(api, order_pk):
    error = refused(post_raw(api, "orders/", nested(1000)))
    assert "32" in error["message"]
    # Nesting within the limit reaches the serializer, which names the field.
    fields = refused(post_raw(api, "orders/", nested(20)), code="invalid")["fields"]
    assert any(name.startswith("lines") for name in fields)


def test_text_that_is_not_text_is_named_in_the_message(api, order_pk):
    assert "UTF-8" in refused(post_raw(api, "orders/", HOSTILE_BODIES["invalid UTF-8"]))["message"]
    surrogate = refused(post_raw(api, "orders/", b'{"external_id": "\\ud800"}'))
    assert "surrogate" in surrogate["message"]
    nul = refused(post_raw(api, "orders/", b'{"external_id": "a\\u0000b"}'))
    assert "NUL" in nul["message"]


def test_a_proper_order_still_goes_through(api):
    response = post_raw(api, "orders/", json.dumps(order_body()).encode())
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("value", ["0", "-1", "abc", "101", "1e3", "9" * 40, "", " 5"])
def test_a_page_size_out_of_range_is_refused_with_a_message(api, order_pk, value):
    error = refused(api.get("orders/", {"page_size": value}), code="invalid")
    assert error["fields"] == {"page_size": [error["fields"]["page_size"][0]]}
    assert "1 to 100" in error["fields"]["page_size"][0]


@pytest.mark.parametrize("value", ["1", "100"])
def test_a_page_size_within_range_is_used(api, order_pk, value):
    response = api.get("orders/", {"page_size": value})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == 1


def test_page_size_applies(api, order_pk):
    api.post("orders/", order_body(external_id="SHOP-TWO"))
    page = api.get("orders/", {"page_size": "1"}).json()
    assert len(page["results"]) == 1 and page["next"]


@pytest.mark.parametrize("value", ["0", "-1", "abc", "51", "9" * 40])
def test_a_goods_search_page_out_of_range_is_refused(api, value):
    query = {"platform": "taobao", "q": "cup", "page": value}
    error = refused(api.get("goods/search/", query), code="invalid")
    assert list(error["fields"]) == ["page"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("orders/", {"external_id": "a\x00b"}),
        ("orders/", {"status": "\x00"}),
        ("goods/search/", {"platform": "taobao", "q": "cup\x00"}),
    ],
)
def test_a_nul_in_a_query_string_is_refused(api, order_pk, path, params):
    refused(api.get(path, params), code="invalid")
