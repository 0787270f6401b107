"""A purchaser takes a shipped order line through a return to a refund in a real browser,
against the live sandbox: open the case, exchange a message, send the return's tracking
number, tick the sandbox and see the refund arrive on the case page. And the case list and
case page (with its evidence pack) on a 390 px phone, without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftersales.models import RefundCase
from aftersales.services import case_submit
from tests.aftersales.conftest import paid_order
from tests.aftersales.factories import open_taobao
from tests.e2e.conftest import SCREENSHOTS
from tests.orders.conftest import Live, People

pytestmark = pytest.mark.django_db(transaction=True)


def make_people(staff_user) -> People:
    return People(
        purchaser=staff_user("purchaser"),
        approver=staff_user("approver"),
        finance=staff_user("finance"),
    )


def sideways(page) -> int:
    """How far the page scrolls sideways (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_return_from_open_to_refund(page, live_upstream, sign_in, staff_user):
    people = make_people(staff_user)
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
    # No reason is chosen for the person: the claim is not saved until one is.
    expect(page.locator('input[name="reason"]:checked')).to_have_count(0)
    page.locator('input[name="reason"]').first.check()
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


def test_the_case_list_and_the_case_page_fit_a_phone(
    phone_page, live_upstream, sign_in, staff_user
):
    people = make_people(staff_user)
    order = paid_order(people, Live(live_upstream), shipped=True)
    case = open_taobao(order, people.purchaser, description="颜色不对，尺码也不对")
    case_submit(case=case, actor=people.purchaser)
    page = phone_page

    sign_in(page, people.purchaser)
    page.goto(f"{live_upstream}/aftersales/")
    expect(page.get_by_test_id("case-row")).to_have_count(1)
    assert sideways(page) <= 0
    page.get_by_role("link", name=case.reference).click()
    page.get_by_test_id("attach-pack").click()
    expect(page.get_by_test_id("pack-summary")).to_contain_text("订单按")  # the seller's words
    expect(page.get_by_test_id("pack-trace")).not_to_have_count(0)
    page.get_by_role("textbox", name="Message").fill("请看物流记录")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("thread")).to_contain_text("请看物流记录")
    expect(page.get_by_test_id("pack-summary-status")).to_contain_text("Sent in the message")
    assert sideways(page) <= 0
