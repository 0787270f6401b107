"""Sandbox order services: create, pay, cancel, move through the platform statuses, change the
price. Handlers, carts, after-sales and the control API all go through these functions.

Every status or price change emits a callback (`upstream.sandbox.callbacks.emit`) in the shape
the provider would push. The shapes (our contract where the docs are silent, upstream-api.md
1.7, 2.6, 3.5):

- PandaPon Taobao: messageType `TAOBAO_ORDER_STATUS_MODIFY`, body
  `{purchaseOrderId, orderNo, salesOrderId, sellerOrderNumber, status, closeReason, updatedAt,
  subOrders[{purchase_order_id, sub_purchase_order_id, purchase_order_outer_id,
  purchase_order_line_outer_id, item_id, sku_id, quantity, status, product_amount,
  logistic_company_name, logistic_number, close_reason}]}`; price changes
  `TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY` with the same body plus `purchaseOrderPriceDTO
  {purchaseCurrency, purchaseTotalFee, purchaseProductFee, purchaseShippingFee,
  purchaseDiscountFee}` (fen). `salesOrderId`/`sellerOrderNumber` and `purchase_order_outer_id`
  carry our outer reference.
- Dajisaas Taobao: message_type `"3"` (status) and `"8"` (price); the body is the message's
  `data`: `{business_time, outer_purchase_id, purchase_id, seller_id, status, updatedAt,
  sku_list[{item_id, sku_id, order_line_no, status, logistic_company_name, logistic_number}]}`
  and `{salesOrderId, salesSellerId, purchaseMarket, purchaseOrderId, updatedAt,
  purchaseOrderPriceDTO{...}, purchaseOrderLinePriceChangeMessageDTOList[...]}`.
- 1688 (both providers): the official topics (`ORDER_BUYER_VIEW_BUYER_MAKE`, `_ORDER_PAY`,
  `_ANNOUNCE_SENDGOODS`, `_ORDER_SUCCESS`, `_ORDER_BUYER_CLOSE`, `_ORDER_PRICE_MODIFY`) with body
  `{orderId, orderNo, outOrderId, currentStatus, orderStatus, payStatus (1 unpaid, 2 paid),
  totalAmount, shippingFee, productAmount, discountAmount (fen), closeReason, buyerMemberId,
  sellerMemberId, msgSendTime "yyyy-MM-dd HH:mm:ss", updatedAt}`.

`updatedAt` is a millisecond timestamp that strictly increases from one message to the next in
this process, so receivers can drop an older status that arrives after a newer one.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from upstream.sandbox import callbacks, pricing
from upstream.sandbox import statuses as st
from upstream.sandbox.ids import new_id
from upstream.sandbox.models.catalogue import Platform, Sku
from upstream.sandbox.models.orders import Order, OrderLine, Payment
from upstream.sandbox.router import SandboxCall, SandboxError, tick_step

SKU_LIMIT = 50  # SKUs per seller order (upstream-api.md 5.6)
CHINA = ZoneInfo("Asia/Shanghai")
# (code, name, tracking-number prefix); the carrier of a package is chosen from its order id.
CARRIERS = (
    ("YTO", "圆通速递", "YT"),
    ("ZTO", "中通快递", "78"),
    ("STO", "申通快递", "77"),
    ("YUNDA", "韵达快递", "43"),
    ("SF", "顺丰速运", "SF"),
)
CARRIER_CODES = {name: code for code, name, _prefix in CARRIERS}


# -- create ------------------------------------------------------------------------------------
def create_orders(
    *,
    call: SandboxCall,
    platform: str,
    items: list[pricing.Item],
    address: dict,
    flow: str = "",
    message: str = "",
    outer_ref: str = "",
    split_by_seller: bool = True,
    trade_type: str = "",
) -> list[Order]:
    """Create one order per seller (or one for all, `split_by_seller=False`) at current prices.

    Never deduplicates (upstream-api.md 6.4). Refuses before creating anything: 400 no items,
    1003 unavailable, 1001 out of stock, 400 under the minimum quantity, 1004 over 50 SKUs in a
    seller's order. Decrements stock, appends the order ids to `call.ledger_ids` and emits a
    status callback per order.
    """
    if not items:
        raise SandboxError(400, "no order lines")
    # Lock the SKUs so two creates cannot both take the last unit.
    sku_pks = [sku.pk for _p, sku, _q, _n in items if sku is not None]
    locked = {sku.pk: sku for sku in Sku.objects.select_for_update().filter(pk__in=sku_pks)}
    items = [(p, locked.get(s.pk, s) if s else None, q, n) for p, s, q, n in items]
    for _product, _sku, quantity, _line_no in items:
        if quantity < 1:
            raise SandboxError(400, "quantity must be at least 1")
    previews = pricing.preview(platform=platform, items=items)
    for seller in previews:
        for line in seller.unavailable_lines:
            raise SandboxError(line.code, f"{line.reason}: {_describe(line)}")
        skus = {(line.product.pk, line.sku.pk if line.sku else None) for line in seller.lines}
        if len(skus) > SKU_LIMIT:
            raise SandboxError(1004, f"more than {SKU_LIMIT} SKUs for seller {seller.shop.shop_id}")
    groups = [[seller] for seller in previews] if split_by_seller else [previews]
    orders = [
        _create_one(call, platform, group, address, flow, message, outer_ref, trade_type)
        for group in groups
    ]
    call.ledger_ids.extend(order.order_id for order in orders)
    return orders


def _describe(line: pricing.PreviewLine) -> str:
    sku = f" sku {line.sku.sku_id}" if line.sku else ""
    return f"item {line.product.item_id}{sku} x{line.quantity}"


def _create_one(call, platform, sellers, address, flow, message, outer_ref, trade_type) -> Order:
    order_id = new_id()
    order = Order.objects.create(
        provider=call.provider,
        platform=platform,
        user_id=call.user_id,
        order_id=order_id,
        order_no=new_id() if platform == Platform.TAOBAO else order_id,
        outer_ref=outer_ref,
        outer_ref_field=call.op.outer_ref_field,
        created_by=call.op.name,
        status=st.initial(platform),
        flow=flow,
        trade_type=trade_type,
        shop=sellers[0].shop if len(sellers) == 1 else None,
        address=address or {},
        message=message[:500],
        goods_fen=sum(seller.goods_fen for seller in sellers),
        freight_fen=sum(seller.freight_fen for seller in sellers),
        discount_fen=sum(seller.discount_fen for seller in sellers),
        total_fen=sum(seller.total_fen for seller in sellers),
    )
    for seller in sellers:
        for line in seller.lines:
            OrderLine.objects.create(
                order=order,
                sub_order_id=new_id(),
                order_line_no=line.line_no,
                product=line.product,
                sku=line.sku,
                quantity=line.quantity,
                unit_price_fen=line.unit_price_fen,
                amount_fen=line.amount_fen,
                status=order.status,
            )
            if line.sku is not None:
                Sku.objects.filter(pk=line.sku.pk).update(stock=F("stock") - line.quantity)
    if platform == Platform.TAOBAO:
        _move(order, st.Taobao.WAIT_PAY)  # BULIDING is over before the create answers
    else:
        emit_status(order)
    return order


# -- find ----------------------------------------------------------------------------------------
def find_order(
    ref: str, *, user_id: str = "", platform: str = "", provider: str = "", lock: bool = False
) -> Order:
    """The order whose id is `ref`, else the latest whose outer reference is `ref`; 404 if none."""
    orders = Order.objects.all()
    if lock:
        orders = orders.select_for_update()
    filters = {"user_id": user_id, "platform": platform, "provider": provider}
    orders = orders.filter(**{key: value for key, value in filters.items() if value})
    ref = str(ref or "").strip()
    order = orders.filter(order_id=ref).first() if ref else None
    if order is None and ref:
        order = orders.filter(outer_ref=ref).order_by("-created_at", "-pk").first()
    if order is None:
        raise SandboxError(404, f"order {ref} does not exist")
    return order


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


# -- pay, cancel, receive ----------------------------------------------------------------------
def pay(*, call: SandboxCall, order: Order) -> Payment:
    """Take the order's total. Records a Payment every time (no dedupe, upstream-api.md 6.4):
    a paid order that has not shipped is charged again. Refuses 1005 otherwise."""
    order = _locked(order)
    if not st.is_payable(order.platform, order.status):
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: it cannot be paid")
    payment = Payment.objects.create(
        order=order, pay_id=new_id(), amount_fen=order.total_fen, operation=call.op.name
    )
    if st.is_awaiting_payment(order.platform, order.status):
        _move(order, st.PAID[order.platform])
    call.ledger_ids.append(order.order_id)
    return payment


def cancel(order: Order, *, reason: str = "buyerCancel") -> Order:
    """Close an unpaid order and put its stock back; 1005 once it is paid or closed."""
    order = _locked(order)
    if not st.is_cancellable(order.platform, order.status):
        raise SandboxError(
            1005, f"order {order.order_id} is {order.status}: it cannot be cancelled"
        )
    order.close_reason = (reason or "buyerCancel")[:100]
    return _move(order, st.CLOSED[order.platform])


def close_lines(order: Order, sub_order_ids: Iterable[str], *, reason: str = "") -> Order:
    """Close some lines of an unpaid order (the rest stay); the order closes with its last line."""
    order = _locked(order)
    if not st.is_cancellable(order.platform, order.status):
        raise SandboxError(
            1005, f"order {order.order_id} is {order.status}: it cannot be cancelled"
        )
    wanted = set(sub_order_ids)
    closed = st.CLOSED[order.platform]
    lines = list(order.lines.filter(sub_order_id__in=wanted).exclude(status=closed))
    if len(lines) != len(wanted):
        raise SandboxError(404, "a sub-order does not exist or is already closed")
    for line in lines:
        _restock(line)
        line.status = closed
        line.save(update_fields=["status"])
        order.goods_fen -= line.amount_fen
    order.total_fen = max(0, order.goods_fen + order.freight_fen - order.discount_fen)
    order.save(update_fields=["goods_fen", "total_fen", "updated_at"])
    if not order.lines.exclude(status=closed).exists():
        order.close_reason = (reason or "buyerCancel")[:100]
        return _move(order, closed)
    emit_status(order)
    return order


def receive_goods(order: Order) -> Order:
    """Confirm receipt of a shipped 1688 order (-> success); 1005 in any other state."""
    order = _locked(order)
    if order.platform != Platform.ALIBABA or order.status != st.Alibaba.WAIT_RECEIVE:
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: nothing to receive")
    return _move(order, st.Alibaba.SUCCESS)


# -- status moves --------------------------------------------------------------------------------
def advance(order: Order, to: str) -> Order:
    """Jump to a platform status, filling in what the steps on the way would have set (paid,
    shipped with tracking numbers, arrived, completed); closing an unpaid order restocks it."""
    if to not in st.all_statuses(order.platform):
        raise SandboxError(400, f"{to} is not a {order.platform} order status")
    return _move(_locked(order), to)


def _move(order: Order, to: str) -> Order:
    now = timezone.now()
    closed = st.CLOSED[order.platform]
    if to == closed and not st.is_paid(order.platform, order.status) and order.status != closed:
        for line in order.lines.exclude(status=closed):
            _restock(line)
    if st.is_paid(order.platform, to) and order.paid_at is None:
        order.paid_at = now
    if st.is_shipped(order.platform, to) and order.shipped_at is None:
        order.shipped_at = now
        _ship(order)
    if to == st.COMPLETED.get(order.platform):
        order.arrived_at = order.arrived_at or now
        order.completed_at = order.completed_at or now
    if to == closed and not order.close_reason:
        order.close_reason = "closed"
    order.status = to
    order.save()
    order.lines.exclude(status=closed).update(status=to)
    emit_status(order)
    return order


def _restock(line: OrderLine) -> None:
    if line.sku_id is not None:
        Sku.objects.filter(pk=line.sku_id).update(stock=F("stock") + line.quantity)


def _ship(order: Order) -> None:
    """One parcel per seller: a carrier and a tracking number on each of its lines."""
    for line in order.lines.select_related("product").filter(tracking_no=""):
        seed = hashlib.sha256(f"{order.order_id}:{line.product.shop_id}".encode()).hexdigest()
        _code, name, prefix = CARRIERS[int(seed[:8], 16) % len(CARRIERS)]
        digits = str(int(seed[8:24], 16))[: 15 - len(prefix)].rjust(15 - len(prefix), "0")
        line.logistics_company, line.tracking_no = name, prefix + digits
        line.save(update_fields=["logistics_company", "tracking_no"])


def arrive(order: Order) -> Order:
    """The parcel reached the agent's warehouse (a timestamp, not a platform status)."""
    if order.shipped_at is None:
        raise SandboxError(1005, f"order {order.order_id} has not shipped")
    order.arrived_at = order.arrived_at or timezone.now()
    order.save(update_fields=["arrived_at", "updated_at"])
    return order


