"""Checkout pages: the preview (per seller, unavailable lines, differences), confirm below and
above the limits, the approvals queue, the pay batch confirmation, the staff-built order form,
who may open what, and the list pages' fixed query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carts import services as carts
from purchasing.models import OrderPreview, PaymentAttempt, PurchaseOrder
from purchasing.money import format_cny
from purchasing.services.orders.approval import order_confirm
from purchasing.statuses import OrderStatus
from tests.carts.test_services import cache_product
from tests.carts.test_services import pick as pick_sku
from tests.orders.conftest import previewed_order, submitted_order
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from upstream.sandbox.models import Payment

S = OrderStatus


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def previewed(user, total_fen: int, **preview) -> PurchaseOrder:
    """A previewed order (no upstream): one line, one seller, a fresh preview of `total_fen`."""
    order = PurchaseOrderFactory(status=S.PREVIEWED, created_by=user, quoted_total_fen=total_fen)
    PurchaseOrderLineFactory(order=order, unit_price_fen=total_fen, amount_fen=total_fen)
    OrderPreview.objects.create(
        order=order,
        total_fen=total_fen,
        goods_fen=total_fen,
        expires_at=timezone.now() + timedelta(minutes=30),
        **preview,
    )
    return order


def awaiting_approval(purchaser, total_fen: int = 600_000) -> PurchaseOrder:
    order = previewed(purchaser, total_fen)
    order_confirm(order=order, actor=purchaser)
    order.refresh_from_db()
    assert order.status == S.AWAITING_APPROVAL
    return order


@pytest.fixture
def purchaser(staff_user):
    user = staff_user("purchaser")
    user.staff_profile.order_limit_fen = 200_000
    user.staff_profile.save()
    return user


# -- the preview page --------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_preview_page_shows_each_seller_unavailable_lines_and_differences(purchaser):
    order = PurchaseOrderFactory(status=S.PREVIEWED, created_by=purchaser, source="cart")
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
    assert "cannot be ordered" in html


@pytest.mark.django_db
def test_a_draft_without_preview_says_so_and_offers_a_preview(purchaser):
    order = PurchaseOrderFactory(status=S.DRAFT, created_by=purchaser)

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


def test_a_staff_order_by_item_ids_is_previewed(live, people):
    from tests.upstream.test_sandbox_orders import pick

    chosen = pick("taobao")
    text = f"{chosen.product.item_id} {chosen.sku.sku_id} {chosen.quantity}"

    page = client_for(people.purchaser).post(
        reverse("checkout:new"), {"platform": "taobao", "items": text}, follow=True
    )

    order = PurchaseOrder.objects.get()
    assert (order.status, order.source) == (S.PREVIEWED, "staff")
    assert page.redirect_chain[-1][0] == reverse("checkout:preview", args=[order.pk])
    assert format_cny(order.quoted_total_fen) in page.content.decode()


def test_an_unknown_sku_is_refused_in_words(live, people):
    from tests.upstream.test_sandbox_orders import pick

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
    assert (order.status, order.source, order.cart_ids) == (S.PREVIEWED, "cart", [cart_id])
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
    assert order.status == S.AWAITING_PAYMENT  # tasks run in-process here
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
    assert order.status == S.AWAITING_APPROVAL
    assert "The order waits for an approver" in page.content.decode()
    assert 'data-testid="awaiting-approval"' in page.content.decode()


@pytest.mark.django_db
def test_confirm_above_the_threshold_waits_even_for_an_approver(staff_user, settings):
    settings.CAIGOU_APPROVAL_THRESHOLD_FEN = 500_000
    approver = staff_user("approver")
    order = previewed(approver, 500_001)

    client_for(approver).post(reverse("checkout:confirm", args=[order.pk]), {"total_fen": 500_001})

    order.refresh_from_db()
    assert order.status == S.AWAITING_APPROVAL


@pytest.mark.django_db
def test_confirm_refuses_a_total_other_than_the_one_shown(purchaser):
    order = previewed(purchaser, 1_000)

    page = client_for(purchaser).post(
        reverse("checkout:confirm", args=[order.pk]), {"total_fen": 900}, follow=True
    )

    order.refresh_from_db()
    assert order.status == S.PREVIEWED and order.budget_fen is None
    assert "The total changed since that page was shown" in page.content.decode()


# -- approvals ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_approvals_queue_lists_waiting_orders_oldest_first(purchaser, staff_user):
    first = awaiting_approval(purchaser)
    second = awaiting_approval(purchaser)
    previewed(purchaser, 700_000)  # not confirmed: not in the queue

    html = client_for(staff_user("approver")).get(reverse("checkout:approvals")).content.decode()

    assert html.count('data-testid="approval-row"') == 2
    assert html.index(first.reference) < html.index(second.reference)


@pytest.mark.django_db
def test_nobody_approves_their_own_order(staff_user, settings):
    settings.CAIGOU_APPROVAL_THRESHOLD_FEN = 500_000
    approver = staff_user("approver")
    order = awaiting_approval(approver)
    client = client_for(approver)

    html = client.get(reverse("checkout:approve", args=[order.pk])).content.decode()
    assert "Nobody approves their own order" in html and 'data-testid="approve"' not in html
    page = client.post(reverse("checkout:approve", args=[order.pk]), {"decision": "approve"})

    assert "Nobody approves their own order" in page.content.decode()
    order.refresh_from_db()
    assert order.status == S.AWAITING_APPROVAL


@pytest.mark.django_db
def test_a_rejection_needs_a_comment_and_sends_the_order_back(purchaser, staff_user):
    order = awaiting_approval(purchaser)
    client = client_for(staff_user("approver"))
    url = reverse("checkout:approve", args=[order.pk])

    page = client.post(url, {"decision": "reject", "comment": " "})
    assert "Say why the order is rejected." in page.content.decode()
    client.post(url, {"decision": "reject", "comment": "too dear"})

    order.refresh_from_db()
    assert order.status == S.PREVIEWED
    assert order.events.last().message == "rejected: too dear"


def test_an_approver_approves_with_a_comment_and_the_order_is_submitted(live, people):
    people.purchaser.staff_profile.order_limit_fen = 1
    people.purchaser.staff_profile.save()
    order = previewed_order(people)
    order_confirm(order=order, actor=people.purchaser)
    client = client_for(people.approver)

    page = client.get(reverse("checkout:approve", args=[order.pk]))
    assert format_cny(order.quoted_total_fen) in page.content.decode()
    client.post(
        reverse("checkout:approve", args=[order.pk]), {"decision": "approve", "comment": "ok"}
    )

    order.refresh_from_db()
    assert (order.status, order.approved_by) == (S.AWAITING_PAYMENT, people.approver)
    assert order.events.filter(kind="approved", message="ok").exists()
    assert len(live.creates(order.reference)) == 1


# -- pay a batch -------------------------------------------------------------------------------
def test_pay_a_batch_after_its_confirmation_once(live, people):
    orders = [submitted_order(people), submitted_order(people)]
    client = client_for(people.finance)
    ids = [o.pk for o in orders]
    total = sum(o.upstream_total_fen for o in orders)

    listing = client.get(reverse("checkout:pay")).content.decode()
    assert all(o.reference in listing for o in orders)
    page = client.post(reverse("checkout:pay_confirm"), {"order": ids})
    html = page.content.decode()
    assert "You are about to pay" in html and format_cny(total) in html
    assert not PaymentAttempt.objects.exists()  # nothing paid by the confirmation page
    page = client.post(
        reverse("checkout:pay_confirm"),
        {"order": ids, "total_fen": total, "confirmed": "1"},
        follow=True,
    )

    html = page.content.decode()
    assert html.count('data-testid="pay-result-row"') == 2
    for order in orders:
        order.refresh_from_db()
        assert order.status == S.PAID and order.paid_by == people.finance
        assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1

    # The same batch again: nothing can be paid, nothing is paid.
    again = client.post(
        reverse("checkout:pay_confirm"), {"order": ids, "total_fen": 0, "confirmed": "1"}
    )
    assert "Nothing here can be paid now." in again.content.decode()
    assert Payment.objects.filter(order__outer_ref__in=[o.reference for o in orders]).count() == 2
    assert PaymentAttempt.objects.count() == 2


@pytest.mark.django_db
def test_pay_refuses_when_the_total_moved_since_the_confirmation(staff_user):
    order = PurchaseOrderFactory(status=S.AWAITING_PAYMENT, upstream_total_fen=5_000)

    page = client_for(staff_user("finance")).post(
        reverse("checkout:pay_confirm"), {"order": [order.pk], "total_fen": 4_000, "confirmed": "1"}
    )

    assert "changed since the confirmation was shown" in page.content.decode()
    assert not PaymentAttempt.objects.exists()


@pytest.mark.django_db
def test_an_order_needing_attention_cannot_be_chosen_for_payment(staff_user):
    order = PurchaseOrderFactory(
        status=S.AWAITING_PAYMENT, needs_attention=True, attention_reason="price rose"
    )
    client = client_for(staff_user("finance"))

    assert "Needs attention: price rose" in client.get(reverse("checkout:pay")).content.decode()
    page = client.post(reverse("checkout:pay_confirm"), {"order": [order.pk]})
    assert "it needs attention: price rose" in page.content.decode()


# -- who may open what -------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("purchaser", {"new", "preview"}),
        ("approver", {"new", "preview", "approvals", "pay"}),
        ("finance", {"preview", "pay"}),
        ("admin", {"new", "preview", "approvals", "pay"}),
        ("", set()),
    ],
)
def test_pages_per_role(client_as, role, allowed):
    order = PurchaseOrderFactory(status=S.PREVIEWED)
    client = client_as(role)
    urls = {
        "new": reverse("checkout:new"),
        "preview": reverse("checkout:preview", args=[order.pk]),
        "approvals": reverse("checkout:approvals"),
        "pay": reverse("checkout:pay"),
    }
    for name, url in urls.items():
        expected = 200 if name in allowed else 403
        assert client.get(url).status_code == expected, (role, name)


@pytest.mark.django_db
def test_finance_sees_a_preview_without_the_buttons_that_commit(staff_user, purchaser):
    order = previewed(purchaser, 1_000)

    html = (
        client_for(staff_user("finance"))
        .get(reverse("checkout:preview", args=[order.pk]))
        .content.decode()
    )

    assert 'data-testid="confirm-link"' not in html and 'data-testid="repreview"' not in html
    assert (
        client_for(staff_user("finance"))
        .post(reverse("checkout:confirm", args=[order.pk]), {"total_fen": 1_000})
        .status_code
        == 403
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    page = client.get(reverse("checkout:pay"))

    assert page.status_code == 302 and page.url.startswith(reverse("login"))


# -- list pages do a fixed number of queries ---------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 30])
def test_the_approvals_queue_query_count_does_not_grow(
    purchaser, staff_user, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        awaiting_approval(purchaser)
    client = client_for(staff_user("approver"))

    with django_assert_max_num_queries(8):
        page = client.get(reverse("checkout:approvals"))

    assert page.content.decode().count('data-testid="approval-row"') == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 30])
def test_the_pay_list_query_count_does_not_grow(staff_user, rows, django_assert_max_num_queries):
    for _ in range(rows):
        order = PurchaseOrderFactory(
            status=S.AWAITING_PAYMENT, created_by=staff_user("purchaser"), upstream_total_fen=100
        )
        PurchaseOrderLineFactory(order=order)
    client = client_for(staff_user("finance"))

    with django_assert_max_num_queries(8):
        page = client.get(reverse("checkout:pay"))

    assert page.content.decode().count('data-testid="pay-row"') == rows
