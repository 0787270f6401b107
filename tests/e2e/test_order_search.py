"""A purchaser finds an order by a word of its title in a real browser, and sees what it was."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_order_searched_by_a_word_of_its_title_is_found(page, live_server, sign_in, staff_user):
    purchaser = staff_user("purchaser")
    mat = PurchaseOrderFactory(status=OrderStatus.PAID, created_by=purchaser)
    PurchaseOrderLineFactory(
        order=mat,
        title="加厚瑜伽垫防滑健身垫",
        title_en="Thick non-slip yoga mat",
        seller_name="静心运动旗舰店",
        variant="颜色分类: 蓝色 (blue)",
    )
    flask = PurchaseOrderFactory(status=OrderStatus.PAID, created_by=purchaser)
    PurchaseOrderLineFactory(order=flask, title="不锈钢保温杯", title_en="Vacuum flask")

    sign_in(page, purchaser)
    page.goto(f"{live_server.url}/orders/")
    rows = page.get_by_test_id("order-row")
    expect(rows).to_have_count(2)

    page.get_by_label("Search by what was bought or any id").fill("瑜伽")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(mat.reference)
    expect(rows.first).to_contain_text("颜色分类: 蓝色 (blue)")

    page.get_by_label("Search by what was bought or any id").fill("yoga")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name=mat.reference).click()
    expect(page.get_by_test_id("order-reference")).to_have_text(mat.reference)
    expect(page.get_by_test_id("line-variant")).to_have_text("颜色分类: 蓝色 (blue)")
