"""The main flow in Simplified Chinese, in a real browser, found by the Chinese words a person
reads: a purchaser whose browser speaks Chinese searches, fills her basket, previews and confirms
an order that waits for approval; an approver whose browser speaks English switches to 中文 and
approves it. On every page walked, each visible label, button, heading, menu entry and message
carries Chinese (CI installs a CJK font, so the screenshots under var/screenshots/ show it)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from purchasing.models import ApprovalRule, PurchaseOrder
from purchasing.statuses import OrderStatus
from tests.purchasing.factories import PASSWORD
from upstream.sandbox import models as sandbox

pytestmark = pytest.mark.django_db(transaction=True)

CJK = re.compile(r"[\u3400-\u9fff]")
# Not words to translate: amounts, counts, references, ids, the product's name, the switcher's.
NOT_WORDS = re.compile(r"[\d\s¥$.,:/#×+\-–—()%…↑↓→←·]*|CG\w+|Caigou|English|简体中文|SKU")
CHROME = "nav a, h1, h2, h3, label, button, th, legend, summary, .messages li, .empty-state"


def english_left(page, *, data: tuple[str, ...] = ()) -> list[str]:
    """Visible interface text with no Chinese in it, leaving out what is data (`data`)."""
    texts = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter((e) => e.offsetParent !== null)
            .map((e) => e.innerText.trim()).filter(Boolean)""",
        CHROME,
    )
    return [
        text
        for text in texts
        if not CJK.search(text)
        and not NOT_WORDS.fullmatch(text)
        and not any(text in value or value in text for value in data)
    ]


def in_chinese(page, *data: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert not english_left(page, data=data), (page.url, english_left(page, data=data))


def well_stocked_taobao_sku() -> sandbox.Sku:
    product = sandbox.Product.objects.filter(platform="taobao").order_by("pk").first()
    return product.skus.filter(available=True, stock__gte=5).order_by("pk").first()


@pytest.fixture
def chinese_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    try:
        page.screenshot(path="var/screenshots/chinese_flow.png", full_page=True)
    finally:
        context.close()


def test_a_purchaser_and_an_approver_work_in_chinese(chinese_page, page, live_upstream, staff_user):
    ApprovalRule.objects.create(
        name="每单审批", kind=ApprovalRule.Kind.AMOUNT, min_total_fen=1, approvals_needed=1
    )
    purchaser, approver = staff_user("purchaser"), staff_user("approver")
    sku = well_stocked_taobao_sku()
    product = sku.product
    data = (product.title, product.title_en or product.title, product.category_name)

    # The sign-in page already speaks the browser's language.
    p = chinese_page
    p.goto(f"{live_upstream}/login/")
    in_chinese(p)
    p.get_by_label("用户名").fill(purchaser.username)
    p.get_by_label("密码").fill(PASSWORD)
    p.get_by_role("button", name="登录").click()
    expect(p.locator("#main-nav").get_by_role("link", name="商品")).to_be_visible()
    in_chinese(p)

    # An error is in Chinese too: a share short link cannot be read.
    p.goto(f"{live_upstream}/goods/")
    in_chinese(p)
    p.get_by_label("商品 ID 或链接").fill("https://m.tb.cn/h.5abc")
    p.get_by_role("button", name="打开", exact=True).click()
    expect(p.locator("#items-error")).to_contain_text("这是分享短链接")
    in_chinese(p)

    # Search by keyword, open the item, choose the SKU and put two in the basket.
    p.get_by_label("关键词").fill(product.category_name)
    p.get_by_role("button", name="搜索", exact=True).click()
    expect(p.get_by_role("heading", name=f"“{product.category_name}”的搜索结果")).to_be_visible()
    p.locator(".goods-card", has_text=product.title).get_by_role("link").first.click()
    expect(p.get_by_role("heading", name="到仓成本")).to_be_visible()
    # The SKU buttons answer once the page's deferred scripts have run: wait for them.
    p.wait_for_load_state("load")
    for prop in sku.properties:
        p.locator(f'.sku-value[data-value="{prop["valueName"]}"]').first.click()
    expect(p.locator("#add-sku-id")).to_have_value(sku.sku_id)
    p.locator("#add-quantity").fill("2")
    p.get_by_role("button", name="加入采购篮").click()
    expect(p.locator("#add-to-cart-result")).to_contain_text("已将 2 件加入你的采购篮")
    values = tuple(
        v for prop in sku.properties for v in (prop["valueName"], prop.get("valueNameEn", "")) if v
    )
    in_chinese(p, *data, *values)

    # The basket, then a preview of the order, then confirm: it waits for approval.
    p.get_by_role("link", name="打开我的采购篮").click()
    expect(p.get_by_role("heading", name="我的采购篮")).to_be_visible()
    in_chinese(p, *data, *values)
    p.get_by_role("button", name="预览采购单").click()
    expect(p).to_have_url(re.compile(r"/checkout/\d+/preview/$"))
    in_chinese(p, *data, *values)
    p.get_by_label("给审批人的备注").fill("春季目录用")
    p.get_by_role("button", name="保存备注").click()
    p.get_by_role("link", name="确认采购单…").click()
    in_chinese(p, *data, *values)
    p.get_by_role("button", name=re.compile("^确认并申请审批")).click()
    order = PurchaseOrder.objects.get()
    assert order.status == OrderStatus.AWAITING_APPROVAL
    expect(p.get_by_role("heading", name=re.compile(order.reference))).to_be_visible()
    expect(p.locator(".messages")).to_contain_text("等待审批人审批")
    in_chinese(p, *data, *values)

    # The approver's browser speaks English; she switches to 中文, and approves.
    page.goto(f"{live_upstream}/login/")
    page.get_by_label("Username").fill(approver.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_upstream}/checkout/approvals/")
    assert english_left(page, data=data), "the check must see English on an English page"
    page.get_by_test_id("language-switch").get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", name=re.compile("审批"))).to_be_visible()
    in_chinese(page, *data, *values)
    page.get_by_role("link", name=order.reference).click()
    expect(page.get_by_text("需要审批的原因")).to_be_visible()
    expect(page.get_by_text("春季目录用")).to_be_visible()
    in_chinese(page, *data, *values)
    page.get_by_role("button", name=re.compile("^批准并提交")).click()
    expect(page.get_by_text(f"已批准：{order.reference} 已提交。")).to_be_visible()
    in_chinese(page, *data, *values)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.approved_by == approver
