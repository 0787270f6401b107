"""The pay list in a real browser: one box ticks every order that may be paid, the running total
follows the ticks in yuan, and each reference opens its order."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def awaiting(total_fen: int, **fields):
    order = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT, upstream_total_fen=total_fen, **fields
    )
    PurchaseOrderLineFactory(order=order)
    return order


def test_select_all_and_the_running_total_follow_the_ticks(page, live_server, sign_in, staff_user):
    first, second = awaiting(123_450), awaiting(50)
    held = awaiting(99_900, needs_attention=True, attention_reason="price moved")
    sign_in(page, staff_user("finance"))
    page.goto(f"{live_server.url}/checkout/pay/")
    total = page.get_by_test_id("pay-running-total")
    expect(total).to_have_text("Ticked orders: 0, total ¥0.00")

    page.get_by_test_id("pay-select-all").check()
    expect(total).to_have_text("Ticked orders: 2, total ¥1,235.00")
    expect(page.get_by_label(f"Pay {held.reference}")).not_to_be_checked()

    page.get_by_label(f"Pay {second.reference}").uncheck()
    expect(total).to_have_text("Ticked orders: 1, total ¥1,234.50")
    expect(page.get_by_test_id("pay-select-all")).not_to_be_checked()
    page.get_by_label(f"Pay {second.reference}").check()
    expect(page.get_by_test_id("pay-select-all")).to_be_checked()

    page.get_by_role("link", name=first.reference).click()
    expect(page).to_have_url(re.compile(rf"/orders/{first.pk}/$"))
    expect(page.get_by_test_id("order-reference")).to_have_text(first.reference)
