"""Report tests: a small purchasing history built by hand, so every figure can be checked by
hand. Times are fixed in the local time zone (Asia/Shanghai)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.models import RefundCase
from logistics.models import Address, Parcel, ParcelLine
from purchasing import phrases
from purchasing.models import OrderEvent, PaymentAttempt, PurchaseOrder, PurchaseOrderLine
from storefront.models import CustomerOrder, CustomerOrderLine, Storefront
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from tests.purchasing.factories import StaffUserFactory


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


@dataclass
class History:
    alice: object
    bob: object
    shop: Storefront
    po1: PurchaseOrder
    po2: PurchaseOrder
    l1: PurchaseOrderLine
    l2: PurchaseOrderLine
    l3: PurchaseOrderLine
    payment: PaymentAttempt
    case: RefundCase
    parcel: Parcel


@pytest.fixture
def history(db) -> History:
    return make_history()


def make_history() -> History:
    """PO1: Taobao, paid ¥210 (goods 200 + freight 10), ¥30 refunded, one line sold through
    "Shop A" for ¥150. PO2: 1688, awaiting payment, goods 50 + freight 5, with formula-looking
    text in its seller and line title."""
    alice = StaffUserFactory(username="alice", role="purchaser")
    bob = StaffUserFactory(username="bob", role="purchaser")
    po1 = PurchaseOrderFactory(
        platform="taobao",
        status="paid",
        seller_name="Seller One",
        created_by=alice,
        quoted_goods_fen=20_000,
        quoted_freight_fen=1_000,
        quoted_total_fen=21_000,
        actual_fen=21_000,
        refunded_fen=3_000,
        paid_at=local(2026, 3, 2, 10, 0),
        upstream_order_no="TB-1",
    )
    po2 = PurchaseOrderFactory(
        platform="1688",
        provider="pandapon",
        status="awaiting_payment",
        seller_name="=HYPERLINK(1)",
        created_by=bob,
        quoted_goods_fen=5_000,
        quoted_freight_fen=500,
        quoted_total_fen=5_500,
    )
    PurchaseOrder.objects.filter(pk=po1.pk).update(created_at=local(2026, 3, 1, 9, 30))
    PurchaseOrder.objects.filter(pk=po2.pk).update(created_at=local(2026, 3, 5, 16, 45))
    po1.refresh_from_db()
    po2.refresh_from_db()
    l1 = PurchaseOrderLineFactory(
        order=po1,
        line_no=1,
        item_id="1001",
        sku_id="s1",
        title="Teapot",
        seller_name="Seller One",
        quantity=1,
        unit_price_fen=10_000,
        amount_fen=10_000,
    )
    l2 = PurchaseOrderLineFactory(
        order=po1,
        line_no=2,
        item_id="1002",
        sku_id="s2",
        title="Cups",
        seller_name="Seller One",
        quantity=2,
        unit_price_fen=5_000,
        amount_fen=10_000,
    )
    l3 = PurchaseOrderLineFactory(
        order=po2,
        line_no=1,
        item_id="2001",
        sku_id="s3",
        title="=cmd|' /C calc'!A0",
        seller_name="=HYPERLINK(1)",
        quantity=1,
        unit_price_fen=5_000,
        amount_fen=5_000,
    )
    shop = Storefront.objects.create(name="Shop A")
    customer_order = CustomerOrder.objects.create(
        storefront=shop, external_id="A-1", currency="USD", customer_name="Carol"
    )
    customer_order.purchase_orders.add(po1)
    CustomerOrderLine.objects.create(
        order=customer_order,
        line_no=1,
        platform="taobao",
        item_id="1001",
        quantity=1,
        unit_price_fen=15_000,
        purchase_line=l1,
    )
    payment = PaymentAttempt.objects.create(
        order=po1,
        key="pay-po1",
        status="succeeded",
        amount_fen=21_000,
        requested_by=alice,
        operation="taobao_order_pay",
        finished_at=local(2026, 3, 2, 10, 0),
    )
    # Kept as the pay services keep it: the site's language, and the words for other readers.
    payment.keep_error(
        phrases.gettext("settled: the upstream says %(status)s") % {"status": "PAID"}
    )
    payment.save(update_fields=["error", "error_words"])
    PaymentAttempt.objects.filter(pk=payment.pk).update(created_at=local(2026, 3, 2, 9, 59))
    case = RefundCase.objects.create(
        order=po1,
        platform="taobao",
        reference="RF-TEST1",
        kind="refund_only",
        goods_status="1",
        reason_id="r1",
        reason_text="Broken",
        asked_fen=3_000,
        max_fen=10_000,
        agreed_fen=3_000,
        status="refunded",
        refund_recorded=True,
        closed_at=local(2026, 3, 9, 12, 0),
    )
    RefundCase.objects.filter(pk=case.pk).update(created_at=local(2026, 3, 8, 12, 0))
    address = Address.objects.create(
        name="Carol", phone="+15035550100", country="US", city="Portland", address="1 Main St"
    )
    parcel = Parcel.objects.create(
        reference="PC-TEST1",
        address=address,
        status="booked",
        country="US",
        service_id="svc",
        service_name="Air",
        quoted_freight_fen=4_000,
        freight_fen=4_200,
        declared_value_fen=10_000,
        customs_description="Teapot",
        tracking_no="TRK1",
        created_by=alice,
    )
    Parcel.objects.filter(pk=parcel.pk).update(created_at=local(2026, 3, 10, 8, 0))
    ParcelLine.objects.create(parcel=parcel, line=l1)
    return History(alice, bob, shop, po1, po2, l1, l2, l3, payment, case, parcel)


def paid_with_events(paid_at: datetime, *, shipped_days: float | None, warehouse_days=None):
    """A paid order with its shipment and warehouse events at these offsets from payment."""
    order = PurchaseOrderFactory(
        status="paid", paid_at=paid_at, actual_fen=10_000, quoted_total_fen=10_000
    )
    for to, days in (("shipped", shipped_days), ("at_warehouse", warehouse_days)):
        if days is not None:
            OrderEvent.objects.create(
                order=order,
                actor_label="system",
                from_status="paid",
                to_status=to,
                created_at=paid_at + timedelta(days=days),
            )
    return order


def read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def approver_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user("approver"))
    return client
