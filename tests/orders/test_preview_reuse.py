"""A first preview of the same goods, quantities and address as one of seconds ago shows that one
again (one upstream call for a burst of a best seller); "Preview again" always asks. Reuse never
pays more than a person or policy accepted: the Taobao create carries the accepted total as its
budget, and the read before every pay stops an order whose upstream total moved."""

from __future__ import annotations

import pytest

from purchasing.models import PurchaseOrder
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import order_create_from_items, order_preview
from purchasing.statuses import OrderStatus
from tests.orders.factories import ADDRESS
from tests.upstream.factories import pick
from upstream.models import CallJournal
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Payment, Sku

# The upstream call each platform's preview of an order of item ids makes.
PREVIEW_CALL = {"taobao": "taobao_product_get", "1688": "alibaba_order_preview"}


def calls(platform: str) -> int:
    return CallJournal.objects.filter(operation=PREVIEW_CALL[platform]).count()


def draft(people, chosen, *, quantity: int | None = None, address=ADDRESS) -> PurchaseOrder:
    item = {
        "item_id": chosen.product.item_id,
        "sku_id": chosen.sku.sku_id,
        "spec_id": chosen.sku.spec_id,
        "quantity": quantity or chosen.quantity,
    }
    return order_create_from_items(
        platform=chosen.product.platform, items=[item], address=address, actor=people.approver
    )


def raise_price(chosen, by_fen: int) -> int:
    raised = chosen.sku.price_fen + by_fen
    Sku.objects.filter(pk=chosen.sku.pk).update(price_fen=raised)
    return raised


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_a_burst_of_the_same_goods_is_previewed_once(live, people, platform):
    chosen = pick(platform)
    orders = [draft(people, chosen) for _ in range(3)]
    before = calls(platform)

    previews = [order_preview(order=order, actor=people.approver) for order in orders]

    assert calls(platform) == before + 1
    assert len({p.total_fen for p in previews}) == 1
    assert all(o.previews.count() == 1 for o in orders)


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_other_quantities_or_another_address_ask_again(live, people, platform):
    chosen = pick(platform)
    elsewhere = {**ADDRESS, "address": ADDRESS["address"] + " 2"}
    orders = [
        draft(people, chosen),
        draft(people, chosen, quantity=chosen.quantity + 1),
        draft(people, chosen, address=elsewhere),
    ]
    before = calls(platform)

    for order in orders:
        order_preview(order=order, actor=people.approver)

    assert calls(platform) == before + 3


def test_preview_again_asks_and_later_first_previews_show_its_numbers(live, people):
    chosen = pick("taobao")
    first, second, third = (draft(people, chosen) for _ in range(3))
    before = calls("taobao")
    order_preview(order=first, actor=people.approver)
    raised = raise_price(chosen, 300)

    stale = order_preview(order=second, actor=people.approver)
    again = order_preview(order=second, actor=people.approver, again=True)
    later = order_preview(order=third, actor=people.approver)

    assert stale.goods_fen == chosen.sku.price_fen * chosen.quantity
    assert again.goods_fen == later.goods_fen == raised * chosen.quantity
    assert calls("taobao") == before + 2


def test_without_a_window_every_preview_asks(live, people, settings):
    settings.CAIGOU_PREVIEW_REUSE_SECONDS = 0
    chosen = pick("1688")
    for order in [draft(people, chosen) for _ in range(2)]:
        order_preview(order=order, actor=people.approver)
    assert calls("1688") == 2


def test_a_reused_taobao_preview_of_a_moved_price_is_refused_by_the_budget(live, people):
    chosen = pick("taobao")
    first, second = draft(people, chosen), draft(people, chosen)
    order_preview(order=first, actor=people.approver)
    raise_price(chosen, 1000)
    order_preview(order=second, actor=people.approver)

    order_confirm(order=second, actor=people.approver)

    second.refresh_from_db()
    assert second.status == OrderStatus.PREVIEWED and second.needs_attention
    assert not SandboxOrder.objects.filter(outer_ref=second.reference).exists()


def test_a_reused_1688_preview_of_a_moved_price_is_never_paid(live, people):
    chosen = pick("1688")
    first, second = draft(people, chosen), draft(people, chosen)
    accepted = order_preview(order=first, actor=people.approver).total_fen
    raise_price(chosen, 1000)
    assert order_preview(order=second, actor=people.approver).total_fen == accepted
    # A 1688 create carries no budget: the order is made upstream at the new price, and the
    # read of it stops the order for a person before anyone can pay it.
    order_confirm(order=second, actor=people.approver)
    second.refresh_from_db()
    assert second.status == OrderStatus.AWAITING_PAYMENT and second.needs_attention
    assert second.upstream_total_fen > accepted

    with pytest.raises(OrderError, match="needs attention"):
        order_pay(orders=[second], actor=people.finance)

    assert not Payment.objects.filter(order__outer_ref=second.reference).exists()
