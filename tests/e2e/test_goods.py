"""A purchaser finding goods in a real browser: by keyword, by a pasted 1688 link, by picture, and
choosing a SKU on the item page (price, stock, landed cost, unavailable combinations)."""

from __future__ import annotations

import base64
import re
from decimal import Decimal

import pytest
import requests
from django.core.cache import cache
from playwright.sync_api import expect

from purchasing.models import ExchangeRate
from upstream.sandbox.models import Product as SandboxProduct
from upstream.sandbox.models import Sku as SandboxSku

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def purchaser(staff_user, live_upstream):
    cache.clear()
    ExchangeRate.objects.create(currency="USD", cny_per_unit=Decimal("7.20"))
    return staff_user("purchaser")


def sandbox_product(platform: str, index: int = 0) -> SandboxProduct:
    return SandboxProduct.objects.filter(platform=platform).order_by("pk")[index]


def sku_of(row: SandboxProduct, colour: str, size: str) -> SandboxSku:
    for sku in row.skus.all():
        values = {p["propNameEn"]: p["valueNameEn"] for p in sku.properties}
        if values == {"Colour": colour, "Size": size}:
            return sku
    raise LookupError(f"{row.item_id} has no {colour}/{size}")


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_search_by_keyword_and_open_an_item(page, live_upstream, purchaser, sign_in):
    row = sandbox_product("taobao")
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/goods/")
    expect(page.get_by_text("No goods searched yet.")).to_be_visible()

    page.get_by_label("Keyword").fill(row.category_name)
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_role("heading", name=f"Results for “{row.category_name}”")).to_be_visible()
    card = page.locator(".goods-card", has_text=row.title)
    expect(card).to_be_visible()
    expect(card).to_contain_text(row.title_en)
    expect(card).to_contain_text(f"¥{row.price_fen / 100:,.2f}")
    expect(card).to_contain_text("≈ US$")
    page.screenshot(path="var/screenshots/goods_search_results.png", full_page=True)
    card.get_by_role("link").first.click()

    expect(page).to_have_url(f"{live_upstream}/goods/taobao/{row.item_id}/")
    expect(page.get_by_role("heading", name=row.title)).to_be_visible()
    expect(page.get_by_role("heading", name="Landed cost Estimate")).to_be_visible()
    expect(page.locator("#landed-cost")).to_contain_text("Estimate")
    expect(page.get_by_role("button", name="Refresh from upstream")).to_be_visible()


def test_pick_a_sku_to_see_its_price_and_stock_and_unavailable_combinations(
    page, live_upstream, purchaser, sign_in
):
    row = sandbox_product("taobao", 1)  # Yellow and Blue, each in L, XL, XXL and 3XL
    SandboxSku.objects.filter(pk=sku_of(row, "Yellow", "3XL").pk).update(stock=0)
    blue_l, blue_xl = sku_of(row, "Blue", "L"), sku_of(row, "Blue", "XL")
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/goods/taobao/{row.item_id}/")
    matrix = page.locator("#sku-matrix")
    expect(page.locator("#sku-stock")).to_contain_text("Choose every option")

    matrix.get_by_role("button", name=re.compile("^Yellow")).click()
    expect(matrix.get_by_role("button", name=re.compile("^3XL"))).to_be_disabled()
    expect(matrix.get_by_role("button", name=re.compile("^XL"))).to_be_enabled()

    matrix.get_by_role("button", name=re.compile("^Blue")).click()
    expect(matrix.get_by_role("button", name=re.compile("^3XL"))).to_be_enabled()
    matrix.get_by_role("button", name=re.compile("^L")).click()

    expect(page.locator("#sku-price")).to_have_text(f"¥{blue_l.price_fen / 100:,.2f}")
    expect(page.locator("#sku-stock")).to_have_text(f"{blue_l.stock} in stock")
    expect(page.locator("#add-sku-id")).to_have_value(blue_l.sku_id)
    expect(page.locator("#sku-display")).to_have_text(f"≈ US${blue_l.price_fen / 720:,.2f}")
    items = page.locator("#landed-cost [data-part=items]")
    expect(items).to_have_text(f"¥{blue_l.price_fen / 100:,.2f}")

    matrix.get_by_role("button", name=re.compile("^XL")).click()
    expect(page.locator("#sku-price")).to_have_text(f"¥{blue_xl.price_fen / 100:,.2f}")
    expect(page.locator("#sku-stock")).to_have_text(f"{blue_xl.stock} in stock")
    expect(page.locator("#add-sku-id")).to_have_value(blue_xl.sku_id)

    page.locator("#add-quantity").fill("3")
    expect(items).to_have_text(f"¥{3 * blue_xl.price_fen / 100:,.2f}")
    expect(page.locator("#landed-cost")).to_contain_text("3 × Blue / XL")
    page.screenshot(path="var/screenshots/goods_item_sku.png", full_page=True)