def change_price(order: Order, delta_fen: int) -> Order:
    """The seller changes an unpaid order's price: a cut is a discount, a rise goes on the
    freight. 1005 once paid; 400 if the total would drop below 1 fen."""
    order = _locked(order)
    if not st.is_awaiting_payment(order.platform, order.status):
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: price is fixed")
    if order.total_fen + delta_fen < 1:
        raise SandboxError(400, "the new total must be at least 1 fen")
    if delta_fen < 0:
        order.discount_fen += -delta_fen
    else:
        order.freight_fen += delta_fen
    order.total_fen = order.goods_fen + order.freight_fen - order.discount_fen
    order.price_modified = True
    order.save()
    emit_price(order)
    return order


def line_status(line: OrderLine) -> str:
    """A line's own status (a closed line of a live order keeps TRADE_CLOSED/cancel)."""
    return line.status or line.order.status


# -- tick ----------------------------------------------------------------------------------------
# Registered last step first, so one tick moves each order by one step only.
@tick_step
def complete_arrived_orders() -> int:
    """1688 orders that arrived at the warehouse are confirmed automatically."""
    moved = 0
    for order in Order.objects.filter(
        platform=Platform.ALIBABA, status=st.Alibaba.WAIT_RECEIVE, arrived_at__isnull=False
    ):
        with transaction.atomic():
            _move(_locked(order), st.Alibaba.SUCCESS)
        moved += 1
    return moved


