"""A 1688 draft of two sellers through Dajisaas, in a real browser: its preview offers the split
instead of the confirm, and after the split each part is previewed and can be confirmed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from purchasing.models import PurchaseOrder
from purchasing.services.orders.preview import order_create_from_items, order_preview
from purchasing.statuses import OrderStatus
from tests.e2e.conftest import SCREENSHOTS
from tests.orders.factories import ADDRESS
from tests.upstream.factories import pick

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_two_seller_dajisaas_draft_is_split_from_its_preview(
    page, live_upstream, sign_in, staff_user, settings
):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    purchaser = staff_user("purchaser")
    first = pick("1688")
    second = pick("1688", other_shop_than=(first,))
    items = [
        {"item_id": p.product.item_id, "spec_id": p.sku.spec_id, "quantity": p.quantity}
        for p in (first, second)
    ]
    order = order_create_from_items(platform="1688", items=items, address=ADDRESS, actor=purchaser)
    order_preview(order=order, actor=purchaser)

    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/checkout/{order.pk}/preview/")
    needed = page.locator('[data-testid="split-needed"]')
    expect(needed).to_contain_text("one seller at a time")
    expect(needed.locator("tbody tr")).to_have_count(2)
    expect(page.locator('[data-testid="confirm-link"]')).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "split-needed.png"), full_page=True)

    page.get_by_role("button", name="Split into 2 orders").click()

    parts = page.locator('[data-testid="split-parts"] tbody tr')
    expect(parts).to_have_count(2)
    expect(parts.first).to_contain_text(f"{order.reference}-1")
    assert set(PurchaseOrder.objects.filter(split_from=order).values_list("status", flat=True)) == {
        OrderStatus.PREVIEWED
    }

    page.screenshot(path=str(SCREENSHOTS / "split-parts.png"), full_page=True)
    parts.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/checkout/\d+/preview/$"))
    expect(page.locator('[data-testid="part-of"]')).to_contain_text(order.reference)
    expect(page.locator('[data-testid="confirm-link"]')).to_be_visible()
