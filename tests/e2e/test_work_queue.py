"""The work queue in a real browser: an approver assigns an order and it is in that purchaser's
"My work"; a purchaser takes an order from the exceptions queue, leaves it alone, and the
claim goes back to the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from purchasing.services.orders.work import release_idle_order_claims
from tests.orders.factories import PurchaseOrderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def second_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    return context.new_page()


def test_an_approver_assigns_and_the_order_is_in_my_work(
    page, browser, live_server, sign_in, staff_user
):
    approver, purchaser = staff_user("approver"), staff_user("purchaser")
    order = PurchaseOrderFactory()

    sign_in(page, approver)
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    work = page.get_by_test_id("work")
    expect(work).to_contain_text("In the queue: nobody has it.")
    work.get_by_label("Person").select_option(label=purchaser.username)
    work.get_by_role("button", name="Assign to…").click()
    expect(page.get_by_text(f"{order.reference} assigned to {purchaser.username}.")).to_be_visible()
    expect(page.get_by_test_id("work")).to_contain_text(f"Assigned to {purchaser.username}")

    theirs = second_page(browser)
    try:
        sign_in(theirs, purchaser)
        theirs.get_by_role("link", name="My work").first.click()
        expect(theirs.get_by_role("heading", name="My work")).to_be_visible()
        row = theirs.get_by_test_id("my-order")
        expect(row).to_contain_text(order.reference)
        expect(row).to_contain_text("Assigned")
    finally:
        theirs.context.close()


def test_a_claim_left_alone_goes_back_to_the_queue(page, live_server, sign_in, staff_user):
    purchaser = staff_user("purchaser")
    order = PurchaseOrderFactory(needs_attention=True, attention_reason="check the price")

    sign_in(page, purchaser)
    page.goto(f"{live_server.url}/orders/exceptions/")
    row = page.locator(f'[data-testid="exception-row"][data-reference="{order.reference}"]')
    row.get_by_role("button", name="Take").click()
    expect(page.get_by_text(f"{order.reference} is yours now.")).to_be_visible()
    page.goto(f"{live_server.url}/work/")
    expect(page.get_by_test_id("my-order")).to_contain_text(order.reference)

    # Nobody touches it for longer than the claim lasts: the periodic task gives it back.
    assert release_idle_order_claims(now=timezone.now() + timedelta(hours=3)) == 1

    page.reload()
    expect(page.get_by_test_id("my-order")).to_have_count(0)
    expect(page.get_by_text("No order is yours.")).to_be_visible()
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    expect(page.get_by_test_id("work")).to_contain_text("In the queue: nobody has it.")
    expect(page.get_by_text("expired after 120 minutes without action")).to_be_visible()
