"""A call that lands after Caigou gave up waiting: the upstream still works on it when the
read that follows finds nothing. Nothing is created or paid again until the call's lease has
run out (the upstream does not refuse a second payment, upstream-api.md 6.4)."""

from __future__ import annotations

from django.utils import timezone

from purchasing.models import PaymentAttempt
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.pay import order_pay, order_pay_upstream
from purchasing.services.orders.submit import order_submit_upstream
from purchasing.statuses import OrderStatus
from tests.orders.conftest import previewed_order, submitted_order
from tests.orders.factories import (
    documented,
    foreign_order,
    leases_run_out,
    looked_up_after_its_lease,
)
from tests.upstream.factories import pick
from tests.waiting import wait_until
from upstream.models import CallJournal
from upstream.sandbox.models import Fault, Payment
from upstream.sandbox.models import Order as SandboxOrder

LATE_MS = 1500  # the handler starts after the client's read timeout (0.5 s)


def shown(moment) -> str:
    """A time as the order page shows it (the site's time zone, to the second)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def page_says(client, order, english: str, chinese: str) -> None:
    """The order's page says it, in English and in Chinese."""
    assert english in client.get(f"/orders/{order.pk}/").content.decode()
    page = client.get(f"/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese in page.content.decode()


def test_a_pay_call_that_lands_after_its_timeout_is_not_paid_again(live, people, settings, client):
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    order = submitted_order(people)
    Fault.objects.create(path="/open/order/pay", mode="latency", count=1, ms=LATE_MS)
    reads = CallJournal.objects.filter(operation="taobao_order_get")
    reads_before = reads.count()

    order_pay(orders=[order], actor=people.finance)

    # The read right after the timeout found the order unpaid: nothing paid again, and no
    # more reads by the task until the lease has run out.
    order.refresh_from_db()
    attempt = order.payments.get()
    assert order.status == OrderStatus.PAYING
    assert attempt.status == PaymentAttempt.Status.UNKNOWN and attempt.lease_until
    assert reads.count() - reads_before == 2  # before the pay call, and once after it
    # The order's page says until when nothing is paid again, in the reader's language.
    client.force_login(people.finance)
    when = shown(attempt.lease_until)
    page_says(client, order, f"No new pay call before {when}", f"{when} 之前不会再次调用付款")
    payments = Payment.objects.filter(order__outer_ref=order.reference)
    wait_until(payments.exists, timeout=10, what="the late pay call to land")
    leases_run_out(order)
    order_pay_upstream(order_ids=[order.pk])

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and payments.count() == 1
    assert order.payments.get().status == PaymentAttempt.Status.SUCCEEDED
    assert "No new pay call before" not in client.get(f"/orders/{order.pk}/").content.decode()


def test_a_late_pay_call_found_paid_at_once_settles_at_once(live, people, settings):
    """What proves the payment is acted on under the lease: only paying again waits."""
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    order = submitted_order(people)
    Fault.objects.create(path="/open/order/pay", mode="latency", count=1, ms=LATE_MS)
    order_pay(orders=[order], actor=people.finance)
    payments = Payment.objects.filter(order__outer_ref=order.reference)
    wait_until(payments.exists, timeout=10, what="the late pay call to land")

    order_pay_upstream(order_ids=[order.pk])

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and payments.count() == 1


def test_a_create_that_lands_after_its_timeout_is_created_once(
    live, early_look_alikes, people, settings
):
    """Under the documented profile, where the reference may come back empty, the one order
    that landed is then found by match."""
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    order = previewed_order(people, actor=people.approver)
    Fault.objects.create(path="/open/order", mode="latency", count=1, ms=LATE_MS)

    order_confirm(order=order, actor=people.approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING and order.create_in_doubt
    created = SandboxOrder.objects.filter(outer_ref=order.reference)
    wait_until(created.exists, timeout=10, what="the late create to land")
    leases_run_out(order)
    order_submit_upstream(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.create_attempts == 1
    assert created.count() == 1 and order.upstream_order_id == created.get().order_id


def test_a_look_alike_seen_before_a_late_create_lands_is_neither_adopted_nor_put_to_a_person(
    live, early_look_alikes, people, settings, client
):
    """Someone else's order of the same goods is on the account, and ours lands after the
    look-up that follows the timeout: that look-up saw only theirs. Matching it would take
    their order, and asking a person would list it without ours; nothing is decided until the
    create can no longer land, and then ours is among the candidates."""
    if not documented():
        Fault.objects.create(path="*", mode="ignore_references")
    theirs = foreign_order(pick("taobao"))
    order = previewed_order(people, actor=people.approver)
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    Fault.objects.create(path="/open/order", mode="latency", count=1, ms=LATE_MS)

    order_confirm(order=order, actor=people.approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING and order.create_in_doubt
    assert not order.upstream_ids and not order.needs_attention and not order.adoption
    # The order's page says until when, in the reader's language.
    client.force_login(people.approver)
    when = shown(order.create_lease_until)
    page_says(
        client,
        order,
        f"the order may still be created upstream until {when}",
        f"在 {when} 之前，该订单仍可能在上游创建成功",
    )
    created = SandboxOrder.objects.filter(outer_ref=order.reference)
    wait_until(created.exists, timeout=10, what="the late create to land")
    order = looked_up_after_its_lease(order)

    [ours] = created.values_list("order_id", flat=True)
    assert order.status == OrderStatus.SUBMITTING and not order.upstream_ids
    assert order.needs_attention and order.adoption["state"] == "ask"
    assert {c["order_id"] for c in order.adoption["candidates"]} == {ours, theirs}
    assert created.count() == 1
