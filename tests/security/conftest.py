"""Security tests reuse the order fixtures (people in each role and the live sandbox), and the
hostile-form tests run against one small world of objects with the upstream unreachable."""

from __future__ import annotations

import pytest

from aftersales.models import CaseKind, CaseStatus, RefundCase
from logistics.models import Address, Parcel
from purchasing.statuses import OrderStatus
from tests.orders.conftest import live, people  # noqa: F401
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from tests.security.factories import World


@pytest.fixture
def unreachable(settings) -> None:
    settings.PANDAPON_BASE_URL = "http://127.0.0.1:9/pandapon"
    settings.DAJISAAS_BASE_URL = "http://127.0.0.1:9/dajisaas"


@pytest.fixture
def world(db, unreachable) -> World:
    """One object of each kind the staff forms change, and the ids their rows name."""
    order = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT,
        upstream_order_id="4000000001",
        needs_attention=True,
        attention_reason="price moved",
    )
    line = PurchaseOrderLineFactory(order=order)
    previewed = PurchaseOrderFactory(status=OrderStatus.PREVIEWED)
    waiting = PurchaseOrderFactory(status=OrderStatus.AWAITING_APPROVAL)
    case = RefundCase.objects.create(
        order=order,
        platform="taobao",
        kind=CaseKind.RETURN_AND_REFUND,
        goods_status="2",
        reason_id="1",
        asked_fen=5000,
        max_fen=10_000,
        status=CaseStatus.RETURN_AGREED,
        upstream_refund_id="R1",
        description="broken",
    )
    address = Address.objects.create(
        kind="customer",
        name="Alice Smith",
        phone="+15035550100",
        country="US",
        province="OR",
        city="Portland",
        address="1 Main St",
        postcode="97201",
    )
    parcel = Parcel.objects.create(
        address=address, country="US", service_id="S1", customs_description="cups"
    )
    world = World(order, line, previewed, case, address, parcel)
    world.ids = {
        "order": order.pk,
        "line": line.pk,
        "previewed": previewed.pk,
        "waiting": waiting.pk,
        "case": case.pk,
        "address": address.pk,
        "parcel": parcel.pk,
    }
    return world
