"""Every callback body the sandbox can send reads into upstream.types.callbacks without error, and
a hostile amount, time, id or shape is refused (Unreadable) rather than rounded or clamped."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction

from upstream.operations import operation
from upstream.sandbox import statuses as st
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Callback, Order, Product, Refund, RefundLine
from upstream.sandbox.orders import create_orders
from upstream.sandbox.orders.notify import emit_price, emit_status
from upstream.sandbox.router import SandboxCall
from upstream.types.aftersales import RefundStatus
from upstream.types.base import Unreadable
from upstream.types.callbacks import (
    READERS,
    PriceMessage,
    RefundMessage,
    StatusMessage,
    read_refund_message,
)

RECEIVER = {"name": "集货仓", "mobile_phone": "15068763421", "state": "广东省", "city": "广州市"}
ADDRESS_1688 = {"fullName": "集货仓", "mobile": "15068763421", "provinceText": "广东省"}
# (provider, platform, the create operation, the user it runs as)
ROUTES = [
    ("pandapon", "taobao", "taobao_order_create", "2100007341207"),
    ("pandapon", "1688", "alibaba_order_create", "2100007341207"),
    ("dajisaas", "taobao", "dj_taobao_order_cancel", None),  # no Taobao create: any operation
    ("dajisaas", "1688", "dj_create_cross_order", None),
]
STATUSES = {
    "taobao": [
        st.Taobao.BUILDING,
        st.Taobao.WAIT_PAY,
        st.Taobao.WAIT_SEND,
        st.Taobao.WAIT_CONFIRM,
        st.Taobao.CLOSED,
    ],
    "1688": [
        st.Alibaba.WAIT_PAY,
        st.Alibaba.WAIT_SEND,
        st.Alibaba.WAIT_RECEIVE,
        st.Alibaba.SUCCESS,
        st.Alibaba.CANCEL,
    ],
}
# A refund through every move the sandbox makes, each one a callback.
REFUND_MOVES = [
    RefundStatus.WAIT_BUYER_SEND,
    RefundStatus.WAIT_SELLER_RECEIVE,
    RefundStatus.SUCCESS,
]


def sandbox_order(provider: str, platform: str, op: str, user_id: str | None) -> Order:
    product = Product.objects.filter(platform=platform, available=True).order_by("pk").first()
    sku = product.skus.filter(available=True).order_by("pk").first()
    call = SandboxCall(
        operation(op), {}, {}, "test", user_id or settings.DAJISAAS_APP_KEY, request=None
    )
    address = RECEIVER if platform == "taobao" else ADDRESS_1688
    with transaction.atomic():
        [order] = create_orders(
            call=call,
            platform=platform,
            items=[(product, sku, max(1, product.min_order_quantity), "")],
            address=address,
            outer_ref=f"CG-{provider}-{platform}",
            split_by_seller=False,
        )
    return order


def refund_through_every_move(order: Order) -> Refund:
    refund = Refund.objects.create(
        refund_id=f"TQ{order.order_id}",
        provider=order.provider,
        platform=order.platform,
        user_id=order.user_id,
        order=order,
        outer_ref=f"RF-{order.order_id}",
        created_by="test",
        refund_type=2,
        goods_status="1",
        reason_id="1",
        apply_fen=100,
    )
    RefundLine.objects.create(refund=refund, line=order.lines.first(), count=1)
    refund.emit(action="BUYER_APPLY_REFUND", operator="buyer")
    for status in REFUND_MOVES:
        refund.move(status, action="SELLER_AGREE", operator="seller")
    return refund


@pytest.fixture
def every_callback(db) -> list[Callback]:
    """Every kind of callback the sandbox sends, through its own builders: each status and a
    price change of an order on every route, and every move of a refund where it has refunds."""
    seed_catalogue(products=40)
    for provider, platform, op, user_id in ROUTES:
        order = sandbox_order(provider, platform, op, user_id)
        for status in STATUSES[platform]:
            order.status = status
            emit_status(order)
        emit_price(order)
        if (provider, platform) != ("dajisaas", "taobao"):  # Dajisaas has no Taobao refunds
            refund_through_every_move(order)
    return list(Callback.objects.order_by("pk"))


def test_every_message_the_sandbox_sends_reads_into_its_type(every_callback):
    kinds = set()
    for callback in every_callback:
        reader = READERS[callback.provider].get(callback.message_type)
        assert reader is not None, f"no reader for {callback.provider} {callback.message_type}"
        message = reader(callback.body)
        kinds.add((callback.provider, callback.platform, type(message).__name__))
        order = Order.objects.get(order_id=message.upstream_order_id)
        assert message.raw is callback.body
        if isinstance(message, RefundMessage):
            refund = order.refunds.get()
            assert (message.refund_id, message.outer_refund_id) == (
                refund.refund_id,
                refund.outer_ref,
            )
            assert message.refund_status and message.sub_order_ids
            same = read_refund_message(callback.body, platform=callback.platform)
            assert same == message
        else:
            assert message.reference == order.outer_ref and message.updated_ms > 0
        if isinstance(message, PriceMessage):
            assert message.total_fen == order.total_fen
        if isinstance(message, StatusMessage) and callback.platform == "taobao":
            [line] = message.lines
            assert line.item_id and line.status
    assert kinds == {
        (provider, platform, kind)
        for provider, platform, _op, _user in ROUTES
        for kind in ("StatusMessage", "PriceMessage", "RefundMessage")
        if kind != "RefundMessage" or (provider, platform) != ("dajisaas", "taobao")
    }


# upstream-api.md 1.7 (the Xportcn platform types) and 3.5 (order topics): no seed page shows a
# callback, so these documented bodies are the examples.
DOCUMENTED = [
    (
        "ORDER_CREATE",
        {
            "orderId": "3620384919552870188",
            "orderNo": "3620384919552870188",
            "orderStatus": "waitbuyerpay",
            "payStatus": 1,
            "totalAmount": 3990,
            "shippingFee": 600,
            "productAmount": 3390,
            "refundAmount": 0,
            "refundStatus": "",
            "closeReason": None,
            "tbCreateTime": "2024-05-01 10:00:00",
            "payTime": None,
        },
    ),
    (
        "ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS",
        {
            "orderId": "3620384919552870188",
            "currentStatus": "waitbuyerreceive",
            "msgSendTime": "2024-05-01 10:00:00",
            "buyerMemberId": "b2b-1",
            "sellerMemberId": "b2b-2",
        },
    ),
]


@pytest.mark.parametrize(("message_type", "body"), DOCUMENTED)
def test_the_documented_1688_bodies_read(message_type, body):
    message = READERS["pandapon"][message_type](body)

    assert isinstance(message, StatusMessage)
    assert message.upstream_order_id == "3620384919552870188" and message.status


# -- hostile content ---------------------------------------------------------------------------
PRICE_READERS = [
    ("pandapon", "TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY", "purchaseTotalFee"),
    ("dajisaas", "8", "purchaseTotalFee"),
    ("pandapon", "ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY", "totalAmount"),
]


def price_body(field: str, amount) -> dict:
    if field == "totalAmount":
        return {"orderId": "1", "totalAmount": amount}
    return {"purchaseOrderId": "1", "purchaseOrderPriceDTO": {"purchaseTotalFee": amount}}


@pytest.mark.parametrize(("provider", "message_type", "field"), PRICE_READERS)
@pytest.mark.parametrize(
    ("amount", "why"),
    [
        (-1, "is negative"),
        ("-1", "is not a non-negative whole number"),
        ("12.5", "is not a non-negative whole number"),
        (12.5, "is not a whole number"),
        (True, "is not a whole number"),
        (2**70, "is out of range"),
        (str(2**70), "is not a non-negative whole number"),
        (2**63, "is out of range"),
    ],
)
def test_a_hostile_amount_is_refused(provider, message_type, field, amount, why):
    with pytest.raises(Unreadable, match=f"{field} {why}"):
        READERS[provider][message_type](price_body(field, amount))


@pytest.mark.parametrize(("provider", "message_type", "field"), PRICE_READERS)
def test_the_largest_stored_amount_is_read(provider, message_type, field):
    message = READERS[provider][message_type](price_body(field, str(2**63 - 1)))

    assert message.total_fen == 2**63 - 1


@pytest.mark.parametrize(
    ("provider", "message_type", "body", "why"),
    [
        ("pandapon", "TAOBAO_ORDER_STATUS_MODIFY", {"updatedAt": 2**64}, "updatedAt"),
        ("pandapon", "TAOBAO_ORDER_STATUS_MODIFY", {"purchaseOrderId": 1.0}, "float"),
        ("pandapon", "TAOBAO_ORDER_STATUS_MODIFY", {"subOrders": {"a": 1}}, "subOrders"),
        ("pandapon", "TAOBAO_ORDER_STATUS_MODIFY", {"subOrders": ["x"]}, "subOrders"),
        ("dajisaas", "3", {"sku_list": "x"}, "sku_list"),
        ("dajisaas", "8", {"purchaseOrderPriceDTO": [1]}, "purchaseOrderPriceDTO"),
        (
            "pandapon",
            "TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY",
            {"purchaseOrderPriceDTO": "3990"},
            "purchaseOrderPriceDTO",
        ),
        ("pandapon", "TAOBAO_ORDER_REFUND", {"orderId": 1.5}, "float"),
        ("pandapon", "ORDER_BUYER_VIEW_ORDER_BUYER_REFUND", {"orderEntryIds": [2.0]}, "float"),
    ],
)
def test_a_hostile_field_or_shape_is_refused(provider, message_type, body, why):
    with pytest.raises(Unreadable, match=why):
        READERS[provider][message_type](body)


@pytest.mark.parametrize(
    ("provider", "message_type"),
    [(provider, message_type) for provider, table in READERS.items() for message_type in table],
)
def test_a_body_missing_its_fields_names_no_order_and_no_change(provider, message_type):
    """Missing ids leave nothing to find (the message is stored as naming no order); missing
    amounts and times are None, never zero: nothing is read that was not sent."""
    message = READERS[provider][message_type]({})

    assert (message.reference, message.upstream_order_id, message.updated_ms) == ("", "", None)
    assert getattr(message, "total_fen", None) is None
    assert getattr(message, "status", "") == "" and getattr(message, "refund_id", "") == ""
