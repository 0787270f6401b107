"""Re-check before create: the upstream is asked again before an order is created when the
accepted preview may be stale (always for cart orders), and a move past the tolerance, up or
down, stops the order before anything is created."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from purchasing.actors import Policy
from purchasing.models.orders import Source
from purchasing.services import goods
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.preview import (
    NewLine,
    order_create,
    order_create_from_cart,
    order_preview,
)
from purchasing.statuses import OrderStatus
from tests.orders.conftest import previewed_order
from tests.orders.factories import ADDRESS
from tests.upstream.factories import pick
from upstream import accounts
from upstream.models import CallJournal
from upstream.sandbox.models import CartItem, Sku
from upstream.sandbox.models import Order as SandboxOrder


def cart_order(people, platform: str):
    """A cart order of one sandbox SKU, previewed by an approver; returns it and its SKU."""
    chosen = pick(platform)
    client = accounts.pandapon()
    if platform == "taobao":
        cart_id = client.taobao_cart.add(
            item_id=chosen.product.item_id,
            sku_id=chosen.sku.sku_id,
            mp_id=chosen.product.mp_id,
            mp_sku_id=chosen.sku.mp_sku_id,
            quantity=chosen.quantity,
        )
    else:
        cart_id = client.alibaba_cart.add(
            offer_id=chosen.product.item_id, spec_id=chosen.sku.spec_id, quantity=chosen.quantity
        )
    order = order_create_from_cart(
        platform=platform, cart_ids=[cart_id], address=ADDRESS, actor=people.approver
    )
    order_preview(order=order, actor=people.approver)
    order.refresh_from_db()
    return order, chosen


def reprice(sku, unit_fen: int) -> None:
    """The seller sets a new unit price in the sandbox."""
    Sku.objects.filter(pk=sku.pk).update(price_fen=unit_fen)


def assert_stopped_before_create(live, order) -> None:
    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED and order.needs_attention
    assert not SandboxOrder.objects.filter(outer_ref=order.reference).exists()
    assert live.creates(order.reference) == []
    assert not order.upstream_ids


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_a_cart_price_rise_after_the_preview_stops_the_order_before_the_create(
    live, people, platform
):
    order, chosen = cart_order(people, platform)
    accepted_total = order.quoted_total_fen
    # Within the preview's lifetime, seconds after it was taken.
    reprice(chosen.sku, chosen.sku.price_fen + 1000)

    order_confirm(order=order, actor=people.approver)

    assert_stopped_before_create(live, order)
    rise = 1000 * chosen.quantity
    assert order.quoted_total_fen == accepted_total + rise  # the person sees the new numbers
    assert "¥" in order.attention_reason and f"+¥{rise // 100:,}.00" in order.attention_reason
    assert "fen" not in order.attention_reason


def test_a_cart_price_drop_past_the_tolerance_stops_the_order_too(live, people):
    order, chosen = cart_order(people, "taobao")
    drop = min(chosen.sku.price_fen - 1, 500)
    assert drop * chosen.quantity > 100  # past the default tolerance of ¥1
    reprice(chosen.sku, chosen.sku.price_fen - drop)

    order_confirm(order=order, actor=people.approver)

    assert_stopped_before_create(live, order)
    assert f"-¥{drop * chosen.quantity / 100:,.2f}" in order.attention_reason


def test_a_cart_change_within_the_tolerance_is_created(live, people):
    order, chosen = cart_order(people, "taobao")
    assert chosen.quantity <= 100
    reprice(chosen.sku, chosen.sku.price_fen + 1)  # at most ¥1 on the order

    order_confirm(order=order, actor=people.approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not order.needs_attention
    assert len(live.creates(order.reference)) == 1
    assert order.previews.count() == 2  # previewed again before the create


def test_a_cart_line_gone_upstream_stops_the_order_with_the_refusal(live, people):
    order, _chosen = cart_order(people, "taobao")
    CartItem.objects.all().delete()  # emptied upstream, e.g. from the agent's own site

    order_confirm(order=order, actor=people.approver)

    assert_stopped_before_create(live, order)
    assert "refused the preview" in order.attention_reason


def test_the_policy_path_rechecks_an_old_preview_before_the_create(live, people):
    chosen = pick("1688")
    product = goods.product_get(platform="1688", item_id=chosen.product.item_id)
    sku = product.skus.get(spec_id=chosen.sku.spec_id)
    policy = Policy("storefront:Test shop")
    order = order_create(
        platform="1688",
        lines=[NewLine.of_cached(product, sku, chosen.quantity)],
        address=ADDRESS,
        actor=policy,
        source=Source.STOREFRONT,
    )
    order_preview(order=order, actor=policy)
    reprice(chosen.sku, chosen.sku.price_fen + 1000)

    with transaction.atomic():
        order_confirm(order=order, actor=policy, reason="in budget")
        # Older than CAIGOU_PREVIEW_RECHECK_SECONDS by the time the submit task runs.
        order.previews.update(created_at=timezone.now() - timedelta(minutes=5))

    assert_stopped_before_create(live, order)


def test_an_item_order_with_a_fresh_preview_is_not_previewed_again(live, people, settings):
    settings.CAIGOU_PREVIEW_RECHECK_SECONDS = 600
    order = previewed_order(people, actor=people.approver, platform="1688")
    previews = CallJournal.objects.filter(operation="alibaba_order_preview")
    assert previews.count() == 1

    order_confirm(order=order, actor=people.approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert previews.count() == 1 and order.previews.count() == 1


def test_an_item_order_with_an_old_preview_is_previewed_again(live, people, settings):
    settings.CAIGOU_PREVIEW_RECHECK_SECONDS = 60
    order = previewed_order(people, actor=people.approver, platform="1688")
    previews = CallJournal.objects.filter(operation="alibaba_order_preview")

    with transaction.atomic():
        order_confirm(order=order, actor=people.approver)
        order.previews.update(created_at=timezone.now() - timedelta(seconds=61))

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert previews.count() == 2 and order.previews.count() == 2
