"""Fewer upstream calls per order, never fewer checks: a draft built from item ids reuses a
product read of the last seconds (the preview reads the goods again), and the read before a
pay links the lines of an ids-only 1688 create, so the read scheduled to learn them is skipped.
The pay itself always reads first (tests/orders/test_submit_pay.py: a price moved seconds
after the create stops it)."""

from __future__ import annotations

from purchasing.services.orders.lifecycle import order_refresh
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import order_create_from_items, order_preview
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from tests.orders.factories import ADDRESS
from tests.upstream.factories import pick
from upstream.models import CallJournal
from upstream.sandbox.models import Sku

PRODUCT_READ = "taobao_product_get"


def calls(operation: str) -> int:
    return CallJournal.objects.filter(operation=operation).count()


def item(chosen) -> dict:
    return {
        "item_id": chosen.product.item_id,
        "sku_id": chosen.sku.sku_id,
        "quantity": chosen.quantity,
    }


def test_drafts_of_one_item_share_a_recent_read_and_the_preview_reads_again(live, people):
    chosen = pick("taobao")
    first = order_create_from_items(
        platform="taobao", items=[item(chosen)], address=ADDRESS, actor=people.approver
    )
    second = order_create_from_items(
        platform="taobao", items=[item(chosen)], address=ADDRESS, actor=people.approver
    )
    assert calls(PRODUCT_READ) == 1
    assert first.lines.get().unit_price_fen == second.lines.get().unit_price_fen

    assert first.lines.get().unit_price_fen == chosen.sku.price_fen

    # The seller raises the price after the drafts: the preview reads it, whatever they say.
    raised = chosen.sku.price_fen + 300
    Sku.objects.filter(pk=chosen.sku.pk).update(price_fen=raised)
    preview = order_preview(order=second, actor=people.approver)

    assert calls(PRODUCT_READ) == 2
    assert preview.goods_fen == raised * chosen.quantity


def test_without_a_window_every_draft_reads(live, people, settings):
    settings.CAIGOU_PRODUCT_READ_FRESH_SECONDS = 0
    chosen = pick("taobao")
    for _ in range(2):
        order_create_from_items(
            platform="taobao", items=[item(chosen)], address=ADDRESS, actor=people.approver
        )
    assert calls(PRODUCT_READ) == 2


def test_the_read_before_a_pay_links_the_lines_and_the_later_read_is_skipped(live, people):
    order = submitted_order(people, platform="1688")
    order.lines.update(upstream_sub_order_id="", upstream_order_id="")
    reads = calls("alibaba_order_detail")

    order_pay(orders=[order], actor=people.approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert calls("alibaba_order_detail") == reads + 1  # the pay read it, once
    assert not order.lines.filter(upstream_sub_order_id="").exists()
    order_refresh(order_id=order.pk, unless_linked=True)
    assert calls("alibaba_order_detail") == reads + 1


def test_the_read_to_learn_lines_still_runs_while_a_line_is_unlinked(live, people):
    order = submitted_order(people, platform="1688")
    order.lines.update(upstream_sub_order_id="")
    reads = calls("alibaba_order_detail")

    order_refresh(order_id=order.pk, unless_linked=True)

    assert calls("alibaba_order_detail") == reads + 1
    assert not order.lines.filter(upstream_sub_order_id="").exists()
