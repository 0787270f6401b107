"""Baskets: each person's own, shared on request, one line per SKU, and hostile input refused.
The services and selectors are exercised directly (no upstream: adding reads the goods cache)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from carts import basket_selectors as selectors
from carts.basket_services import (
    NotYours,
    basket_add,
    basket_line_change,
    basket_line_remove,
    basket_order,
    basket_share,
)
from carts.models import MAX_LINE_QUANTITY, Basket, BasketLine
from carts.services import CartRefused
from tests.carts.basket_factories import cached_sku
from tests.orders.factories import ADDRESS

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(staff_user):
    return staff_user("purchaser"), staff_user("purchaser")


def add(user, sku, quantity=1, **extra):
    return basket_add(
        actor=user,
        platform=sku.product.platform,
        item_id=sku.product.item_id,
        sku_id=sku.sku_id,
        quantity=quantity,
        **extra,
    )


def test_adding_keeps_a_snapshot_in_the_adders_own_basket(two):
    first, second = two
    sku = cached_sku()
    line = add(first, sku, 2, note="for the Lisbon shop")

    assert line.basket.owner == first
    assert (line.quantity, line.unit_price_fen, line.amount_fen) == (2, 1250, 2500)
    assert line.title == "瑜伽垫 加厚" and line.title_en == "Yoga mat, thick"
    assert line.picture == "https://img.example/mat.jpg"
    assert "Purple" in line.variant and line.seller_name == "Hangzhou Sports"
    assert line.spec_id == "spec-5001" and line.note == "for the Lisbon shop"
    assert not Basket.objects.filter(owner=second).exists()


def test_the_same_sku_again_adds_to_its_line(two):
    first, _ = two
    sku = cached_sku()
    add(first, sku, 2)
    line = add(first, sku, 3)

    assert BasketLine.objects.count() == 1
    assert line.quantity == 5


def test_the_database_holds_one_line_per_sku_too(two):
    first, _ = two
    line = add(first, cached_sku())
    with pytest.raises(IntegrityError), transaction.atomic():
        BasketLine.objects.create(
            basket=line.basket, platform="taobao", item_id="100001", sku_id="5001", quantity=1
        )


def test_the_merged_quantity_must_still_be_in_stock(two):
    first, _ = two
    sku = cached_sku(stock=4)
    add(first, sku, 3)
    with pytest.raises(CartRefused, match="Only 4 left"):
        add(first, sku, 2)
    assert BasketLine.objects.get().quantity == 3


@pytest.mark.parametrize("quantity", [0, -3, None, MAX_LINE_QUANTITY + 1, 10**30])
def test_a_hostile_quantity_is_refused_and_nothing_is_stored(two, quantity):
    first, _ = two
    sku = cached_sku(stock=10**9 // 1000)
    with pytest.raises(CartRefused):
        add(first, sku, quantity)
    assert not BasketLine.objects.exists()


def test_a_sku_the_cache_does_not_know_is_refused(two):
    first, _ = two
    cached_sku()
    with pytest.raises(CartRefused, match="not offered"):
        basket_add(actor=first, platform="taobao", item_id="100001", sku_id="999", quantity=1)
    with pytest.raises(CartRefused, match="Taobao or 1688"):
        basket_add(actor=first, platform="amazon", item_id="100001", sku_id="5001", quantity=1)


def test_nobody_sees_another_persons_private_basket(two):
    first, second = two
    add(first, cached_sku())
    add(second, cached_sku(item_id="100002", title="水杯"))
    mine = selectors.my_basket(first)

    assert [line.title for s in mine.sections for line in s.lines] == ["瑜伽垫 加厚"]
    assert selectors.basket_for(second, first.basket.pk) is None
    assert list(selectors.visible_baskets(second)) == [second.basket]
    assert list(selectors.shared_by_others(second)) == []


def test_a_shared_basket_is_read_by_the_team_and_only_read(two):
    first, second = two
    line = add(first, cached_sku(), 2)
    basket_share(actor=first, shared=True)

    seen = selectors.basket_for(second, first.basket.pk)
    assert seen is not None and not seen.mine
    assert [x.pk for s in seen.sections for x in s.lines] == [line.pk]
    assert [b.pk for b in selectors.shared_by_others(second)] == [first.basket.pk]
    # Shared is for reading: the owner alone changes, removes and orders its lines.
    with pytest.raises(NotYours):
        basket_line_change(actor=second, line_id=line.pk, quantity=9)
    with pytest.raises(NotYours):
        basket_line_remove(actor=second, line_id=line.pk)
    with pytest.raises(NotYours):
        basket_order(actor=second, platform="taobao", line_ids=[line.pk], address=ADDRESS)
    line.refresh_from_db()
    assert line.quantity == 2

    basket_share(actor=first, shared=False)
    assert selectors.basket_for(second, first.basket.pk) is None


def test_the_owner_changes_and_removes_a_line(two):
    first, _ = two
    line = add(first, cached_sku(stock=5), 2)

    basket_line_change(actor=first, line_id=line.pk, quantity=4, note="  two colours  ")
    line.refresh_from_db()
    assert (line.quantity, line.note) == (4, "two colours")
    with pytest.raises(CartRefused, match="Only 5 left"):
        basket_line_change(actor=first, line_id=line.pk, quantity=6)
    with pytest.raises(CartRefused):
        basket_line_change(actor=first, line_id=line.pk, quantity=-1)
    line.refresh_from_db()
    assert line.quantity == 4

    basket_line_remove(actor=first, line_id=line.pk)
    assert not BasketLine.objects.exists()
    with pytest.raises(NotYours):
        basket_line_remove(actor=first, line_id=line.pk)


def test_ordering_needs_ticked_lines_of_the_platform(two):
    first, _ = two
    line = add(first, cached_sku())
    with pytest.raises(CartRefused, match="Tick at least one line"):
        basket_order(actor=first, platform="taobao", line_ids=[], address=ADDRESS)
    with pytest.raises(NotYours):
        basket_order(actor=first, platform="1688", line_ids=[line.pk], address=ADDRESS)
    with pytest.raises(CartRefused, match="Taobao or 1688"):
        basket_order(actor=first, platform="ebay", line_ids=[line.pk], address=ADDRESS)
    assert BasketLine.objects.count() == 1
