"""Checkout pages up to the confirmation: the preview (per seller, unavailable lines,
differences), the staff-built order form, an order from the cart, and confirm below and above
the limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carts import services as carts
from purchasing.forms_checkout import parse_items
from purchasing.models import OrderPreview, PurchaseOrder
from purchasing.money import format_cny
from purchasing.statuses import OrderStatus
from tests.carts.factories import cache_product
from tests.carts.factories import pick as pick_sku
from tests.orders.conftest import previewed_order
from tests.orders.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    client_for,
    previewed,
)
from tests.words import visible_text


# -- the preview page --------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_preview_page_shows_each_seller_unavailable_lines_and_differences(purchaser):
    order = PurchaseOrderFactory(status=OrderStatus.PREVIEWED, created_by=purchaser, source="cart")
    a = PurchaseOrderLineFactory(
        order=order, seller_id="s1", seller_name="Shop One", title="Red cup", unit_price_fen=1000
    )
    b = PurchaseOrderLineFactory(
        order=order, seller_id="s2", seller_name="Shop Two", title="Blue mug", quantity=2
    )
    line = {"quantity": 1, "available": True, "reason": ""}
    OrderPreview.objects.create(
        order=order,
        sellers=[
            {
                "seller_id": "s1",
                "goods_fen": 1200,
                "freight_fen": 800,
                "discount_fen": 0,
                "total_fen": 2000,
                "promotions": [{"desc": "Spend 200 yuan, save 10 yuan", "discountFee": 1000}],
                "lines": [
                    {**line, "item_id": a.item_id, "sku_id": a.sku_id}
                    | {"unit_price_fen": 1200, "amount_fen": 1200}
                ],
            },
            {
                "seller_id": "s2",
                "goods_fen": 0,
                "freight_fen": 0,
                "total_fen": 0,
                "lines": [
                    {**line, "item_id": b.item_id, "sku_id": b.sku_id, "quantity": 2}
                    | {"unit_price_fen": 10_000, "amount_fen": 20_000}
                    | {"available": False, "reason": "out of stock"}
                ],
            },
        ],
        goods_fen=1200,
        freight_fen=800,
        total_fen=2000,
        unavailable=[{"item_id": b.item_id, "sku_id": b.sku_id, "reason": "out of stock"}],
        differences=[
            {
                "item_id": a.item_id,
                "sku_id": a.sku_id,
                "shown_fen": 1000,
                "preview_fen": 1200,
                "difference_fen": 200,
            }
        ],
        expires_at=timezone.now() + timedelta(minutes=30),
    )

    page = client_for(purchaser).get(reverse("checkout:preview", args=[order.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="preview-seller"') == 2
    assert "Shop One" in html and "Shop Two" in html
    assert "Spend 200 yuan, save 10 yuan" in html
    assert format_cny(800) in html  # the domestic freight
    assert 'data-testid="unavailable-line"' in html and "Out of stock" in html
    assert 'data-testid="difference"' in html and "+" + format_cny(200) in html
    assert "The cart showed" in html
    # Unavailable lines: nothing to confirm until they are changed.
    assert 'data-testid="confirm-link"' not in html
    # Caigou's own reason is said in the reader's language.
    chinese = client_for(purchaser).get(
        reverse("checkout:preview", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    assert "库存不足" in chinese.content.decode()
    assert "out of stock" not in chinese.content.decode().lower()
    # ... and the price comparison ends with a Chinese full stop.
    assert f"另加国内运费 {format_cny(800)}。" in visible_text(chinese.content.decode())
    assert "cannot be ordered" in html


@pytest.mark.django_db
def test_a_draft_without_preview_says_so_and_offers_a_preview(purchaser):
    order = PurchaseOrderFactory(status=OrderStatus.DRAFT, created_by=purchaser)

    html = client_for(purchaser).get(reverse("checkout:preview", args=[order.pk])).content.decode()

    assert "Not previewed yet." in html and 'data-testid="repreview"' in html


# -- the staff-built order ---------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required."),
        ("123 456", "Line 1: expected “item_id sku_id quantity”"),
        ("abc 456 1", "Line 1: the item id “abc” must be digits."),
        ("123 456 1\n123 456 0", "Line 2: the quantity “0” must be a whole number"),
        ("123 456 1\n\n123 456 2", "Line 3: 123 456 is already on an earlier line."),
    ],
)
def test_the_staff_order_form_names_the_wrong_line(purchaser, text, message):
    page = client_for(purchaser).post(
        reverse("checkout:new"), {"platform": "taobao", "items": text}
    )

    assert page.status_code == 200
    assert message in page.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_full_width_digits_and_spaces_read_as_ascii():
    full_width = "６８１２３４５６７８９０　５０１２３４５６７８　２"
    items, errors = parse_items(f"{full_width}\n681234567891、-、1")

    assert errors == []
    assert [(i["item_id"], i["sku_id"], i["quantity"]) for i in items] == [
        ("681234567890", "5012345678", 2),
        ("681234567891", "", 1),
    ]


def test_a_staff_order_by_item_ids_is_previewed(live, people):
    from tests.upstream.factories import pick

    chosen = pick("taobao")
    text = f"{chosen.product.item_id} {chosen.sku.sku_id} {chosen.quantity}"

    page = client_for(people.purchaser).post(
        reverse("checkout:new"), {"platform": "taobao", "items": text}, follow=True
    )

    order = PurchaseOrder.objects.get()
    assert (order.status, order.source) == (OrderStatus.PREVIEWED, "staff")
    assert page.redirect_chain[-1][0] == reverse("checkout:preview", args=[order.pk])
    assert format_cny(order.quoted_total_fen) in page.content.decode()


def test_an_unknown_sku_is_refused_in_words(live, people):
    from tests.upstream.factories import pick

    chosen = pick("taobao")
    page = client_for(people.purchaser).post(
        reverse("checkout:new"),
        {"platform": "taobao", "items": f"{chosen.product.item_id} 999 1"},
    )

    assert f"Item {chosen.product.item_id} has no SKU 999." in page.content.decode()
    assert not PurchaseOrder.objects.exists()


# -- from the cart ------------------------------------------------------------------------------
def test_preview_order_from_a_cart_selection(live, people):
    sku = pick_sku("taobao")
    cache_product(sku.product)
    cart_id = carts.cart_add(
        platform="taobao", item_id=sku.product.item_id, sku_id=sku.sku_id, quantity=2
    )

    page = client_for(people.purchaser).post(
        reverse("checkout:from_cart"), {"platform": "taobao", "cart_id": [cart_id]}, follow=True
    )

    order = PurchaseOrder.objects.get()
    assert (order.status, order.source, order.cart_ids) == (
        OrderStatus.PREVIEWED,
        "cart",
        [cart_id],
    )
    assert order.address["name"]  # the warehouse address
    html = page.content.decode()
    assert sku.product.shop.name in html
    assert 'data-testid="confirm-link"' in html and 'data-testid="no-differences"' in html


@pytest.mark.django_db
def test_preview_from_cart_without_a_selection_goes_back_with_a_sentence(purchaser):
    page = client_for(purchaser).post(
        reverse("checkout:from_cart"), {"platform": "taobao"}, follow=True
    )

    assert "Tick at least one cart line to preview." in page.content.decode()


# -- confirm ------------------------------------------------------------------------------------
def test_confirm_below_the_limits_submits_the_order(live, people):
    order = previewed_order(people)
    client = client_for(people.purchaser)

    page = client.get(reverse("checkout:confirm", args=[order.pk]))
    assert "You are about to commit" in page.content.decode()
    assert format_cny(order.quoted_total_fen) in page.content.decode()
    page = client.post(
        reverse("checkout:confirm", args=[order.pk]),
        {"total_fen": order.quoted_total_fen},
        follow=True,
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT  # tasks run in-process here
    assert len(live.creates(order.reference)) == 1
    assert "is submitted to the upstream" in page.content.decode()


@pytest.mark.django_db
def test_confirm_above_the_own_limit_waits_for_an_approver(purchaser):
    order = previewed(purchaser, 200_001)
    client = client_for(purchaser)

    html = client.get(reverse("checkout:confirm", args=[order.pk])).content.decode()
    assert "above your limit of " + format_cny(200_000) in html
    page = client.post(
        reverse("checkout:confirm", args=[order.pk]), {"total_fen": 200_001}, follow=True
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL
    assert "The order waits for an approver" in page.content.decode()
    assert 'data-testid="awaiting-approval"' in page.content.decode()


@pytest.mark.django_db
def test_confirm_above_the_threshold_waits_even_for_an_approver(staff_user, settings):
    settings.CAIGOU_APPROVAL_THRESHOLD_FEN = 500_000
    approver = staff_user("approver")
    order = previewed(approver, 500_001)

    client_for(approver).post(reverse("checkout:confirm", args=[order.pk]), {"total_fen": 500_001})

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL


@pytest.mark.django_db
def test_confirm_refuses_a_total_other_than_the_one_shown(purchaser):
    order = previewed(purchaser, 1_000)

    page = client_for(purchaser).post(
        reverse("checkout:confirm", args=[order.pk]), {"total_fen": 900}, follow=True
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED and order.budget_fen is None
    assert "The total changed since that page was shown" in page.content.decode()
