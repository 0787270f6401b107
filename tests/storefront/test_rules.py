"""The API offers `cancel` exactly while the storefront may cancel (`storefront.rules`)."""

from __future__ import annotations

import pytest

from storefront import rules
from storefront.models import CustomerOrder
from tests.orders.factories import PurchaseOrderFactory
from tests.storefront.api_fixtures import api_for, order_body


@pytest.fixture
def api(storefront):
    return api_for(storefront)


@pytest.mark.parametrize(
    ("purchase_status", "cancellable"),
    [
        (None, True),
        ("previewed", True),
        ("approved", True),
        ("cancelled", True),
        ("submitting", False),
        ("awaiting_payment", False),
        ("paid", False),
    ],
)
def test_the_cancel_link_follows_the_rule(api, purchase_status, cancellable):
    order_id = api.post("orders/", order_body()).json()["id"]
    order = CustomerOrder.objects.get(pk=order_id)
    if purchase_status is not None:
        order.purchase_orders.add(PurchaseOrderFactory(status=purchase_status))

    links = api.get(f"orders/{order_id}/").json()["links"]

    assert rules.may_cancel(order) is cancellable
    assert ("cancel" in links) is cancellable
    assert links["self"] == f"/api/v1/orders/{order_id}/"
    refused = api.post(f"orders/{order_id}/cancel/").status_code == 409
    assert refused is not cancellable


def test_a_cancelled_order_offers_no_cancel(api):
    order_id = api.post("orders/", order_body()).json()["id"]
    body = api.post(f"orders/{order_id}/cancel/").json()

    assert body["status"] == "cancelled"
    assert "cancel" not in body["links"]
    assert "cancel" not in api.get(f"orders/{order_id}/").json()["links"]
