"""Tiered approval: the rules kept in the admin ask for approvals by amount band, by a
storefront order's margin and by a seller new to the team; the order records what was asked,
each approval is a row and an event, and the order moves on only when the count is reached."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from purchasing.models import ApprovalRequest, ApprovalRule, OrderApproval
from purchasing.models.orders import Source
from purchasing.selectors.approval import reason_text
from purchasing.services.orders.approval import order_approve, order_confirm, order_reject
from purchasing.services.orders.common import NotAllowed, OrderError
from purchasing.statuses import OrderStatus
from storefront.models import CustomerOrder, CustomerOrderLine, Storefront
from tests.orders.factories import PurchaseOrderFactory, previewed

pytestmark = pytest.mark.django_db


def band(from_fen: int, needed: int, name: str = "") -> ApprovalRule:
    return ApprovalRule.objects.create(
        name=name or f"from {from_fen}",
        kind=ApprovalRule.Kind.AMOUNT,
        min_total_fen=from_fen,
        approvals_needed=needed,
    )


def confirmed(purchaser, total_fen: int, **order):
    made = previewed(purchaser, total_fen)
    if order:
        type(made).objects.filter(pk=made.pk).update(**order)
        made.lines.update(**{k: v for k, v in order.items() if k.startswith("seller_")})
        made.refresh_from_db()
    order_confirm(order=made, actor=purchaser)
    made.refresh_from_db()
    return made


@pytest.fixture
def approvers(staff_user):
    return staff_user("approver"), staff_user("approver")


# -- amount bands -------------------------------------------------------------------------------


def test_without_rules_the_threshold_asks_for_one_approval(purchaser):
    order = confirmed(purchaser, 200_001)

    request = order.approval_requests.get()
    assert order.status == OrderStatus.AWAITING_APPROVAL and request.needed == 1
    assert [r["kind"] for r in request.reasons] == ["threshold"]
    assert "¥2,000.01" in reason_text(request.reasons[0])


def test_the_highest_band_reached_sets_the_count(purchaser):
    band(100_000, 1, "over ¥1,000")
    band(1_000_000, 2, "over ¥10,000")
    band(5_000_000, 3, "over ¥50,000")

    order = confirmed(purchaser, 1_200_000)

    request = order.approval_requests.get()
    assert request.needed == 2
    amount = next(r for r in request.reasons if r["kind"] == "amount")
    assert amount["rule"] == "over ¥10,000"
    assert reason_text(amount) == (
        "Rule “over ¥10,000”: the total ¥12,000.00 is ¥10,000.00 or more: 2 approvals."
    )


def test_a_band_asks_even_below_the_purchasers_own_limit(purchaser):
    band(10_000, 1)

    order = confirmed(purchaser, 50_000)  # the purchaser's own limit is ¥2,000

    assert order.status == OrderStatus.AWAITING_APPROVAL
    assert order.approval_requests.get().needed == 1


def test_an_inactive_rule_asks_nothing(purchaser):
    rule = band(10_000, 2)
    rule.active = False
    rule.save()

    order = confirmed(purchaser, 50_000)

    assert order.status == OrderStatus.SUBMITTING
    assert not ApprovalRequest.objects.exists()


# -- margin floor -------------------------------------------------------------------------------


def storefront_order(purchaser, *, paid_unit_fen: int, goods_fen: int, freight_fen: int):
    order = previewed(purchaser, goods_fen + freight_fen)
    type(order).objects.filter(pk=order.pk).update(
        source=Source.STOREFRONT, quoted_goods_fen=goods_fen, quoted_freight_fen=freight_fen
    )
    line = order.lines.get()
    line.quantity, line.amount_fen = 2, goods_fen
    line.save()
    shop = Storefront.objects.create(name="Shop")
    customer = CustomerOrder.objects.create(
        storefront=shop, external_id="C1", currency="USD", customer_name="Ann"
    )
    CustomerOrderLine.objects.create(
        order=customer,
        line_no=1,
        platform="taobao",
        item_id=line.item_id,
        quantity=2,
        unit_price_fen=paid_unit_fen,
        purchase_line=line,
    )
    order.refresh_from_db()
    return order


def test_a_storefront_order_below_the_margin_floor_waits(purchaser):
    ApprovalRule.objects.create(
        name="thin margin", kind=ApprovalRule.Kind.MARGIN, margin_floor_fen=2_000
    )
    # The customer paid 2 × ¥60.00; landed: ¥100.00 goods + ¥10.00 freight; margin ¥10.00.
    order = storefront_order(purchaser, paid_unit_fen=6_000, goods_fen=10_000, freight_fen=1_000)

    order_confirm(order=order, actor=purchaser)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL
    (reason,) = order.approval_requests.get().reasons
    assert (reason["selling_fen"], reason["landed_fen"], reason["margin_fen"]) == (
        12_000,
        11_000,
        1_000,
    )
    assert "the margin ¥10.00" in reason_text(reason) and "below ¥20.00" in reason_text(reason)


def test_a_storefront_order_above_the_margin_floor_goes_on(purchaser):
    ApprovalRule.objects.create(
        name="thin margin", kind=ApprovalRule.Kind.MARGIN, margin_floor_fen=2_000
    )
    order = storefront_order(purchaser, paid_unit_fen=8_000, goods_fen=10_000, freight_fen=1_000)

    order_confirm(order=order, actor=purchaser)

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING


def test_the_margin_floor_ignores_staff_orders(purchaser):
    ApprovalRule.objects.create(
        name="thin margin", kind=ApprovalRule.Kind.MARGIN, margin_floor_fen=2_000
    )

    assert confirmed(purchaser, 10_000).status == OrderStatus.SUBMITTING


# -- a seller new to the team -------------------------------------------------------------------


def paid_before(seller_id: str, days_ago: int) -> None:
    PurchaseOrderFactory(
        status=OrderStatus.PAID,
        seller_id=seller_id,
        seller_name=f"Shop {seller_id}",
        paid_at=timezone.now() - timedelta(days=days_ago),
    )


def new_seller_rule(days: int = 30, needed: int = 1) -> ApprovalRule:
    return ApprovalRule.objects.create(
        name="new seller",
        kind=ApprovalRule.Kind.NEW_SELLER,
        seller_days=days,
        approvals_needed=needed,
    )


def test_a_seller_never_paid_asks_for_approval(purchaser):
    new_seller_rule()

    order = confirmed(purchaser, 10_000, seller_id="s1", seller_name="Shop s1")

    (reason,) = order.approval_requests.get().reasons
    assert order.status == OrderStatus.AWAITING_APPROVAL and reason["sellers"] == ["Shop s1"]
    assert "first bought from Shop s1 within 30 days" in reason_text(reason)


def test_a_seller_first_paid_within_the_days_still_asks(purchaser):
    new_seller_rule(days=30)
    paid_before("s1", days_ago=10)

    order = confirmed(purchaser, 10_000, seller_id="s1", seller_name="Shop s1")

    assert order.status == OrderStatus.AWAITING_APPROVAL


def test_a_seller_paid_before_the_days_is_known(purchaser):
    new_seller_rule(days=30)
    paid_before("s1", days_ago=45)

    order = confirmed(purchaser, 10_000, seller_id="s1", seller_name="Shop s1")

    assert order.status == OrderStatus.SUBMITTING


# -- approving ----------------------------------------------------------------------------------


def test_two_approvals_needed_the_first_keeps_it_waiting(purchaser, approvers):
    band(100_000, 2)
    first, second = approvers
    order = confirmed(purchaser, 300_000)

    order_approve(order=order, actor=first, comment="fine")

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL and order.approved_by is None
    last = order.events.last()
    assert (last.kind, last.message) == ("approval", f"Approved 1 of 2 by {first}: fine")

    order_approve(order=order, actor=second)

    order.refresh_from_db()
    assert (order.status, order.approved_by) == (OrderStatus.APPROVED, second)
    assert order.events.last().message == f"Approved 2 of 2 by {second}"
    assert list(order.approvals.values_list("approver", flat=True)) == [first.pk, second.pk]


def test_nobody_approves_twice(purchaser, approvers):
    band(100_000, 2)
    first, _ = approvers
    order = confirmed(purchaser, 300_000)
    order_approve(order=order, actor=first)

    with pytest.raises(NotAllowed, match="already approved"):
        order_approve(order=order, actor=first)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL and order.approvals.count() == 1


def test_the_database_refuses_a_second_approval_and_a_self_approval(purchaser, approvers):
    band(100_000, 2)
    first, _ = approvers
    order = confirmed(purchaser, 300_000)
    request = order.approval_requests.get()
    OrderApproval.objects.create(request=request, order=order, approver=first)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrderApproval.objects.create(request=request, order=order, approver=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderApproval.objects.create(
            request=request, order=order, approver=purchaser, purchaser=purchaser
        )


def test_self_approval_is_refused_with_tiers(staff_user, approvers):
    band(100_000, 2)
    first, _ = approvers
    order = confirmed(first, 300_000)

    with pytest.raises(NotAllowed, match="own order"):
        order_approve(order=order, actor=first)

    assert not order.approvals.exists()


def test_a_rejected_order_confirmed_again_asks_afresh(purchaser, approvers):
    band(100_000, 2)
    first, second = approvers
    order = confirmed(purchaser, 300_000)
    order_approve(order=order, actor=first)
    order_reject(order=order, actor=second, comment="too dear")

    order_confirm(order=order, actor=purchaser)
    order_approve(order=order, actor=first)  # the first round's approval no longer counts

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL
    assert order.approval_requests.count() == 2 and order.approvals.count() == 2


def test_an_approved_order_cannot_be_approved_again(purchaser, approvers):
    first, second = approvers
    order = confirmed(purchaser, 300_000)
    order_approve(order=order, actor=first)

    with pytest.raises(OrderError, match="not awaiting approval"):
        order_approve(order=order, actor=second)

    assert order.approvals.count() == 1


def test_the_demo_rules_are_made_once_and_never_over_an_admins():
    from backoffice.demo_rules import demo_approval_rules_create

    made = demo_approval_rules_create()

    assert len(made) == 2 and ApprovalRule.objects.count() == 2
    assert demo_approval_rules_create() == [] and ApprovalRule.objects.count() == 2
