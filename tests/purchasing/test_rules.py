"""What may be done to a purchase order, state by role (`purchasing.rules`), and the order page
and the storefront API showing exactly that."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from backoffice.roles import ROLES
from purchasing import rules
from purchasing.models import Platform, PurchaseOrder
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory

ALI = Platform.ALIBABA


@dataclass
class Person:
    """A user as the rules see one: a primary key and the permissions of a role."""

    role: str
    pk: int = 7

    def has_perm(self, permission: str) -> bool:
        codename = permission.removeprefix("purchasing.")
        return codename in ROLES[self.role] or permission in ROLES[self.role]


def order(status: str, platform: str = "taobao", **fields) -> PurchaseOrder:
    created = status not in (*rules.LOCAL_CANCEL, OrderStatus.SUBMITTING)
    return PurchaseOrder(
        status=status,
        platform=platform,
        upstream_order_id="U1" if created else "",
        **fields,
    )


ROLE_NAMES = ("purchaser", "approver", "finance")

# (question, status, platform) -> the roles that may; every other role may not.
TABLE = [
    ("confirm", OrderStatus.PREVIEWED, "taobao", {"purchaser", "approver"}),
    ("confirm", OrderStatus.APPROVED, "taobao", set()),
    ("submit", OrderStatus.APPROVED, "taobao", {"purchaser", "approver"}),
    ("submit", OrderStatus.PREVIEWED, "taobao", set()),
    ("pay", OrderStatus.AWAITING_PAYMENT, "taobao", {"approver", "finance"}),
    ("pay", OrderStatus.PAID, "taobao", set()),
    ("cancel", OrderStatus.DRAFT, "taobao", {"purchaser", "approver"}),
    ("cancel", OrderStatus.APPROVED, ALI, {"purchaser", "approver"}),
    ("cancel", OrderStatus.AWAITING_PAYMENT, "taobao", {"purchaser", "approver"}),
    ("cancel", OrderStatus.PAYING, "taobao", set()),
    ("cancel", OrderStatus.PAID, "taobao", set()),
    ("refresh", OrderStatus.AWAITING_PAYMENT, "taobao", {"purchaser", "approver", "finance"}),
    ("refresh", OrderStatus.DELIVERED, "taobao", set()),
    ("refresh", OrderStatus.PREVIEWED, "taobao", set()),
    ("receipt", OrderStatus.SHIPPED, ALI, {"purchaser", "approver"}),
    ("receipt", OrderStatus.SHIPPED, "taobao", set()),
    ("receipt", OrderStatus.PAID, ALI, set()),
    ("warehouse", OrderStatus.PAID, "taobao", {"purchaser", "approver"}),
    ("warehouse", OrderStatus.SHIPPED, "taobao", set()),
    ("warehouse", OrderStatus.PAID, ALI, set()),
    ("voucher", OrderStatus.AT_WAREHOUSE, "taobao", {"approver", "finance"}),
    ("voucher", OrderStatus.DISPATCHED, "taobao", set()),
    ("voucher", OrderStatus.PAID, ALI, set()),
    ("im", OrderStatus.PREVIEWED, "taobao", {"purchaser", "approver", "finance"}),
    ("im", OrderStatus.DRAFT, "taobao", set()),
    ("im", OrderStatus.PAID, ALI, set()),
]


@pytest.mark.parametrize(("question", "status", "platform", "allowed"), TABLE)
def test_what_each_role_may_do_in_each_state(question, status, platform, allowed):
    purchase = order(status, platform)
    for role in ROLE_NAMES:
        answer = rules.order_actions(purchase, Person(role))[question]
        assert answer == (role in allowed), (question, status, platform, role)


def test_an_order_needing_attention_is_not_paid_but_may_be_cleared_or_refunded():
    stopped = order(OrderStatus.AWAITING_PAYMENT, needs_attention=True)
    assert not rules.may_pay(stopped, Person("approver"))
    assert rules.may_clear_attention(stopped, Person("purchaser"))
    assert not rules.may_clear_attention(stopped, Person("finance"))
    assert not rules.may_clear_attention(order(OrderStatus.AWAITING_PAYMENT), Person("purchaser"))

    closed_after_payment = order(OrderStatus.PAID, needs_attention=True)
    assert rules.order_actions(closed_after_payment, Person("purchaser"))["refund"]
    assert not rules.order_actions(closed_after_payment, Person("finance"))["refund"]
    assert not rules.order_actions(order(OrderStatus.PAID), Person("purchaser"))["refund"]


def test_nobody_approves_their_own_order():
    waiting = order(OrderStatus.AWAITING_APPROVAL, created_by_id=7)
    assert not rules.may_approve(waiting, Person("approver", pk=7))
    assert rules.approve_refusal(waiting, Person("approver", pk=7)) == (
        "nobody approves their own order"
    )
    assert rules.may_approve(waiting, Person("approver", pk=8))
    assert not rules.may_approve(waiting, Person("purchaser", pk=8))
    assert not rules.may_approve(order(OrderStatus.APPROVED), Person("approver", pk=8))


def test_a_storefront_may_withdraw_only_what_is_not_being_bought():
    for status in (*rules.LOCAL_CANCEL, OrderStatus.CANCELLED, OrderStatus.FAILED):
        assert not rules.is_being_bought(order(status))
    for status in (
        OrderStatus.SUBMITTING,
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PAID,
        OrderStatus.DELIVERED,
    ):
        assert rules.is_being_bought(order(status))


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.PREVIEWED,
        OrderStatus.APPROVED,
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PAID,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    ],
)
def test_the_order_page_shows_what_the_rules_allow(staff_user, client, role, status):
    user = staff_user(role)
    client.force_login(user)
    purchase = PurchaseOrderFactory(status=status, upstream_order_id="1")

    response = client.get(f"/orders/{purchase.pk}/")

    assert response.context["actions"] == rules.order_actions(purchase, user)
    html = response.content.decode()
    assert (f"/orders/{purchase.pk}/receipt/" in html) == rules.may_confirm_receipt(purchase, user)
    assert (f"/orders/{purchase.pk}/warehouse/" in html) == rules.may_change_warehouse(
        purchase, user
    )
