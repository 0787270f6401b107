"""Finance pays an order through its confirmation page in a real browser, against the live
sandbox; the sandbox ticks and the order page shows it shipped, every step on the timeline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from purchasing.money import format_cny
from purchasing.statuses import OrderStatus
from tests.e2e.conftest import SCREENSHOTS
from tests.orders.conftest import People, control_headers, submitted_order
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Payment

pytestmark = pytest.mark.django_db(transaction=True)


def test_finance_pays_through_the_confirmation_page_and_watches_the_order_ship(
    page, live_upstream, sign_in, staff_user
):
    people = People(
        purchaser=staff_user("purchaser"),
        approver=staff_user("approver"),
        finance=staff_user("finance"),
    )
    order = submitted_order(people)  # previewed, confirmed and created upstream by the services
    assert order.status == OrderStatus.AWAITING_PAYMENT
    total = format_cny(order.upstream_total_fen)

    sign_in(page, people.finance)
    page.goto(f"{live_upstream}/orders/")
    row = page.locator(f'[data-testid="order-row"][data-reference="{order.reference}"]')
    expect(row).to_contain_text("Awaiting payment")
    row.get_by_role("link", name=order.reference).click()
    expect(page.get_by_test_id("order-reference")).to_have_text(order.reference)
    expect(page.get_by_test_id("order-status")).to_have_text("Awaiting payment")
    # Finance reads the order; the only change it may make is paying.
    actions = page.locator("#actions")
    expect(actions.get_by_role("button", name="Cancel order…")).to_have_count(0)

    # Pay: the confirmation page lists the order and the total; nothing is paid before it.
    actions.get_by_role("button", name="Pay…").click()
    expect(page.get_by_role("heading", name="Pay 1 order?")).to_be_visible()
    expect(page.get_by_test_id("plan-row")).to_contain_text(order.reference)
    expect(page.get_by_test_id("pay-total")).to_contain_text(total)
    assert not Payment.objects.filter(order__outer_ref=order.reference).exists()
    page.screenshot(path=str(SCREENSHOTS / "orders_pay_confirmation.png"), full_page=True)
    page.get_by_role("button", name=f"Pay {total} now").click()

    # What happened, per order (tasks run in-process: the payment went through).
    result = page.get_by_test_id("bulk-result")
    expect(result).to_contain_text(f"Payment of {total} requested; it is now paid.")
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
    result.get_by_role("link").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Paid")

    # The seller ships in the sandbox; the page shows it after a refresh from the upstream.
    ticked = page.request.post(f"{live_upstream}/sandbox/_control/tick", headers=control_headers())
    assert ticked.ok
    assert SandboxOrder.objects.get(outer_ref=order.reference).status == "WAIT_BUYER_CONFIRM_GOODS"
    page.locator("#actions").get_by_role("button", name="Refresh from upstream").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Shipped by seller")
    page.reload()
    expect(page.get_by_test_id("order-status")).to_have_text("Shipped by seller")

    # Every step is on the timeline, in order.
    steps = page.locator('[data-testid="timeline-event"]').evaluate_all(
        "events => events.map(e => e.dataset.to)"
    )
    moved = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
    for status in ("previewed", "submitting", "awaiting_payment", "paying", "paid", "shipped"):
        assert status in moved
    assert moved.index("paying") < moved.index("paid") < moved.index("shipped")
    expect(page.get_by_test_id("timeline")).to_contain_text(re.compile(r"Paid → Shipped"))
    # The logistics timeline loads by itself once shipped.
    expect(page.get_by_test_id("logistics")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "orders_shipped.png"), full_page=True)


def test_order_pages_fit_a_phone(phone_page, live_server, sign_in, staff_user):
    from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory

    page = phone_page
    order = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT,
        upstream_order_id="3671344430281066684",
        upstream_order_ids=["3671344430281066684"],
        needs_attention=True,
        attention_reason="payment stopped: the upstream asks 7290 fen; 7190 fen was accepted",
        seller_name="星辰小铺",
    )
    PurchaseOrderLineFactory(order=order, title="热卖运动速干男士短裤 " * 3)
    sign_in(page, staff_user("approver"))

    for path in ("/orders/", f"/orders/{order.pk}/", "/orders/exceptions/", "/dashboard/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    page.goto(f"{live_server.url}/orders/")
    expect(page.get_by_test_id("attention-badge")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "orders_list_phone.png"), full_page=True)
