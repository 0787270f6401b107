"""A purchaser fills and edits the upstream cart in a real browser: search, open an item, pick a
SKU, add it, change the quantity in place (totals update without a reload), remove the line."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from carts import services
from purchasing.models import ExchangeRate
from purchasing.money import format_cny
from tests.carts.factories import cache_product, pick
from tests.e2e.conftest import SCREENSHOTS
from upstream.sandbox import models as sandbox

pytestmark = pytest.mark.django_db(transaction=True)


def first_orderable_taobao_sku() -> sandbox.Sku:
    """Product 0 (Taobao) is always orderable and its first SKU is in stock."""
    product = sandbox.Product.objects.filter(platform="taobao").order_by("pk").first()
    return product.skus.filter(available=True, stock__gte=5).order_by("pk").first()


def test_search_add_to_cart_edit_quantity_and_remove(page, live_upstream, sign_in, staff_user):
    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.10")
    sign_in(page, staff_user("purchaser"))
    sku = first_orderable_taobao_sku()
    product = sku.product

    # Search by keyword and open the item.
    page.goto(f"{live_upstream}/goods/?platform=taobao")
    page.get_by_label("Keyword").fill(product.title)
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator(f'li.goods-card[data-item-id="{product.item_id}"] a.goods-card-link').click()
    expect(page.locator("h1")).to_have_text(product.title)
    # The SKU buttons answer once the page's deferred scripts have run: wait for them.
    page.wait_for_load_state("load")

    # Pick the SKU and add two to the cart.
    for prop in sku.properties:
        page.locator(f'.sku-value[data-value="{prop["valueName"]}"]').first.click()
    expect(page.locator("#add-sku-id")).to_have_value(sku.sku_id)
    page.locator("#add-quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    result = page.locator("#add-to-cart-result")
    expect(result).to_contain_text("Added 2 to the Taobao cart.")
    assert sandbox.CartItem.objects.get().quantity == 2

    # Open the cart: the line, its total and the seller's subtotal.
    result.get_by_role("link", name="Open the cart").click()
    expect(page).to_have_url(re.compile(r"/carts/$"))
    line = page.locator('[data-testid="cart-line"]')
    expect(line).to_have_count(1)
    expect(line).to_contain_text(product.title)
    expect(line.locator('[data-testid="line-total"]')).to_have_text(format_cny(2 * sku.price_fen))
    seller = page.locator('[data-testid="cart-seller"]')
    expect(seller).to_contain_text(product.shop.name)
    page.screenshot(path=str(SCREENSHOTS / "carts_cart_page.png"), full_page=True)

    # Change the quantity in place: totals change, the page is not reloaded.
    page.evaluate("document.body.dataset.sameDocument = 'yes'")
    quantity = line.locator('[data-testid="quantity"]')
    quantity.fill("3")
    quantity.press("Tab")
    three = format_cny(3 * sku.price_fen)
    expect(line.locator('[data-testid="line-total"]')).to_have_text(three)
    expect(seller.locator('[data-testid="seller-subtotal"]')).to_have_text(three)
    expect(page.locator('[data-testid="platform-total"]').first).to_have_text(three)
    assert page.evaluate("document.body.dataset.sameDocument") == "yes"
    assert sandbox.CartItem.objects.get().quantity == 3

    # Tick the line: the selection summary totals it.
    line.get_by_role("checkbox").check()
    summary = page.locator("#summary-taobao")
    expect(summary.locator('[data-testid="selection-total"]')).to_have_text(three)
    expect(summary.get_by_role("button", name="Preview order")).to_be_enabled()
    page.screenshot(path=str(SCREENSHOTS / "carts_selected.png"), full_page=True)

    # Remove the line, after a confirm.
    page.once("dialog", lambda dialog: dialog.accept())
    line.get_by_role("button", name=re.compile("^Remove")).click()
    expect(page.get_by_text("Your Taobao cart is empty")).to_be_visible()
    assert page.evaluate("document.body.dataset.sameDocument") == "yes"
    assert not sandbox.CartItem.objects.exists()


def test_cart_on_a_phone_with_sellers_to_split(phone_page, live_upstream, sign_in, staff_user):
    """At 390 px: both platforms, several 1688 sellers ticked, the split warning shown."""
    page = phone_page
    taken: list[str] = []
    for platform, count in (("taobao", 2), ("1688", 3)):
        for _ in range(count):
            sku = pick(platform, stock=200, exclude=taken)
            # Another seller each time, so the 1688 selection needs several orders.
            taken += list(
                sandbox.Product.objects.filter(shop=sku.product.shop).values_list(
                    "item_id", flat=True
                )
            )
            cache_product(sku.product)
            services.cart_add(
                platform=platform,
                item_id=sku.product.item_id,
                sku_id=sku.sku_id,
                quantity=max(sku.product.min_order_quantity, 1),
            )
    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.10")
    sign_in(page, staff_user("purchaser"))

    page.goto(f"{live_upstream}/carts/")
    section = page.locator("#cart-1688")
    expect(section.locator('[data-testid="cart-seller"]')).to_have_count(3)
    for box in section.get_by_role("checkbox").all():
        box.check()
        expect(box).to_be_checked()
    expect(section.locator('[data-testid="order-warning"]')).to_contain_text(
        "These 3 sellers make 3 upstream orders"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the cart page scrolls sideways on a phone ({width} px)"