@tick_step
def deliver_shipped_orders() -> int:
    """Shipped parcels arrive at the warehouse."""
    moved = 0
    shipped = [st.Taobao.WAIT_CONFIRM, st.Alibaba.WAIT_RECEIVE]
    for order in Order.objects.filter(status__in=shipped, arrived_at__isnull=True):
        with transaction.atomic():
            arrive(_locked(order))
        moved += 1
    return moved


@tick_step
def ship_paid_orders() -> int:
    """Sellers ship paid orders (tracking number and carrier on every line)."""
    moved = 0
    for order in Order.objects.filter(status__in=[st.Taobao.WAIT_SEND, st.Alibaba.WAIT_SEND]):
        with transaction.atomic():
            _move(_locked(order), st.SHIPPED[order.platform])
        moved += 1
    return moved


# -- logistics -----------------------------------------------------------------------------------
def trace_events(order: Order) -> list[dict]:
    """The parcel's trace, built from the order's timestamps: [{time, status, description,
    city}] oldest first, a second apart at least; empty before shipping. Stable once the parcel
    has arrived."""
    if order.shipped_at is None:
        return []
    shop = order.shop or order.lines.select_related("product__shop").first().product.shop
    origin = shop.city or shop.province or "杭州市"
    destination = order.address.get("cityText") or order.address.get("city") or "广州市"
    start, end = order.shipped_at, order.arrived_at
    events = [
        {"time": start, "status": "CONSIGN", "description": "卖家已发货，等待揽收", "city": origin},
        {"time": start, "status": "ACCEPT", "description": "快递员已揽收", "city": origin},
    ]
    if end is not None:
        gap = end - start
        events += [
            {
                "time": start + gap / 2,
                "status": "TRANSPORT",
                "description": f"快件已从{origin}发往{destination}",
                "city": origin,
            },
            {
                "time": start + gap * 9 / 10,
                "status": "DELIVERING",
                "description": "快件正在派送中",
                "city": destination,
            },
            {
                "time": end,
                "status": "SIGN",
                "description": "已签收，签收人：仓库",
                "city": destination,
            },
        ]
    # At least a second apart, so readers that sort by (second-resolution) time keep the order.
    for before, event in pairwise(events):
        event["time"] = max(event["time"], before["time"] + timedelta(seconds=1))
    return events


