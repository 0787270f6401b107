"""Submit and pay against the sandbox over real HTTP: exactly one create, exactly one payment,
whatever is lost on the way."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.utils import timezone, translation

from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.lifecycle import apply_upstream_status
from purchasing.services.orders.pay import order_pay, order_pay_upstream
from purchasing.services.orders.submit import order_submit_upstream
from purchasing.statuses import OrderStatus
from purchasing.tasks import pay_orders, submit_order
from purchasing.templatetags.words import payment_error
from tests.orders.conftest import previewed_order, submitted_order
from tests.orders.factories import leases_run_out, settled
from tests.words import visible_text
from upstream.sandbox.models import Fault, Payment, Sku
from upstream.sandbox.models import Order as SandboxOrder


def sandbox_orders(order: PurchaseOrder):
    return SandboxOrder.objects.filter(outer_ref=order.reference)


def test_submit_creates_the_order_upstream_under_our_reference(live, people):
    order = submitted_order(people)

    upstream = sandbox_orders(order).get()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert (order.upstream_order_id, order.upstream_status) == (upstream.order_id, "WAIT_BUYER_P")
    assert order.upstream_total_fen == upstream.total_fen == order.budget_fen
    assert all(line.upstream_sub_order_id for line in order.lines.all())
    assert len(live.creates(order.reference)) == 1


def test_submit_run_twice_creates_one_upstream_order(live, people):
    order = submitted_order(people)
    events = order.events.count()

    order_submit_upstream(order_id=order.pk)
    submit_order.delay(order_id=order.pk)

    assert sandbox_orders(order).count() == 1
    assert len(live.creates(order.reference)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.events.count() == events


def test_a_dropped_create_response_is_recovered_by_look_up(live, people):
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = settled(submitted_order(people), people.approver)

    assert sandbox_orders(order).count() == 1  # the create landed, the answer did not
    assert len(live.creates(order.reference)) == 1
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.upstream_order_id == sandbox_orders(order).get().order_id
    kinds = list(order.events.values_list("kind", flat=True))
    assert "create_unknown" in kinds and order.create_attempts == 1


def test_a_create_that_times_out_after_commit_is_recovered_by_look_up(live, people, settings):
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    Fault.objects.create(path="/open/order", mode="timeout_after_commit", count=1, ms=1500)

    order = settled(submitted_order(people), people.approver)

    assert sandbox_orders(order).count() == 1
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.create_attempts == 1


def test_an_in_doubt_create_that_never_landed_is_created_once(live, people):
    order = previewed_order(people, actor=people.approver)
    Fault.objects.create(path="/open/order", mode="error", count=1)  # refused before acting

    order_confirm(order=order, actor=people.approver)

    # Looked up at once and not found; not created again while the call may still land.
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING and order.create_in_doubt
    assert sandbox_orders(order).count() == 0 and order.create_attempts == 1
    leases_run_out(order)
    order_submit_upstream(order_id=order.pk)

    order.refresh_from_db()
    assert sandbox_orders(order).count() == 1 and order.create_attempts == 2
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_1688_order_across_two_sellers_is_one_batch_create(live, people):
    order = submitted_order(people, platform="1688", picks=2)

    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert len(order.upstream_ids) == sandbox_orders(order).count()
    assert len(live.creates(order.reference)) == 1


def test_pay_twice_pays_once(live, people):
    order = submitted_order(people)

    order_pay(orders=[order], actor=people.finance)
    order_pay(orders=[order], actor=people.finance)
    order_pay_upstream(order_ids=[order.pk])
    pay_orders.delay(order_ids=[order.pk])

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_by == people.finance
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
    assert order.payments.get().status == PaymentAttempt.Status.SUCCEEDED
    assert order.actual_fen == order.budget_fen


def test_a_dropped_pay_response_is_resolved_by_reading_the_order(live, people):
    order = submitted_order(people)
    Fault.objects.create(path="/open/order/pay", mode="drop_response", count=1)

    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
    assert "pay_unknown" in order.events.values_list("kind", flat=True)


def test_a_lost_pay_answer_is_said_in_words_on_the_order_page(live, people, client):
    """The attempt's story in each reader's language; the transport's English and the
    operation stay in the call journal."""
    order = submitted_order(people)
    Fault.objects.create(path="/open/order/pay", mode="drop_response", count=1)
    order_pay(orders=[order], actor=people.finance)
    assert order.payments.get().status == PaymentAttempt.Status.SUCCEEDED

    client.force_login(people.finance)
    pages = {
        language: visible_text(
            client.get(f"/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        )
        for language in ("en", "zh-hans")
    }

    # "<reference>-P1: Succeeded · ¥71.90 · the connection to the upstream broke"
    assert re.search(
        r"-P1: Succeeded · ¥[\d.,]+ · the connection to the upstream broke", pages["en"]
    )
    assert re.search(r"-P1: [^·]+ · ¥[\d.,]+ · 与上游的连接中断", pages["zh-hans"])
    for page in pages.values():
        assert "ChunkedEncodingError" not in page and "taobao_order_pay" not in page
    # the read that found the payment is the status line's news
    assert "upstream: paid, waiting for the seller to ship" in pages["en"]


def test_the_status_read_before_a_payment_is_named_as_older_news(live, people, client):
    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)

    client.force_login(people.finance)
    english, chinese = (
        visible_text(client.get(f"/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode())
        for lang in ("en", "zh-hans")
    )
    assert "Status: Paid upstream, when last read: waiting for our payment" in english
    assert "上游（上次读取时）： 等待我方付款" in chinese
    # each line's status too
    lines = english.split("Lines", 1)[1].split("Amounts", 1)[0]
    assert "when last read: waiting for our payment" in lines


def test_a_single_1688_order_is_paid_by_protocol_pay(live, people):
    order = submitted_order(people, platform="1688")

    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID, order.attention_reason
    assert not order.needs_attention
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
    assert order.payments.get().operation == "alibaba_order_pay_url"


def test_a_batch_of_1688_orders_is_paid_in_one_call(live, people):
    first = submitted_order(people, platform="1688")
    second = submitted_order(people, platform="1688")

    order_pay(orders=[first, second], actor=people.approver)

    for order in (first, second):
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
        assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1


def test_a_price_change_before_payment_stops_the_order(live, people):
    order = submitted_order(people)
    live.control("price-change", order=order.reference, delta_fen=500)

    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.needs_attention
    assert order.upstream_total_fen == order.budget_fen + 500
    assert not Payment.objects.filter(order__outer_ref=order.reference).exists()
    assert order.payments.get().status == PaymentAttempt.Status.FAILED


def test_a_price_drop_past_the_tolerance_before_payment_stops_the_order_too(live, people):
    order = submitted_order(people)
    live.control("price-change", order=order.reference, delta_fen=-500)

    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.needs_attention
    assert order.upstream_total_fen == order.budget_fen - 500
    assert "-¥5.00" in order.attention_reason
    assert not Payment.objects.filter(order__outer_ref=order.reference).exists()


def test_a_price_rise_before_the_create_stops_in_needs_attention(live, people, settings):
    order = previewed_order(people, actor=people.approver)
    # The seller raises the price after the preview: the Taobao budget makes the upstream
    # refuse, and the order comes back to a person.
    line = order.lines.get()
    Sku.objects.filter(sku_id=line.sku_id).update(price_fen=line.unit_price_fen + 1000)
    order_confirm(order=order, actor=people.approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED and order.needs_attention
    assert not sandbox_orders(order).exists()


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_an_expired_preview_is_taken_again_before_the_create(live, people, platform):
    order = previewed_order(people, actor=people.approver, platform=platform)

    with transaction.atomic():
        order_confirm(order=order, actor=people.approver)
        # Expired by the time the submit task runs (it is enqueued on commit).
        order.previews.update(expires_at=timezone.now())

    order.refresh_from_db()
    assert order.previews.count() == 2
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert "preview expired" in order.events.filter(kind="note").last().message


def test_a_dajisaas_1688_order_is_created_once_and_paid_once(live, people, settings):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    Fault.objects.create(path="/alibaba/trade/createCrossOrder", mode="drop_response", count=1)

    order = settled(submitted_order(people, platform="1688"), people.approver)
    order_pay(orders=[order], actor=people.finance)
    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.provider == "dajisaas" and order.status == OrderStatus.PAID
    assert sandbox_orders(order).count() == 1
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_a_cart_order_is_previewed_created_once_and_leaves_the_cart(live, people, platform):
    from purchasing.services.orders.preview import order_create_from_cart, order_preview
    from tests.orders.factories import ADDRESS
    from tests.upstream.factories import pick
    from upstream import accounts

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
    approver = people.approver
    Fault.objects.create(path="*/cart/create/order", mode="drop_response", count=1)

    order = order_create_from_cart(
        platform=platform, cart_ids=[cart_id], address=ADDRESS, actor=approver
    )
    preview = order_preview(order=order, actor=approver)
    order_confirm(order=order, actor=approver)

    order = settled(order, approver)
    assert preview.total_fen > 0 and not preview.unavailable
    assert order.source == "cart" and order.status == OrderStatus.AWAITING_PAYMENT
    assert sandbox_orders(order).count() == 1


def test_upstream_news_of_a_payment_overtaking_the_pay_answer_records_the_amount(live, people):
    """In make run the sandbox's pay callback can be applied before the pay call's own answer
    is read: the order must still record what was paid."""
    order = submitted_order(people, platform="1688")
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        order.transition(OrderStatus.PAYING, message="pay call in flight")
        attempt = PaymentAttempt.objects.create(
            order=order, key=f"{order.reference}-P1", amount_fen=order.upstream_total_fen
        )
        apply_upstream_status(order, "waitsellersend", source="callback")

    order.refresh_from_db()
    attempt.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert attempt.status == PaymentAttempt.Status.SUCCEEDED
    assert order.actual_fen == attempt.amount_fen > 0
    assert (
        payment_error(attempt) == "settled: the upstream says paid, waiting for the seller to ship"
    )
    with translation.override("zh-hans"):
        assert payment_error(attempt) == "已由上游确认：已付款，等待卖家发货"


def test_a_1688_order_learns_its_sub_orders_once_created(live, people):
    order = submitted_order(people, platform="1688")

    line = order.lines.get()
    assert line.upstream_sub_order_id
    assert line.upstream_order_id == order.upstream_order_id
