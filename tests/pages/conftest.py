"""The world the page tests render: demo history made through the real services against the
live sandbox (orders in every state, payments, refunds), a parcel, a customer order, and the
URL of every staff page filled with those objects."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from logistics.models import Address
from logistics.services import Customs, freight_estimate, parcel_create
from purchasing.models import PurchaseOrder
from purchasing.statuses import OrderStatus
from tests.orders.conftest import live, people  # noqa: F401  (fixtures)
from tests.orders.factories import UpstreamMessageFactory
from upstream.sandbox.models import Product as SandboxProduct

# Not staff pages: sign-in, health, the storefront API and callbacks (machines read them), the
# Django admin (a data tool that shows stored values as they are), and the sandbox (the simulated
# upstream: its console shows the upstream's own books, in the upstream's words).
NOT_STAFF_PAGES = (
    "login/",
    "logout/",
    "healthz",
    "api/",
    "callbacks/",
    "admin/",
    "sandbox/",
)
CUSTOMER = {
    "kind": "customer",
    "name": "Alice Smith",
    "phone": "+15035550100",
    "country": "US",
    "province": "OR",
    "city": "Portland",
    "address": "1 Main St",
    "postcode": "97201",
}


def page_patterns(patterns=None, prefix: str = "") -> list[str]:
    """Every URL pattern of the site that may be a staff page, as the resolver spells it."""
    found: list[str] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += page_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route and not route.startswith(NOT_STAFF_PAGES):
            found.append(route)
    return found


@pytest.fixture
def demo_world(live, people, settings, tmp_path) -> dict[str, list[int] | list[str]]:  # noqa: F811
    """Demo history, one parcel, and the objects each kind of URL is filled with."""
    settings.DEBUG = True  # seed_demo runs only with DEBUG on
    settings.VAR_DIR = tmp_path  # where seed_demo keeps the demo API key
    call_command("seed_demo", history=30, verbosity=0)
    settings.DEBUG = False
    orders = PurchaseOrder.objects.order_by("pk")
    one_per_status = {order.status: order.pk for order in orders}
    arrived = orders.filter(status=OrderStatus.AT_WAREHOUSE).first()
    customer = Address.objects.create(**CUSTOMER)
    lines = list(arrived.lines.all())
    parcel = parcel_create(
        lines=lines,
        address=customer,
        service=freight_estimate(items=lines, destination=customer).cheapest.service_id,
        customs=Customs(declared_value_fen=5000, description="plastic storage boxes"),
        actor=people.purchaser,
    )
    from aftersales.models import RefundCase

    # A callback about every order a page is shown for: its type must read as words.
    for pk in one_per_status.values():
        UpstreamMessageFactory(order_id=pk)
    items = [
        f"{product.platform}/{product.item_id}"
        for product in (
            SandboxProduct.objects.filter(platform=platform).order_by("pk").first()
            for platform in ("taobao", "1688")
        )
    ]
    return {
        "order": sorted(one_per_status.values()),
        "case": list(RefundCase.objects.values_list("pk", flat=True)),
        "address": [customer.pk],
        "parcel": [parcel.pk],
        "line": [lines[0].pk],
        "item": items,
    }
