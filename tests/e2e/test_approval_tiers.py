"""Tiered approval in a real browser against the sandbox: an order that an approval rule asks two
approvals for is approved by one approver, still waits, cannot be approved by the same person
again, and is submitted once a second, different approver approves it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from purchasing.models import ApprovalRule, PurchaseOrder
from purchasing.statuses import OrderStatus

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_a_two_tier_order_needs_two_different_approvers(
    page, phone_page, live_upstream, sign_in, staff_user
):
    from tests.upstream.factories import pick as pick_sandbox

    ApprovalRule.objects.create(
        name="Every order twice",
        kind=ApprovalRule.Kind.AMOUNT,
        min_total_fen=1,
        approvals_needed=2,
    )
    purchaser, first, second = (
        staff_user("purchaser"),
        staff_user("approver"),
        staff_user("approver"),
    )
    chosen = pick_sandbox("taobao")

    # The purchaser previews an order; the preview says the rule will ask two approvals.
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/checkout/new/")
    page.get_by_label("Items").fill(
        f"{chosen.product.item_id} {chosen.sku.sku_id} {chosen.quantity}"
    )
    page.get_by_role("button", name="Preview order").click()
    expect(page.get_by_text("Once confirmed it waits for 2 approvals")).to_be_visible()
    expect(page.get_by_text("Rule “Every order twice”")).to_be_visible()
    page.get_by_label("Note to the approver").fill("For the spring catalogue")
    page.get_by_role("button", name="Save the note").click()
    page.get_by_role("link", name="Confirm order…").click()
    page.get_by_role("button", name=re.compile("^Confirm and ask for approval")).click()
    order = PurchaseOrder.objects.get()
    assert order.status == OrderStatus.AWAITING_APPROVAL
    sign_out(page)

    # The first approver sees why it waits, the note and the count, and gives one approval.
    sign_in(page, first)
    page.goto(f"{live_upstream}/checkout/approvals/")
    page.get_by_role("link", name=order.reference).click()
    expect(page.get_by_text("Why it needs approval")).to_be_visible()
    expect(page.get_by_text("Approvals: 0 of 2")).to_be_visible()
    expect(page.get_by_text("For the spring catalogue")).to_be_visible()
    page.get_by_role("button", name="Approve (1 of 2)").click()
    expect(
        page.get_by_text(f"Approved: {order.reference} waits for another approver.")
    ).to_be_visible()
    page.get_by_role("link", name=order.reference).click()
    expect(page.get_by_text("You have approved this order")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL

    # A second approver, on a phone, gives the last approval: the order is submitted.
    sign_in(phone_page, second)
    phone_page.goto(f"{live_upstream}/checkout/approvals/")
    phone_page.get_by_role("link", name=order.reference).click()
    expect(phone_page.get_by_test_id("approval-count")).to_contain_text(
        f"Approvals: 1 of 2 — {first.username}"
    )
    phone_page.get_by_role("button", name=re.compile("^Approve and submit")).click()
    expect(phone_page.get_by_text(f"Approved: {order.reference} is submitted.")).to_be_visible()

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.approved_by == second
    assert list(order.approvals.values_list("approver", flat=True)) == [first.pk, second.pk]
    assert order.events.filter(message=f"Approved 1 of 2 by {first.username}").exists()
    assert order.events.filter(
        kind="approved", message=f"Approved 2 of 2 by {second.username}"
    ).exists()
