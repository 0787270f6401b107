"""The OpenAPI schema and its docs page, the create_storefront command and the keys admin."""

from __future__ import annotations

import re
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from storefront.models import ALL_SCOPES, ApiKey, Storefront
from storefront.representation import order_representation, with_details
from tests.storefront.api_fixtures import api_for, order_body

PATHS = {
    "/api/v1/orders/": {"get", "post"},
    "/api/v1/orders/{id}/": {"get"},
    "/api/v1/orders/{id}/cancel/": {"post"},
    "/api/v1/orders/{id}/decisions/": {"post"},
    "/api/v1/goods/search/": {"get"},
    "/api/v1/goods/{platform}/{item_id}/": {"get"},
    "/api/v1/freight/estimate/": {"post"},
}


@pytest.fixture
def schema(db) -> dict:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_documents_every_endpoint_with_the_bearer_scheme(schema):
    assert {path: set(ops) for path, ops in schema["paths"].items()} == PATHS
    assert schema["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"apiKey": []}], (path, method)
            for status in ("401", "403", "429"):
                ref = operation["responses"][status]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/Error"}
    create = schema["paths"]["/api/v1/orders/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["examples"]
    assert {"200", "201", "400", "409", "422"} <= set(create["responses"])


def test_an_order_as_returned_matches_its_schema(storefront):
    from storefront.api.serializers.orders import OrderSerializer

    api = api_for(storefront)
    order_id = api.post("orders/", order_body()).json()["id"]
    order = with_details(storefront.orders.all()).get(pk=order_id)
    shown = order_representation(order)
    serializer = OrderSerializer(data=shown)
    assert serializer.is_valid(), serializer.errors
    assert set(shown) == set(OrderSerializer().fields)
    assert set(shown["lines"][0]) == set(OrderSerializer().fields["lines"].child.fields)


def test_the_docs_page_loads_only_our_own_static_files(db):
    response = Client().get(reverse("api:api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    assert any("swagger-ui-bundle" in url for url in urls)
    assert all(url.startswith("/static/") or url.startswith("/api/") for url in urls), urls
    assert "cdn" not in page.lower() and "://" not in "".join(urls)


# -- create_storefront ------------------------------------------------------------------------
def test_create_storefront_prints_a_working_key_last(db):
    out = StringIO()
    call_command(
        "create_storefront",
        "Acme",
        "--webhook-url",
        "https://acme.example/hooks",
        "--scopes",
        "orders:read",
        "orders:write",
        stdout=out,
    )
    raw = out.getvalue().strip().splitlines()[-1]
    storefront = Storefront.objects.get(name="Acme")
    assert storefront.scopes == ["orders:read", "orders:write"]
    assert storefront.webhook_url == "https://acme.example/hooks"
    assert raw not in {k.hashed for k in ApiKey.objects.all()}
    response = Client().get("/api/v1/orders/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_create_storefront_defaults_and_refusals(db):
    out = StringIO()
    call_command("create_storefront", "Plain", stdout=out)
    assert Storefront.objects.get(name="Plain").scopes == ALL_SCOPES
    with pytest.raises(CommandError, match="exists"):
        call_command("create_storefront", "Plain", stdout=StringIO())
    with pytest.raises(CommandError, match="webhook URL"):
        call_command("create_storefront", "X", "--webhook-url", "ftp://x", stdout=StringIO())


# -- the keys admin -------------------------------------------------------------------------
@pytest.fixture
def admin_client_(db, admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def works(raw: str) -> bool:
    response = Client().get("/api/v1/orders/", headers={"Authorization": f"Bearer {raw}"})
    return response.status_code == 200


def shown_key(response) -> str:
    text = " ".join(str(m) for m in response.context["messages"])
    match = re.search(r"cg_[0-9a-f]{8}_[A-Za-z0-9_-]+", text)
    assert match, text
    return match.group(0)


def test_rotate_issues_a_new_key_shown_once_and_revokes_the_old(admin_client_, storefront):
    api = api_for(storefront)
    response = admin_client_.post(
        reverse("admin:storefront_apikey_changelist"),
        {"action": "rotate", "_selected_action": [api.key.pk]},
        follow=True,
    )
    new_raw = shown_key(response)
    api.key.refresh_from_db()
    assert api.key.revoked_at is not None
    assert api.get("orders/").status_code == 401
    assert works(new_raw)
    page = admin_client_.get(reverse("admin:storefront_storefront_change", args=[storefront.pk]))
    assert new_raw not in page.content.decode()
    assert new_raw[3:11] in page.content.decode()  # the prefix is listed


def test_revoke_from_the_storefront_list(admin_client_, storefront):
    api = api_for(storefront)
    admin_client_.post(
        reverse("admin:storefront_storefront_changelist"),
        {"action": "revoke_keys", "_selected_action": [storefront.pk]},
        follow=True,
    )
    assert api.get("orders/").status_code == 401


def test_adding_a_storefront_in_the_admin_shows_its_first_key(admin_client_):
    response = admin_client_.post(
        reverse("admin:storefront_storefront_add"),
        {
            "name": "Via admin",
            "is_active": "on",
            "scopes": ["orders:read"],
            "policy": "auto",
            "tolerance_fen": "5.00",
            "webhook_url": "",
            "keys-TOTAL_FORMS": "0",
            "keys-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    raw = shown_key(response)
    assert Storefront.objects.get(name="Via admin").scopes == ["orders:read"]
    assert works(raw)