def china_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str | None:
    """A timestamp as the upstream writes it (China time)."""
    return value.astimezone(CHINA).strftime(fmt) if value else None


# -- callbacks -----------------------------------------------------------------------------------
_clock = threading.Lock()
_last_ms = 0


def _monotonic_ms() -> int:
    global _last_ms
    with _clock:
        _last_ms = max(int(time.time() * 1000), _last_ms + 1)
        return _last_ms


ALIBABA_TOPICS = {
    st.Alibaba.WAIT_PAY: "ORDER_BUYER_VIEW_BUYER_MAKE",
    st.Alibaba.WAIT_SEND: "ORDER_BUYER_VIEW_ORDER_PAY",
    st.Alibaba.WAIT_RECEIVE: "ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS",
    st.Alibaba.SUCCESS: "ORDER_BUYER_VIEW_ORDER_SUCCESS",
    st.Alibaba.CANCEL: "ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE",
}


def emit_status(order: Order) -> None:
    """Push the order's current status the way its provider would (see the module docstring)."""
    if order.platform == Platform.ALIBABA:
        kind, body = ALIBABA_TOPICS[order.status], _alibaba_body(order)
    elif order.provider == "dajisaas":
        kind, body = "3", _dj_taobao_status_body(order)
    else:
        kind, body = "TAOBAO_ORDER_STATUS_MODIFY", _taobao_body(order)
    callbacks.emit(provider=order.provider, message_type=kind, body=body, platform=order.platform)


