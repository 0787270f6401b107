"""Logistics tests: orders made against the live sandbox (as tests/orders), brought to the
warehouse through the order's own transition helper, and customer addresses."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from logistics.models import Address
from purchasing.models import PurchaseOrder
from purchasing.services.orders.events import advance_to
from purchasing.statuses import OrderStatus
from tests.orders.conftest import live, people, submitted_order  # noqa: F401

CUSTOMER = {
    "kind": "customer",
    "name": "Alice Smith",
    "phone": "+1 (503) 555-0100",
    "country": "US",
    "province": "OR",
    "city": "Portland",
    "address": "1 Main St",
    "postcode": "97201",
    "email": "alice@example.com",
}


def at_warehouse(staff, **kwargs) -> PurchaseOrder:
    """A submitted sandbox order moved to at_warehouse along its allowed steps."""
    order = submitted_order(staff, **kwargs)
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        assert advance_to(order, OrderStatus.AT_WAREHOUSE, actor_label="warehouse")
    return order


@pytest.fixture
def customer(db) -> Address:
    return Address.objects.create(**{**CUSTOMER, "phone": "+15035550100"})


@pytest.fixture(autouse=True)
def fresh_freight_estimates():
    """Freight estimates are cached per process: each test starts without them."""
    cache.clear()
    yield
    cache.clear()
