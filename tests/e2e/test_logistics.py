"""Logistics in a real browser against the sandbox: estimate freight, build a parcel from
arrived lines, create and book it (after the confirmation page), see tracking after a tick."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from logistics.models import Address, Parcel, ParcelStatus
from tests.logistics.conftest import CUSTOMER, at_warehouse
from tests.orders.conftest import People, control_headers

pytestmark = pytest.mark.django_db(transaction=True)


def test_estimate_build_book_and_track_a_parcel(page, live_upstream, sign_in, staff_user):
    people = People(
        purchaser=staff_user("purchaser"),
        approver=staff_user("approver"),
        finance=staff_user("finance"),
    )
    order = at_warehouse(people)
    line = order.lines.first()
    customer = Address.objects.create(**{**CUSTOMER, "phone": "+15035550100"})
    sign_in(page, people.purchaser)

    page.goto(f"{live_upstream}/logistics/freight/")
    page.get_by_label("Item link or id").fill(line.item_id)
    page.get_by_label("SKU id").fill(line.sku_id)
    page.get_by_label("Or country").select_option("US")
    page.get_by_role("button", name="Estimate").click()
    expect(page.get_by_test_id("cheapest")).to_have_count(1)
    expect(page.get_by_test_id("fastest")).to_have_count(1)

    page.goto(f"{live_upstream}/logistics/")
    rows = page.get_by_test_id("warehouse-line")
    expect(rows).to_have_count(order.lines.count())
    for box in page.locator("input[name=lines]").all():
        box.check()
    page.get_by_role("button", name="Build a parcel of the ticked lines").click()
    expect(page.get_by_test_id("consolidation")).to_contain_text("Send now")
    page.get_by_label("Send to").select_option(str(customer.pk))
    page.get_by_role("button", name="Show services").click()
    page.get_by_label("Customs description (HS-style)").fill("plastic storage boxes (3924.90)")
    page.get_by_role("button", name="Create parcel (not booked yet)").click()

    expect(page).to_have_url(re.compile(r"/logistics/parcels/\d+/book/$"))
    parcel = Parcel.objects.get()
    expect(page.get_by_test_id("freight-price")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Book for")).click()
    expect(page.get_by_test_id("parcel-status")).to_have_text("Booked")
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED

    response = requests.post(
        f"{live_upstream}/sandbox/_control/tick", headers=control_headers(), timeout=30
    )
    response.raise_for_status()
    page.get_by_role("button", name="Refresh tracking").click()
    expect(page.get_by_test_id("parcel-status")).to_have_text("In transit")
    expect(page.get_by_test_id("event-tracking").first).to_be_visible()


def test_logistics_pages_fit_a_phone(phone_page, live_upstream, sign_in, staff_user):
    from datetime import timedelta

    from django.utils import timezone

    from logistics.models import ParcelLine
    from purchasing.models import OrderEvent
    from purchasing.statuses import OrderStatus
    from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
    from upstream.sandbox.models import Product as SandboxProduct

    page = phone_page
    order = PurchaseOrderFactory(status=OrderStatus.AT_WAREHOUSE)
    OrderEvent.objects.create(
        order=order,
        from_status=OrderStatus.SHIPPED,
        to_status=OrderStatus.AT_WAREHOUSE,
        actor_label="warehouse",
        created_at=timezone.now() - timedelta(days=12),
    )
    lines = PurchaseOrderLineFactory.create_batch(
        3,
        order=order,
        title="热卖运动速干男士短裤 夏季薄款宽松 " * 3,
        tracking_company="中通快递",
        tracking_no="78123456789012345",
    )
    customer = Address.objects.create(**{**CUSTOMER, "phone": "+15035550100"})
    common = {
        "address": customer,
        "country": "US",
        "service_id": "PP-STD",
        "service_name": "Standard Line",
        "customs_description": "sports shorts (6203.43)",
    }
    booked = Parcel.objects.create(
        **common, status=ParcelStatus.IN_TRANSIT, tracking_no="YW123456789CN", freight_fen=8800
    )
    ParcelLine.objects.create(parcel=booked, line=lines[0])
    booked.note(
        "Departed from the sorting centre of Guangzhou, bound for Los Angeles",
        kind="tracking",
        location="Guangzhou",
        happened_at="2026-11-20 10:12:00",
    )
    Parcel.objects.create(
        **common,
        status=ParcelStatus.FAILED,
        failure_reason="refused: 1003 the line is not in the warehouse yet; choose other lines",
    )
    item = SandboxProduct.objects.filter(platform="taobao").order_by("pk").first()
    sign_in(page, staff_user("purchaser"))

    paths = (
        "/logistics/",
        "/logistics/?attention=on",
        f"/logistics/parcels/{booked.pk}/",
        "/logistics/warehouse/",
        f"/logistics/lines/{lines[1].pk}/domestic/",
        f"/logistics/freight/?item_id={item.item_id}&quantity=2&country=US",
    )
    for path in paths:
        page.goto(f"{live_upstream}{path}")
        expect(page.locator("h1")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    expect(page.get_by_test_id("cheapest")).to_have_count(1)
    page.goto(f"{live_upstream}/logistics/?attention=on")
    expect(page.get_by_test_id("failure-reason")).to_contain_text("1003")
