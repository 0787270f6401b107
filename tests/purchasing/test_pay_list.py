"""The pay list's page: references link to their orders, each box carries the amount the running
total adds, and one box ticks every order that may be paid (tests/e2e/test_pay_list.py clicks)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory

pytestmark = pytest.mark.django_db


def test_the_pay_list_links_references_and_carries_amounts(client_as):
    order = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT, upstream_total_fen=123_450)
    PurchaseOrderLineFactory(order=order)

    html = client_as("finance").get(reverse("checkout:pay")).content.decode()

    assert f'<a href="/orders/{order.pk}/" class="checkout-inline"' in html
    assert f'value="{order.pk}" id="pay-{order.pk}" data-amount-fen="123450"' in html
    assert 'class="select-all" data-boxes="order"' in html and "js/orders.js" in html
    assert "Ticked orders: <span data-ticked-count>0</span>, total" in html
