"""Purchase orders for tests that do not talk to the upstream (previewed, or waiting for an
approver), a signed-in client, and signed PandaPon callbacks posted to Caigou."""

from __future__ import annotations

import json
from datetime import timedelta

import factory
from django.test import Client
from django.utils import timezone

from purchasing.models import OrderPreview, PurchaseOrder, PurchaseOrderLine
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.common import DEFAULT_WAREHOUSE_ADDRESS
from purchasing.statuses import OrderStatus
from upstream.accounts import pandapon_account
from upstream.signing import now_ms, pandapon_headers

ADDRESS = dict(DEFAULT_WAREHOUSE_ADDRESS)


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrder

    platform = "taobao"
    provider = "pandapon"
    address = factory.LazyFunction(lambda: dict(ADDRESS))
    quoted_total_fen = 10_000


class PurchaseOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrderLine

    order = factory.SubFactory(PurchaseOrderFactory)
    item_id = factory.Sequence(lambda n: f"{600000 + n}")
    sku_id = factory.Sequence(lambda n: f"{900000 + n}")
    quantity = 1
    unit_price_fen = 10_000
    amount_fen = 10_000


def pandapon_post(client, message_type, body, *, platform=0, headers=None, timestamp=None):
    """POST a PandaPon callback envelope to Caigou, signed as the upstream signs it."""
    account = pandapon_account()
    signed = pandapon_headers(
        account.key,
        account.secret,
        account.user_id,
        fields=account.sign_fields,
        secret_key=account.sign_secret_key,
        timestamp=timestamp,
    )
    signed.update(headers or {})
    envelope = {
        "messageType": message_type,
        "messageBody": body,
        "messagePlatform": platform,
        "timestamp": now_ms(),
    }
    return client.post(
        "/callbacks/pandapon/",
        data=json.dumps(envelope),
        content_type="application/json",
        headers=signed,
    )


def taobao_status(order: PurchaseOrder, status: str, updated_ms: int) -> dict:
    """The body of a Taobao status callback for ORDER."""
    return {
        "purchaseOrderId": order.upstream_order_id,
        "sellerOrderNumber": order.reference,
        "status": status,
        "updatedAt": updated_ms,
        "subOrders": [],
    }


def refs(response) -> list[str]:
    """The references of the orders a list page shows, in order."""
    return [order.reference for order in response.context["rows"]]


def bulk(client, action: str, orders, **extra):
    """POST a bulk action on ORDERS from the order list."""
    data = {"action": action, "orders": [o.pk for o in orders], **extra}
    return client.post("/orders/bulk/", data)


def client_for(user) -> Client:
    """A test client signed in as USER."""
    client = Client()
    client.force_login(user)
    return client


def previewed(user, total_fen: int, **preview) -> PurchaseOrder:
    """A previewed order (no upstream): one line, one seller, a fresh preview of `total_fen`."""
    order = PurchaseOrderFactory(
        status=OrderStatus.PREVIEWED, created_by=user, quoted_total_fen=total_fen
    )
    PurchaseOrderLineFactory(order=order, unit_price_fen=total_fen, amount_fen=total_fen)
    OrderPreview.objects.create(
        order=order,
        total_fen=total_fen,
        goods_fen=total_fen,
        expires_at=timezone.now() + timedelta(minutes=30),
        **preview,
    )
    return order


def awaiting_approval(purchaser, total_fen: int = 600_000) -> PurchaseOrder:
    """A previewed order above PURCHASER's limit, confirmed and waiting for an approver."""
    order = previewed(purchaser, total_fen)
    order_confirm(order=order, actor=purchaser)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL
    return order
