"""Checkout in a real browser against the sandbox: cart -> preview -> confirm -> submitted ->
paid through the batch confirmation (one create and one payment in the sandbox ledger), and an
order above the purchaser's limit approved by an approver (on a phone) and submitted."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from carts import services as carts
from purchasing.models import ExchangeRate, PurchaseOrder
from purchasing.money import format_cny
from purchasing.statuses import OrderStatus
from tests.carts.factories import cache_product, pick
from tests.e2e.conftest import SCREENSHOTS
from tests.orders.conftest import control_headers

pytestmark = pytest.mark.django_db(transaction=True)


def ledger(base_url: str, reference: str) -> list[dict]:
    response = requests.get(
        f"{base_url}/sandbox/_control/ledger",
        params={"outer_ref": reference},
        headers=control_headers(),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["entries"]


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_cart_to_preview_to_submit_to_pay(page, live_upstream, sign_in, staff_user):
    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.10")
    sku = pick("taobao")
    cache_product(sku.product)
    carts.cart_add(platform="taobao", item_id=sku.product.item_id, sku_id=sku.sku_id, quantity=2)

    # The purchaser ticks the cart line and previews it.
    sign_in(page, staff_user("purchaser"))
    page.goto(f"{live_upstream}/carts/")
    section = page.locator("#cart-taobao")
    section.locator('[data-testid="cart-line"]').get_by_role("checkbox").check()
    expect(section.locator('[data-testid="selection-total"]')).to_have_text(
        format_cny(2 * sku.price_fen)
    )
    section.get_by_role("button", name="Preview order").click()

    expect(page).to_have_url(re.compile(r"/checkout/\d+/preview/$"))
    order = PurchaseOrder.objects.get()
    expect(page.locator('[data-testid="preview-seller"]')).to_have_count(1)
    expect(page.locator('[data-testid="preview-seller"]')).to_contain_text(sku.product.shop.name)
    expect(page.locator('[data-testid="preview-total"]')).to_have_text(
        format_cny(order.quoted_total_fen)
    )
    expect(page.locator('[data-testid="split"]')).to_contain_text("One Taobao order")
    page.screenshot(path=str(SCREENSHOTS / "checkout_preview.png"), full_page=True)

    # Confirm: the confirmation names the total, then the order is submitted.
    page.get_by_role("link", name="Confirm order…").click()
    expect(page.locator('[data-testid="commit-total"]')).to_have_text(
        format_cny(order.quoted_total_fen)
    )
    page.locator('[data-testid="confirm-button"]').click()
    expect(page.get_by_text("is submitted to the upstream")).to_be_visible()
    expect(page.locator('[data-testid="order-status"]')).to_contain_text("Awaiting payment")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT

    # Finance pays it through the batch confirmation.
    sign_out(page)
    sign_in(page, staff_user("finance"))
    page.goto(f"{live_upstream}/checkout/pay/")
    page.get_by_label(f"Pay {order.reference}").check()
    page.get_by_role("button", name="Review payment…").click()
    total = format_cny(order.upstream_total_fen)
    expect(page.locator('[data-testid="pay-total"]')).to_have_text(total)
    page.screenshot(path=str(SCREENSHOTS / "checkout_pay_confirm.png"), full_page=True)
    page.get_by_role("button", name=f"Pay {total}").click()

    expect(page).to_have_url(re.compile(r"/checkout/pay/result/"))
    row = page.locator('[data-testid="pay-result-row"]')
    expect(row).to_contain_text(order.reference)
    expect(row).to_contain_text("Paid")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    entries = ledger(live_upstream, order.reference)
    assert [e["kind"] for e in entries].count("create") == 1
    assert [e["kind"] for e in entries].count("pay") == 1


def test_an_approver_approves_an_order_above_the_purchasers_limit(
    page, phone_page, live_upstream, sign_in, staff_user
):
    from tests.upstream.factories import pick as pick_sandbox

    purchaser = staff_user("purchaser")
    purchaser.staff_profile.order_limit_fen = 1
    purchaser.staff_profile.save()
    chosen = pick_sandbox("taobao")

    # The purchaser builds the order by item id, previews and confirms it: it waits.
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/checkout/new/")
    page.get_by_label("Items").fill(
        f"{chosen.product.item_id} {chosen.sku.sku_id} {chosen.quantity}"
    )
    page.get_by_role("button", name="Preview order").click()
    expect(page.locator('[data-testid="approval-note"]')).to_be_visible()
    page.get_by_role("link", name="Confirm order…").click()
    page.get_by_role("button", name=re.compile("^Confirm and ask for approval")).click()
    expect(page.locator('[data-testid="awaiting-approval"]')).to_be_visible()
    order = PurchaseOrder.objects.get()
    assert order.status == OrderStatus.AWAITING_APPROVAL

    # The approver, on a phone, finds it in the queue and approves it with a comment.
    approver = phone_page
    sign_in(approver, staff_user("approver"))
    approver.goto(f"{live_upstream}/checkout/approvals/")
    approver.get_by_role("link", name=order.reference).click()
    expect(approver.locator('[data-testid="commit-total"]')).to_have_text(
        format_cny(order.quoted_total_fen)
    )
    width = approver.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the approval page scrolls sideways on a phone ({width} px)"
    approver.get_by_label("Comment").fill("fine for the spring range")
    approver.get_by_role("button", name=re.compile("^Approve and submit")).click()

    expect(approver.get_by_text(f"Approved: {order.reference} is submitted.")).to_be_visible()
    expect(approver.get_by_text("Nothing waits for approval.")).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.events.filter(kind="approved", message="fine for the spring range").exists()
    creates = [e for e in ledger(live_upstream, order.reference) if e["kind"] == "create"]
    assert len(creates) == 1
