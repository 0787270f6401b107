"""Checkout pages after the confirmation: the approvals queue, the pay batch confirmation, who
may open what, and the list pages' fixed query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from purchasing.models import PaymentAttempt
from purchasing.money import format_cny
from purchasing.services.orders.approval import order_confirm
from purchasing.statuses import OrderStatus
from tests.orders.conftest import previewed_order, submitted_order
from tests.orders.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    awaiting_approval,
    client_for,
    previewed,
)
from upstream.sandbox.models import Payment


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
    assert order.status == OrderStatus.AWAITING_APPROVAL


@pytest.mark.django_db
def test_a_rejection_needs_a_comment_and_sends_the_order_back(purchaser, staff_user):
    order = awaiting_approval(purchaser)
    client = client_for(staff_user("approver"))
    url = reverse("checkout:approve", args=[order.pk])

    page = client.post(url, {"decision": "reject", "comment": " "})
    assert "Say why the order is rejected." in page.content.decode()
    client.post(url, {"decision": "reject", "comment": "too dear"})

    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED
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
    assert (order.status, order.approved_by) == (OrderStatus.AWAITING_PAYMENT, people.approver)
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
        assert order.status == OrderStatus.PAID and order.paid_by == people.finance
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
    order = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT, upstream_total_fen=5_000)

    page = client_for(staff_user("finance")).post(
        reverse("checkout:pay_confirm"), {"order": [order.pk], "total_fen": 4_000, "confirmed": "1"}
    )

    assert "changed since the confirmation was shown" in page.content.decode()
    assert not PaymentAttempt.objects.exists()


@pytest.mark.django_db
def test_an_order_needing_attention_cannot_be_chosen_for_payment(staff_user):
    order = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT, needs_attention=True, attention_reason="price rose"
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
    order = PurchaseOrderFactory(status=OrderStatus.PREVIEWED)
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
            status=OrderStatus.AWAITING_PAYMENT,
            created_by=staff_user("purchaser"),
            upstream_total_fen=100,
        )
        PurchaseOrderLineFactory(order=order)
    client = client_for(staff_user("finance"))

    with django_assert_max_num_queries(8):
        page = client.get(reverse("checkout:pay"))

    assert page.content.decode().count('data-testid="pay-row"') == rows
