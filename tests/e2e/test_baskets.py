"""Two purchasers, two baskets, in a real browser: `purchaser` and `purchaser2` each add goods
from the item page to their own basket; neither sees the other's private lines; a basket
shared with the team is seen (read only) by the other; "Preview an order" takes the lines out
of the basket into a previewed draft."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from carts.models import BasketLine
from purchasing.models import PurchaseOrder
from upstream.sandbox import models as sandbox

pytestmark = pytest.mark.django_db(transaction=True)


def orderable_taobao_sku(index: int) -> sandbox.Sku:
    """Products 0-9 are always orderable; take the first well-stocked SKU of product `index`."""
    products = sandbox.Product.objects.filter(platform="taobao").order_by("pk")
    return products[index].skus.filter(available=True, stock__gte=5).order_by("pk").first()


def add_to_basket(page, base: str, sku: sandbox.Sku, quantity: int) -> None:
    page.goto(f"{base}/goods/taobao/{sku.product.item_id}/")
    for prop in sku.properties:
        page.locator(f'.sku-value[data-value="{prop["valueName"]}"]').first.click()
    expect(page.locator("#add-sku-id")).to_have_value(sku.sku_id)
    page.locator("#add-quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to basket").click()
    expect(page.locator("#add-to-cart-result")).to_contain_text(f"Added {quantity} to your basket")


def test_each_purchaser_has_a_private_basket_and_can_share_it(
    browser, page, live_upstream, sign_in, staff_user
):
    first = staff_user("purchaser", username="purchaser")
    second = staff_user("purchaser", username="purchaser2")
    mat, cup = orderable_taobao_sku(0), orderable_taobao_sku(1)
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    other.set_default_timeout(10_000)
    page2 = other.new_page()
    try:
        sign_in(page, first)
        sign_in(page2, second)
        add_to_basket(page, live_upstream, mat, 2)
        add_to_basket(page2, live_upstream, cup, 1)

        # Each sees their own line in "My basket", and not the other's.
        page.get_by_role("link", name="Open my basket").click()
        expect(page.get_by_role("heading", name="My basket")).to_be_visible()
        lines = page.locator('[data-testid="basket-line"]')
        expect(lines).to_have_count(1)
        expect(lines).to_contain_text(mat.product.title)
        expect(page.locator("main")).not_to_contain_text(cup.product.title)
        page2.goto(f"{live_upstream}/baskets/")
        expect(page2.locator('[data-testid="basket-line"]')).to_contain_text(cup.product.title)
        expect(page2.locator("main")).not_to_contain_text(mat.product.title)
        expect(page2.get_by_text("Baskets shared by the team")).to_have_count(0)

        # purchaser2 shares: purchaser finds it among the team's baskets and can only read it.
        page2.get_by_role("button", name="Share with the team").click()
        expect(page2.get_by_text("Your basket is shared: the team can see it.")).to_be_visible()
        page.reload()
        shared = page.locator('[data-testid="shared-baskets"]')
        expect(shared).to_contain_text("Baskets shared by the team")
        shared.get_by_role("link", name="purchaser2").click()
        expect(page.get_by_role("heading", name="purchaser2's basket")).to_be_visible()
        expect(page.locator('[data-testid="basket-line"]')).to_contain_text(cup.product.title)
        expect(page.get_by_role("button", name="Remove")).to_have_count(0)
        expect(page.get_by_role("button", name="Preview an order")).to_have_count(0)

        # purchaser2 still never sees purchaser's private lines.
        page2.reload()
        expect(page2.locator("main")).not_to_contain_text(mat.product.title)

        # purchaser orders from the basket: a previewed draft, and the basket is empty after.
        page.get_by_role("link", name="Back to my basket").click()
        page.get_by_role("button", name="Preview an order").click()
        expect(page).to_have_url(re.compile(r"/checkout/\d+/preview/$"))
        order = PurchaseOrder.objects.get()
        assert order.created_by == first
        assert [(x.item_id, x.quantity) for x in order.lines.all()] == [(mat.product.item_id, 2)]
        page.goto(f"{live_upstream}/baskets/")
        expect(page.get_by_text("This basket is empty.")).to_be_visible()
        assert list(BasketLine.objects.values_list("basket__owner__username", flat=True)) == [
            "purchaser2"
        ]
    finally:
        other.close()