def test_paste_a_1688_link_and_land_on_its_item_page(page, live_upstream, purchaser, sign_in):
    row = sandbox_product("1688", 2)
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/goods/")

    page.get_by_label("Item ids or links").fill(
        f"看看这个 https://detail.1688.com/offer/{row.item_id}.html?spm=a2615.7691456 好货"
    )
    page.get_by_role("button", name="Open").click()

    expect(page).to_have_url(f"{live_upstream}/goods/1688/{row.item_id}/")
    expect(page.get_by_text("Price by quantity")).to_be_visible()
    expect(page.locator("#add-quantity")).to_have_value(str(row.min_order_quantity))
    expect(page.get_by_role("heading", name="Related goods")).to_be_visible()


def test_a_link_we_cannot_read_is_explained(page, live_upstream, purchaser, sign_in):
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/goods/")

    page.get_by_label("Item ids or links").fill("https://m.tb.cn/h.5abc")
    page.get_by_role("button", name="Open").click()

    expect(page.locator("#items-error")).to_contain_text("share short link")


def test_upload_a_picture_and_find_its_item_first(page, live_upstream, purchaser, sign_in):
    row = sandbox_product("taobao", 4)
    picture = requests.get(f"{live_upstream}/sandbox/images/taobao/{row.item_id}/1.png", timeout=5)
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/goods/")

    page.get_by_label("Picture to search with").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": picture.content}]
    )
    expect(page.locator("#picture-preview")).to_be_visible()
    page.get_by_role("button", name="Search by picture").click()

    expect(page.get_by_role("heading", name="Goods that look like your picture")).to_be_visible()
    first = page.locator(".goods-card").first
    expect(first).to_have_attribute("data-item-id", row.item_id)
    expect(first).to_contain_text("% alike")


def test_pages_fit_a_phone(phone_page, live_upstream, purchaser, sign_in):
    page = phone_page
    row = sandbox_product("1688", 2)
    sign_in(page, purchaser)

    page.goto(f"{live_upstream}/goods/?platform=1688&q={row.title}")
    expect(page.locator(".goods-card").first).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path="var/screenshots/goods_search-phone.png", full_page=True)

    page.goto(f"{live_upstream}/goods/1688/{row.item_id}/")
    expect(page.get_by_role("button", name="Add to cart")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path="var/screenshots/goods_item-phone.png", full_page=True)

    page.goto(f"{live_upstream}/goods/lists/?list=hot")
    expect(page.locator(".goods-card").first).to_be_visible()
    no_sideways_scroll(page)


def test_drop_a_picture_on_the_search_page(page, live_upstream, purchaser, sign_in):
    row = sandbox_product("1688", 5)
    picture = requests.get(f"{live_upstream}/sandbox/images/1688/{row.item_id}/1.png", timeout=5)
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/goods/?platform=1688")
    expect(page.get_by_label("Search on")).to_have_value("1688")

    # What a drag from the desktop delivers: a drop event carrying the file. It searches at once.
    page.evaluate(
        """(encoded) => {
          const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], "dropped.png", {type: "image/png"}));
          const zone = document.getElementById("dropzone");
          zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
        }""",
        base64.b64encode(picture.content).decode(),
    )

    expect(page.get_by_role("heading", name="Goods that look like your picture")).to_be_visible()
    expect(page.locator(".goods-card").first).to_have_attribute("data-item-id", row.item_id)


def test_marketing_lists_switch_tabs(page, live_upstream, purchaser, sign_in):
    sign_in(page, purchaser)
    page.goto(f"{live_upstream}/goods/")
    page.get_by_role("link", name="Marketing lists (1688)").click()

    tabs = page.get_by_role("navigation", name="Lists")
    expect(tabs.get_by_role("link", name="Global strict selection")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator(".goods-card").first).to_be_visible()
    tabs.get_by_role("link", name="Hot list").click()
    expect(tabs.get_by_role("link", name="Hot list")).to_have_attribute("aria-current", "page")
    expect(page.locator(".goods-card").first).to_contain_text("sold / month")

    page.goto(f"{live_upstream}/goods/?platform=1688&q=男&sort=price_asc&price_min=10")
    expect(page.locator("details.goods-filters")).to_have_attribute("open", "")
    expect(page.get_by_label("Sort by")).to_have_value("price_asc")
    page.screenshot(path="var/screenshots/goods_filters.png", full_page=True)