def emit_price(order: Order) -> None:
    """Push a price change of an unpaid order."""
    if order.platform == Platform.ALIBABA:
        kind, body = "ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY", _alibaba_body(order)
    elif order.provider == "dajisaas":
        kind, body = "8", _dj_taobao_price_body(order)
    else:
        kind, body = "TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY", _taobao_body(order)
        body["purchaseOrderPriceDTO"] = _price_dto(order)
    callbacks.emit(provider=order.provider, message_type=kind, body=body, platform=order.platform)


def _price_dto(order: Order) -> dict:
    return {
        "purchaseCurrency": "CNY",
        "purchaseTotalFee": order.total_fen,
        "purchaseProductFee": order.goods_fen,
        "purchaseShippingFee": order.freight_fen,
        "purchaseDiscountFee": order.discount_fen,
    }


def _lines(order: Order) -> list[OrderLine]:
    return list(order.lines.select_related("product__shop", "sku").order_by("pk"))


def _taobao_body(order: Order) -> dict:
    return {
        "purchaseOrderId": order.order_id,
        "orderNo": order.order_no,
        "salesOrderId": order.outer_ref,
        "sellerOrderNumber": order.outer_ref,
        "status": order.status,
        "closeReason": order.close_reason or None,
        "updatedAt": _monotonic_ms(),
        "subOrders": [
            {
                "purchase_order_id": order.order_id,
                "sub_purchase_order_id": line.sub_order_id,
                "purchase_order_outer_id": order.outer_ref,
                "purchase_order_line_outer_id": line.order_line_no,
                "item_id": line.product.item_id,
                "sku_id": line.sku.sku_id if line.sku else "",
                "quantity": line.quantity,
                "status": line.status,
                "product_amount": line.amount_fen,
                "logistic_company_name": line.logistics_company,
                "logistic_number": line.tracking_no,
                "close_reason": order.close_reason if line.status == st.Taobao.CLOSED else "",
            }
            for line in _lines(order)
        ],
    }


def _dj_taobao_status_body(order: Order) -> dict:
    lines = _lines(order)
    return {
        "business_time": china_time(timezone.now()),
        "outer_purchase_id": order.outer_ref,
        "purchase_id": order.order_id,
        "seller_id": lines[0].product.shop.shop_id if lines else "",
        "status": order.status,
        "updatedAt": _monotonic_ms(),
        "sku_list": [
            {
                "item_id": line.product.item_id,
                "sku_id": line.sku.sku_id if line.sku else "",
                "order_line_no": line.order_line_no,
                "status": line.status,
                "logistic_company_name": line.logistics_company,
                "logistic_number": line.tracking_no,
            }
            for line in lines
        ],
    }


def _dj_taobao_price_body(order: Order) -> dict:
    lines = _lines(order)
    return {
        "salesOrderId": order.outer_ref,
        "salesSellerId": lines[0].product.shop.shop_id if lines else "",
        "purchaseMarket": "taobao",
        "purchaseOrderId": order.order_id,
        "updatedAt": _monotonic_ms(),
        "purchaseOrderPriceDTO": _price_dto(order),
        "purchaseOrderLinePriceChangeMessageDTOList": [
            {
                "purchaseOrderLineId": line.sub_order_id,
                "purchaseProductFee": line.amount_fen,
                "quantity": line.quantity,
            }
            for line in lines
        ],
    }


def _alibaba_body(order: Order) -> dict:
    return {
        "orderId": order.order_id,
        "orderNo": order.order_no,
        "outOrderId": order.outer_ref,
        "currentStatus": order.status,
        "orderStatus": order.status,
        "payStatus": 2 if order.paid_at else 1,
        "totalAmount": order.total_fen,
        "shippingFee": order.freight_fen,
        "productAmount": order.goods_fen,
        "discountAmount": order.discount_fen,
        "closeReason": order.close_reason or None,
        "buyerMemberId": order.user_id,
        "sellerMemberId": order.shop.shop_id if order.shop else "",
        "msgSendTime": china_time(timezone.now()),
        "updatedAt": _monotonic_ms(),
    }


def seller_freight(order: Order) -> dict[int, int]:
    """Freight per seller (shop pk) of an order's lines, by the preview's rule."""
    by_shop: dict[int, list[pricing.PreviewLine]] = {}
    for line in _lines(order):
        preview_line = pricing.PreviewLine(
            product=line.product,
            sku=line.sku,
            quantity=line.quantity,
            unit_price_fen=line.unit_price_fen,
            amount_fen=line.amount_fen,
            available=line.status != st.CLOSED[order.platform],
        )
        by_shop.setdefault(line.product.shop_id, []).append(preview_line)
    return {shop: pricing.freight_fen(order.platform, lines) for shop, lines in by_shop.items()}
