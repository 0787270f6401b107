"""Ordering from a basket against the sandbox over real HTTP: the ticked lines become a draft
through the staff create from items and leave the basket in the same transaction; a create
that fails leaves every line where it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carts.basket_services import basket_add, basket_order
from carts.models import BasketLine
from purchasing.models import PurchaseOrder
from purchasing.services.orders.common import OrderError
from tests.carts.factories import cache_product, pick, point_at_sandbox
from tests.orders.factories import ADDRESS


@pytest.fixture
def live_carts(live_server, settings, transactional_db):
    yield from point_at_sandbox(live_server, settings)


def fill(user, *skus):
    lines = []
    for sku in skus:
        cache_product(sku.product)
        lines.append(
            basket_add(
                actor=user,
                platform=sku.product.platform,
                item_id=sku.product.item_id,
                sku_id=sku.sku_id,
                quantity=max(1, sku.product.min_order_quantity),
            )
        )
    return lines


def test_ordered_lines_leave_the_basket_and_the_rest_stay(live_carts, staff_user):
    buyer = staff_user("purchaser")
    first = pick("taobao")
    second = pick("taobao", exclude=[first.product.item_id])
    offer = pick("1688", stock=200)
    ordered, kept, other_platform = fill(buyer, first, second, offer)

    order = basket_order(actor=buyer, platform="taobao", line_ids=[ordered.pk], address=ADDRESS)

    assert order.created_by == buyer and order.platform == "taobao"
    assert [(x.item_id, x.sku_id, x.quantity) for x in order.lines.all()] == [
        (first.product.item_id, first.sku_id, ordered.quantity)
    ]
    assert set(BasketLine.objects.values_list("pk", flat=True)) == {kept.pk, other_platform.pk}


def test_the_lines_notes_reach_the_approver(live_carts, staff_user):
    buyer = staff_user("purchaser")
    first = pick("taobao")
    noted, plain = fill(buyer, first, pick("taobao", exclude=[first.product.item_id]))
    BasketLine.objects.filter(pk=noted.pk).update(note="blue only, customer asked")

    order = basket_order(
        actor=buyer, platform="taobao", line_ids=[noted.pk, plain.pk], address=ADDRESS
    )

    assert order.approver_note == f"{noted.title[:40]}: blue only, customer asked"
    assert order.events.filter(message__contains="blue only, customer asked").exists()


def test_a_failed_create_keeps_every_line(live_carts, staff_user):
    buyer = staff_user("purchaser")
    (line,) = fill(buyer, pick("taobao"))
    # The SKU was withdrawn upstream since it was added.
    BasketLine.objects.filter(pk=line.pk).update(sku_id="withdrawn")

    with pytest.raises(OrderError, match="no SKU withdrawn"):
        basket_order(actor=buyer, platform="taobao", line_ids=[line.pk], address=ADDRESS)

    assert BasketLine.objects.filter(pk=line.pk).exists()
    assert not PurchaseOrder.objects.exists()


def test_preview_an_order_opens_the_previewed_draft(live_carts, staff_user, client):
    buyer = staff_user("purchaser")
    (line,) = fill(buyer, pick("taobao"))
    client.force_login(buyer)

    response = client.post(reverse("baskets:order"), {"platform": "taobao", "line": [line.pk]})

    order = PurchaseOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:preview", args=[order.pk])
    assert order.status == "previewed"
    assert not BasketLine.objects.exists()
