"""Purchase orders for tests that do not talk to the upstream (previewed, or waiting for an
approver), a signed-in client, and signed PandaPon callbacks posted to Caigou."""

from __future__ import annotations

import json
from datetime import timedelta

import factory
from django.test import Client
from django.utils import timezone

from purchasing.models import OrderPreview, PurchaseOrder, PurchaseOrderLine, UpstreamMessage
from purchasing.services.orders.adoption import order_adopt_candidate
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.common import DEFAULT_WAREHOUSE_ADDRESS, taobao_receiver
from purchasing.services.orders.submit import order_submit_upstream
from purchasing.statuses import OrderStatus
from upstream import accounts
from upstream.accounts import pandapon_account
from upstream.sandbox import profile
from upstream.sandbox.models import LedgerEntry
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models.orders import FOREIGN_PREFIX
from upstream.signing import now_ms, pandapon_headers
from upstream.types.orders import TaobaoLine

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


class UpstreamMessageFactory(factory.django.DjangoModelFactory):
    """A callback stored and applied, as the order page lists them."""

    class Meta:
        model = UpstreamMessage

    provider = "pandapon"
    dedupe_key = factory.Sequence(lambda n: f"message-{n}")
    message_type = "TAOBAO_ORDER_STATUS_MODIFY"
    raw = "{}"
    outcome = UpstreamMessage.Outcome.APPLIED


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


# -- the documented upstream: no echo, and look-alikes on the account ----------------------------
def documented() -> bool:
    """The sandbox plays the upstream as its pages document it (SANDBOX_PROFILE=documented)."""
    return profile.documented()


def landed(order: PurchaseOrder) -> list[str]:
    """The upstream orders our creates made for ORDER (the sandbox's books keep our reference
    even where no answer carries it)."""
    made = SandboxOrder.objects.filter(outer_ref=order.reference).order_by("pk")
    return list(made.values_list("order_id", flat=True))


def look_alikes(order: PurchaseOrder) -> set[str]:
    """The orders the documented sandbox had someone else place with any of ORDER's goods."""
    skus = SandboxOrder.objects.filter(outer_ref=order.reference).values("lines__sku")
    theirs = SandboxOrder.objects.filter(created_by__startswith=FOREIGN_PREFIX, lines__sku__in=skus)
    return set(theirs.values_list("order_id", flat=True))


def foreign_order(chosen, *, quantity: int | None = None, age: timedelta | None = None) -> str:
    """An order someone else placed on the same account, with no reference of ours."""
    made = accounts.pandapon().taobao_orders.create(
        lines=[
            TaobaoLine(
                item_id=chosen.product.item_id,
                sku_id=chosen.sku.sku_id,
                quantity=quantity or chosen.quantity,
                price_fen=chosen.sku.price_fen,
                line_no="1",
            )
        ],
        receiver=taobao_receiver(ADDRESS),
        outer_ref="SOMEONE-ELSE",  # the sandbox asks for one; the order keeps none
    )
    placed = SandboxOrder.objects.filter(order_id=made.order_id)
    placed.update(outer_ref="")
    if age is not None:
        placed.update(created_at=timezone.now() - age)
    return made.order_id


def looked_up_after_its_lease(order: PurchaseOrder) -> PurchaseOrder:
    """ORDER after a lost create answer that carried no reference of ours back: while the
    create may still land it waits, nothing matched and no person asked (the list may not yet
    hold ours); once its lease has run out, the look-up decides. Returns the order as it is
    then."""
    order.refresh_from_db()
    leased = order.create_lease_until and order.create_lease_until > timezone.now()
    if order.status == OrderStatus.SUBMITTING and order.create_in_doubt and leased:
        assert not order.upstream_ids and not order.needs_attention, order.attention_reason
        assert (order.adoption or {}).get("state") != "ask"
        leases_run_out(order)
        order_submit_upstream(order_id=order.pk)
        order.refresh_from_db()
    return order


def stopped_for_a_person(order: PurchaseOrder, *, also: frozenset[str] = frozenset()) -> str:
    """Assert what the documented upstream leaves after a lost create answer, with look-alikes
    placed a minute before ours: nothing adopted, nothing created twice, and, once the create
    could no longer land, the order stopped with our order, the look-alikes (and `also`, other
    orders of the same goods) listed for a person. Returns our upstream order's id."""
    order = looked_up_after_its_lease(order)
    [ours] = landed(order)
    assert order.status == OrderStatus.SUBMITTING and not order.upstream_ids
    assert order.needs_attention and order.adoption["state"] == "ask"
    listed = {candidate["order_id"] for candidate in order.adoption["candidates"]}
    assert look_alikes(order) and listed == {ours} | look_alikes(order) | also
    assert all(upstream_id in order.attention_reason for upstream_id in listed)
    creates = LedgerEntry.objects.filter(kind="create", outer_ref=order.reference)
    assert creates.count() == 1
    return ours


def settled(order: PurchaseOrder, actor) -> PurchaseOrder:
    """ORDER after a lost create answer, once it is known to be ours. Under the documented
    profile that takes a person: the order stopped with the candidates listed (as
    `stopped_for_a_person` asserts), and ACTOR chose ours, as on the order page."""
    if documented():
        ours = stopped_for_a_person(order)
        order_adopt_candidate(order=order, upstream_order_id=ours, actor=actor)
    order.refresh_from_db()
    return order


def leases_run_out(order: PurchaseOrder) -> None:
    """Time passes past the order's create and pay leases: a call whose outcome was unknown can
    no longer land, so the next run may create or pay again if the upstream has nothing."""
    past = timezone.now() - timedelta(seconds=1)
    PurchaseOrder.objects.filter(pk=order.pk, create_lease_until__isnull=False).update(
        create_lease_until=past
    )
    order.payments.filter(lease_until__isnull=False).update(lease_until=past)
