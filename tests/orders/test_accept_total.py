"""A total that moved after the create stops the order; a person accepts it to pay it."""

from __future__ import annotations

import re

import pytest

from purchasing.services.orders.attention import order_clear_attention
from purchasing.services.orders.common import NotAllowed, OrderError
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory

pytestmark = pytest.mark.django_db


def stopped(**fields):
    values = {
        "status": OrderStatus.AWAITING_PAYMENT,
        "budget_fen": 35_150,
        "upstream_total_fen": 34_150,
        "needs_attention": True,
        "attention_reason": "the upstream total ¥341.50 differs",
    }
    return PurchaseOrderFactory(**{**values, **fields})


def test_clearing_a_moved_total_needs_the_person_to_accept_it(staff_user):
    order = stopped()
    approver = staff_user("approver")

    with pytest.raises(
        OrderError, match=re.escape("now asks ¥341.50 against the accepted ¥351.50")
    ):
        order_clear_attention(order=order, actor=approver, comment="seen")
    order.refresh_from_db()
    assert order.needs_attention and order.budget_fen == 35_150

    order_clear_attention(order=order, actor=approver, comment="promotion", accept_total=True)

    order.refresh_from_db()
    assert not order.needs_attention and order.budget_fen == 34_150
    event = order.events.order_by("-pk").first()
    assert "¥341.50 accepted, was ¥351.50" in event.message


def test_a_rise_past_the_purchasers_own_limit_is_for_an_approver(staff_user, settings):
    settings.CAIGOU_APPROVAL_THRESHOLD_FEN = 30_000
    order = stopped(budget_fen=29_000, upstream_total_fen=31_000)

    with pytest.raises(NotAllowed, match="above your limit"):
        order_clear_attention(
            order=order, actor=staff_user("purchaser"), comment="ok", accept_total=True
        )
    order.refresh_from_db()
    assert order.needs_attention and order.budget_fen == 29_000


def test_the_order_page_offers_to_accept_the_new_total(client_as):
    order = stopped()
    client = client_as("approver")

    html = client.get(f"/orders/{order.pk}/").content.decode()
    assert "The upstream now asks <strong>¥341.50</strong>; ¥351.50 was accepted" in html

    client.post(
        f"/orders/{order.pk}/attention/clear/", {"comment": "promotion", "accept_total": "on"}
    )
    order.refresh_from_db()
    assert order.budget_fen == 34_150 and not order.needs_attention
