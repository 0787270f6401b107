"""A purchaser takes a shipped order line through a return to a refund in a real browser,
against the live sandbox: open the case, exchange a message, send the return's tracking
number, tick the sandbox and see the refund arrive on the case page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftersales.models import RefundCase
from tests.aftersales.conftest import paid_order
from tests.e2e.conftest import SCREENSHOTS
from tests.orders.conftest import Live, People

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_return_from_open_to_refund(page, live_upstream, sign_in, staff_user):
    people = People(
        purchaser=staff_user("purchaser"),
        approver=staff_user("approver"),
        finance=staff_user("finance"),
    )
    live = Live(live_upstream)
    order = paid_order(people, live, shipped=True)

    sign_in(page, people.purchaser)
    page.goto(f"{live_upstream}/orders/{order.pk}/")
    page.get_by_test_id("open-aftersales").first.click()
    page.get_by_label("Return and refund").check()
    page.get_by_label("Goods status").select_option("2")
    page.get_by_role("button", name="Ask the upstream what is allowed").click()
    expect(page.get_by_test_id("case-options")).to_be_visible()
    expect(page.get_by_test_id("amount")).not_to_have_value("")
    page.get_by_label("Description").fill("颜色不对")
    page.screenshot(path=str(SCREENSHOTS / "aftersales_open.png"), full_page=True)
    page.get_by_role("button", name="Save the case").click()

    case = RefundCase.objects.get(order=order)
    expect(page.get_by_test_id("confirm-amount")).to_be_visible()
    page.get_by_role("button", name="Send the claim").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Waiting for the seller")

    page.get_by_role("textbox", name="Message").fill("请同意退货")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("thread")).to_contain_text("请同意退货")

    live.control("tick")
    page.get_by_role("button", name="Refresh from upstream").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Return agreed: send the goods")
    step = page.get_by_test_id("return-step")
    expect(step.get_by_test_id("return-address")).not_to_be_empty()
    step.get_by_label("Logistics company").select_option("SF")
    step.get_by_label("Tracking number").fill("SF1234567890")
    step.get_by_role("button", name="Send the tracking number").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Goods travelling back")

    live.control("tick")
    page.get_by_role("button", name="Refresh from upstream").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Refunded")
    expect(page.get_by_test_id("case-refunded")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "aftersales_refunded.png"), full_page=True)
    case.refresh_from_db()
    order.refresh_from_db()
    assert order.refunded_fen == case.agreed_fen > 0
