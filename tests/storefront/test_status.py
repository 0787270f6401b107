"""A customer order's status follows its purchase orders, parcels and refunds, and every change
reaches the storefront as an `order.status_changed` webhook."""

from __future__ import annotations

from django.db import transaction

from aftersales.models import CaseKind, CaseStatus
from aftersales.services import case_open, case_options, case_refresh, case_submit
from logistics.services import Customs, freight_estimate, parcel_book, parcel_create, parcel_refresh
from purchasing.models import PurchaseOrder
from purchasing.services.orders.events import advance_to
from purchasing.services.orders.lifecycle import order_refresh
from purchasing.statuses import OrderStatus
from storefront.models import CustomerLineStatus, CustomerOrderStatus
from storefront.services.intake import customer_order_create
from tests.logistics.conftest import customer  # noqa: F401 (a fixture)
from tests.storefront.conftest import order_data, pick

CUSTOMS = Customs(declared_value_fen=5000, description="plastic storage boxes (3924.90)")


def bought(storefront, webhook_receiver):
    storefront.webhook_url = webhook_receiver.url
    storefront.save()
    order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))
    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.PURCHASED, order.status_reason
    return order, order.purchase_orders.get()


def announced(webhook_receiver) -> list[str]:
    messages = sorted(
        (r.json() for r in webhook_receiver.of_type("order.status_changed")),
        key=lambda m: m["timestamp"],
    )
    return [m["data"]["status"] for m in messages]


def states(order) -> tuple[str, str]:
    order.refresh_from_db()
    return order.status, order.lines.get().status


def test_status_follows_the_goods_to_the_customer(
    live,
    storefront,
    webhook_receiver,
    people,
    customer,  # noqa: F811
):
    order, purchase = bought(storefront, webhook_receiver)

    live.control("advance", order=purchase.reference, to="WAIT_BUYER_CONFIRM_GOODS")
    order_refresh(order_id=purchase.pk)
    assert states(order) == (CustomerOrderStatus.SHIPPED, CustomerLineStatus.SHIPPED)

    with transaction.atomic():  # the warehouse received it
        locked = PurchaseOrder.objects.select_for_update().get(pk=purchase.pk)
        advance_to(locked, OrderStatus.AT_WAREHOUSE, actor_label="warehouse")
    assert states(order) == (CustomerOrderStatus.AT_WAREHOUSE, CustomerLineStatus.AT_WAREHOUSE)

    lines = list(purchase.lines.all())
    service = freight_estimate(items=lines, destination=customer).cheapest.service_id
    parcel = parcel_create(
        lines=lines, address=customer, service=service, customs=CUSTOMS, actor=people.purchaser
    )
    parcel_book(parcel=parcel, actor=people.purchaser)
    live.control("tick")  # picked up
    parcel_refresh(parcel_id=parcel.pk)
    assert states(order) == (CustomerOrderStatus.DISPATCHED, CustomerLineStatus.DISPATCHED)

    live.control("tick")
    live.control("tick")  # delivered
    parcel_refresh(parcel_id=parcel.pk)
    assert states(order) == (CustomerOrderStatus.DELIVERED, CustomerLineStatus.DELIVERED)

    assert announced(webhook_receiver) == [
        "purchasing",
        "purchased",
        "shipped",
        "at_warehouse",
        "dispatched",
        "delivered",
    ]
    last = webhook_receiver.of_type("order.status_changed")[-1].json()["data"]
    assert last["lines"][0]["parcel"]["reference"] == parcel.reference


def test_a_refunded_line_is_announced(live, storefront, webhook_receiver, people):
    order, purchase = bought(storefront, webhook_receiver)
    line = purchase.lines.get()
    lines = {line.pk: line.quantity}
    options = case_options(order=purchase, lines=lines, kind=CaseKind.REFUND_ONLY, goods_status="1")
    case = case_open(
        order=purchase,
        lines=lines,
        kind=CaseKind.REFUND_ONLY,
        goods_status="1",
        reason_id=options.reasons[0].reason_id,
        amount_fen=options.max_fen,
        description="不想要了",
        actor=people.purchaser,
    )
    case_submit(case=case, actor=people.purchaser)
    live.control("tick")  # the seller agrees and refunds

    case = case_refresh(case_id=case.pk)

    assert case.status == CaseStatus.REFUNDED
    assert states(order) == (CustomerOrderStatus.PURCHASED, CustomerLineStatus.REFUNDED)
    last = webhook_receiver.of_type("order.status_changed")[-1].json()["data"]
    assert last["lines"][0]["status"] == "refunded"
    assert last["amounts"]["refunded_fen"] == case.agreed_fen > 0


def test_the_sweeper_repairs_a_status_whose_sync_task_was_lost(live, storefront, webhook_receiver):
    from datetime import timedelta

    from django.utils import timezone

    from purchasing.signals import order_moved
    from storefront import receivers
    from storefront.tasks import sweep

    order, purchase = bought(storefront, webhook_receiver)
    order_moved.disconnect(dispatch_uid="storefront.order_moved")
    try:  # the seller ships, but the status task is lost with the broker
        live.control("advance", order=purchase.reference, to="WAIT_BUYER_CONFIRM_GOODS")
        order_refresh(order_id=purchase.pk)
    finally:
        order_moved.connect(receivers.order_moved, dispatch_uid="storefront.order_moved")
    assert states(order) == (CustomerOrderStatus.PURCHASED, CustomerLineStatus.PURCHASED)

    sweep()
    assert states(order) == (
        CustomerOrderStatus.PURCHASED,
        CustomerLineStatus.PURCHASED,
    )  # too fresh: its own task may still run

    hour_ago = timezone.now() - timedelta(hours=1)
    PurchaseOrder.objects.filter(pk=purchase.pk).update(updated_at=hour_ago)
    order.__class__.objects.filter(pk=order.pk).update(synced_at=hour_ago - timedelta(minutes=1))
    sweep()

    assert states(order) == (CustomerOrderStatus.SHIPPED, CustomerLineStatus.SHIPPED)
    assert announced(webhook_receiver)[-1] == "shipped"
    sent = len(webhook_receiver.of_type("order.status_changed"))
    sweep()  # in sync now: nothing more to do or say
    assert len(webhook_receiver.of_type("order.status_changed")) == sent


def test_idempotency_keys_are_forgotten_after_a_day(storefront):
    from datetime import timedelta

    from django.utils import timezone

    from storefront.models import IdempotencyKey
    from storefront.tasks import purge_idempotency_keys

    keys = [
        IdempotencyKey.objects.create(
            storefront=storefront, key=f"k{age}", method="POST", path="/", fingerprint="x"
        )
        for age in (1, 23, 25)
    ]
    for key, age in zip(keys, (1, 23, 25), strict=True):
        created = timezone.now() - timedelta(hours=age)
        IdempotencyKey.objects.filter(pk=key.pk).update(created_at=created)

    assert purge_idempotency_keys() == 1
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"k1", "k23"}
