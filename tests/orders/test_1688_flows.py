"""1688 end to end through Caigou's own services, against the sandbox over real HTTP, in
whichever profile the run chooses: a true two-seller order, cancel before payment and confirm
receipt through either provider, and Dajisaas's keyword search."""

from __future__ import annotations

import pytest

from purchasing.services.goods import goods_search
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.lifecycle import order_cancel, order_confirm_receipt, order_refresh
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import order_create_from_items, order_preview
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from tests.orders.factories import ADDRESS
from tests.upstream.factories import pick
from upstream.models import CallJournal
from upstream.sandbox.models import LedgerEntry, Payment, Product
from upstream.sandbox.models import Order as SandboxOrder

PROVIDERS = ["pandapon", "dajisaas"]


def made_for(order) -> list[SandboxOrder]:
    """The upstream orders our creates made (the sandbox's books keep our reference)."""
    return list(SandboxOrder.objects.filter(outer_ref=order.reference).order_by("pk"))


def test_a_two_seller_1688_order_is_one_create_of_one_order_per_seller(live, people):
    first = pick("1688")
    second = pick("1688", other_shop_than=(first,))
    items = [
        {
            "item_id": p.product.item_id,
            "sku_id": p.sku.sku_id,
            "spec_id": p.sku.spec_id,
            "quantity": p.quantity,
        }
        for p in (first, second)
    ]
    approver = people.approver
    order = order_create_from_items(platform="1688", items=items, address=ADDRESS, actor=approver)
    order_preview(order=order, actor=approver)
    order_confirm(order=order, actor=approver)
    order.refresh_from_db()

    made = made_for(order)
    assert order.status == OrderStatus.AWAITING_PAYMENT, order.attention_reason
    assert {o.shop_id for o in made} == {first.product.shop_id, second.product.shop_id}
    assert sorted(order.upstream_ids) == sorted(o.order_id for o in made)
    creates = LedgerEntry.objects.filter(kind="create", outer_ref=order.reference)
    assert [entry.operation for entry in creates] == ["alibaba_order_batch_create"]
    for line in order.lines.all():  # each line linked to its own seller's order and entry
        upstream = next(o for o in made if o.order_id == line.upstream_order_id)
        entry = upstream.lines.get(sub_order_id=line.upstream_sub_order_id)
        assert entry.product.item_id == line.item_id and entry.quantity == line.quantity

    order_pay(orders=[order], actor=people.finance)
    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.filter(order__in=made).count() == 2  # one per seller's order, once


@pytest.mark.parametrize("provider", PROVIDERS)
def test_cancel_before_payment_closes_the_1688_order_upstream(live, people, settings, provider):
    settings.UPSTREAM_PROVIDER_1688 = provider
    order = submitted_order(people, platform="1688")

    order_cancel(order=order, actor=people.approver, reason="ordered by mistake")

    order.refresh_from_db()
    assert order.provider == provider and order.status == OrderStatus.CANCELLED
    assert [o.status for o in made_for(order)] == ["cancel"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_receipt_of_a_shipped_1688_order_brings_it_to_the_warehouse(
    live, people, settings, provider
):
    settings.UPSTREAM_PROVIDER_1688 = provider
    order = submitted_order(people, platform="1688")
    order_pay(orders=[order], actor=people.finance)
    for upstream_id in order.upstream_ids:
        live.control("advance", order=upstream_id, to="waitbuyerreceive")
    order = order_refresh(order_id=order.pk)
    assert order.status == OrderStatus.SHIPPED

    order_confirm_receipt(order=order, actor=people.purchaser)

    order.refresh_from_db()
    assert order.status == OrderStatus.AT_WAREHOUSE
    assert [o.status for o in made_for(order)] == ["success"]


def test_dajisaas_keyword_search_answers_from_dajisaas(live, settings):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    product = Product.objects.filter(platform="1688", available=True).order_by("pk").first()

    found = goods_search(platform="1688", keyword=product.category_name, page_size=50)

    assert all(card.platform == "1688" for card in found.cards)
    assert product.item_id in {card.item_id for card in found.cards}
    searched = CallJournal.objects.filter(operation="dj_product_keyword_query")
    assert searched.exists()
    assert not CallJournal.objects.filter(operation="alibaba_product_keyword_query").exists()
