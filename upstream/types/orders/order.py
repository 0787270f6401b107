"""Upstream orders and their lines, order pages and 1688 create results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from upstream.types.base import Record, fen, id_str, yuan_to_fen
from upstream.types.orders.common import ALIBABA, TAOBAO, _int, _str, parse_time
from upstream.types.orders.paid import Payment, payment_of
from upstream.wire import loads_maybe


@dataclass(kw_only=True)
class OrderLine(Record):
    """A Taobao sub-order or a 1688 order entry."""

    sub_order_id: str
    item_id: str = ""  # itemId when the answer names it, else itemMapId
    item_map_id: str = ""  # v2 Taobao: the opaque item id the line was ordered by (seed 001)
    sku_id: str = ""
    spec_id: str = ""
    title: str = ""
    quantity: int = 0
    unit_price_fen: int = 0
    amount_fen: int = 0
    domestic_post_fee_fen: int = 0
    currency: str = "CNY"
    status: str = ""
    close_reason: str = ""
    line_no: str = ""
    logistics_company: str = ""
    tracking_no: str = ""
    purchase_id: str = ""  # Taobao Global purchase order id (taobaoPurchaseId)
    sub_purchase_id: str = ""  # Taobao Global sub purchase order id
    refund_status: str = ""
    error_code: str = ""
    error_message: str = ""
    result: dict[str, Any] = field(default_factory=dict)  # `subOrderResult`, decoded

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> OrderLine:
        quantity = _int(data.get("quantity"))
        amount = fen(data.get("purchaseAmount"))
        unit = fen(data.get("unitPrice"), default=amount // quantity if quantity else 0)
        result = loads_maybe(data.get("subOrderResult"))
        result = result if isinstance(result, dict) else {}
        map_id = id_str(data.get("itemMapId") or result.get("itemMapId"))
        return cls(
            raw=data,
            sub_order_id=id_str(data.get("subOrderId")),
            item_id=id_str(data.get("itemId")) or map_id,
            item_map_id=map_id,
            sku_id=id_str(data.get("skuId")),
            title=data.get("title") or "",
            quantity=quantity,
            unit_price_fen=unit,
            amount_fen=amount,
            domestic_post_fee_fen=fen(data.get("domesticPostFee")),
            currency=data.get("purchaseCurrency") or "CNY",
            status=_str(data.get("status")),
            close_reason=_str(data.get("closeReason")),
            line_no=_str(data.get("orderLineNo")),
            logistics_company=_str(data.get("logisticsCompany")),
            tracking_no=_str(data.get("mailNo")),
            purchase_id=id_str(data.get("taobaoPurchaseId")),
            sub_purchase_id=id_str(data.get("taobaoSubPurchaseId")),
            refund_status=_str(data.get("refundStatus")),
            error_code=_str(data.get("errorCode")),
            error_message=_str(data.get("errorMessage")),
            result=result,
        )

    @classmethod
    def from_trade_item(cls, data: dict[str, Any], logistics: dict[str, dict]) -> OrderLine:
        """A 1688 TradeInfo `productItems[]` entry (prices in yuan)."""
        sub_id = id_str(data.get("subItemIDString") or data.get("subItemID"))
        parcel = logistics.get(sub_id, {})
        return cls(
            raw=data,
            sub_order_id=sub_id,
            item_id=id_str(data.get("productID")),
            sku_id=id_str(data.get("skuID")),
            spec_id=_str(data.get("specId")),
            title=data.get("name") or "",
            quantity=_int(data.get("quantity")),
            unit_price_fen=yuan_to_fen(data.get("price")),
            amount_fen=yuan_to_fen(data.get("itemAmount")),
            status=_str(data.get("status")),
            logistics_company=_str(parcel.get("logisticsCompanyName")),
            tracking_no=_str(parcel.get("logisticsBillNo")),
            refund_status=_str(data.get("refundStatus")),
        )


SubOrder = OrderLine


@dataclass(kw_only=True)
class Order(Record):
    """An upstream order of either platform, in fen."""

    order_id: str
    platform: str
    order_no: str = ""
    status: str = ""
    outer_ref: str = ""
    seller_id: str = ""
    total_fen: int = 0  # what must be (or was) paid
    goods_fen: int = 0
    freight_fen: int = 0
    discount_fen: int = 0
    payment: Payment = Payment.UNKNOWN  # from the documented status (upstream.types.orders.paid)
    close_reason: str = ""
    warehouse_name: str = ""
    warehouse_address: str = ""
    created_at: datetime | None = None
    paid_at: datetime | None = None
    lines: list[OrderLine] = field(default_factory=list)

    @property
    def sub_orders(self) -> list[OrderLine]:
        return self.lines

    @property
    def paid(self) -> bool:
        """The upstream has the money: never pay this order again."""
        return self.payment is Payment.PAID

    @property
    def unpaid(self) -> bool:
        """The upstream waits for the money. Neither paid nor unpaid: nobody may pay it."""
        return self.payment is Payment.UNPAID

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> Order:
        """A Taobao order: the `/open/order` create answer `{id, orderNo, createTime,
        subOrderVOS}` or the detail/page shape, which adds totals and status (our contract)."""
        lines = [OrderLine.from_taobao(sub) for sub in data.get("subOrderVOS") or []]
        goods = fen(data.get("productAmount"), default=sum(line.amount_fen for line in lines))
        freight = fen(
            data.get("domesticPostFee"), default=sum(x.domestic_post_fee_fen for x in lines)
        )
        discount = fen(data.get("discountAmount"))
        statuses = {line.status for line in lines if line.status}
        status = data.get("status") or (next(iter(statuses)) if len(statuses) == 1 else "")
        # The order's own status when it has one, else its lines' (the create answers).
        said = [_str(data["status"])] if data.get("status") else sorted(statuses)
        return cls(
            raw=data,
            order_id=id_str(data.get("id")),
            platform=TAOBAO,
            order_no=id_str(data.get("orderNo")),
            status=_str(status),
            outer_ref=_str(data.get("sellerOrderNumber")),
            total_fen=fen(data.get("purchaseAmount"), default=goods + freight - discount),
            goods_fen=goods,
            freight_fen=freight,
            discount_fen=discount,
            payment=payment_of(
                TAOBAO, *said, pay_status=data.get("payStatus"), pay_time=data.get("payTime")
            ),
            close_reason=_str(data.get("closeReason")),
            warehouse_name=_str(data.get("warehouseName")),
            warehouse_address=_str(data.get("warehouseAddress")),
            created_at=parse_time(data.get("createTime")),
            paid_at=parse_time(data.get("payTime")),
            lines=lines,
        )

    @classmethod
    def from_trade_info(cls, data: dict[str, Any]) -> Order:
        """The official 1688 TradeInfo (`/alibaba/order/detail`, Dajisaas `get/buyerView`)."""
        base = data.get("baseInfo") or {}
        native = data.get("nativeLogistics") or {}
        parcels: dict[str, dict] = {}
        for parcel in native.get("logisticsItems") or []:
            for sub_id in _str(parcel.get("subItemIds")).split(","):
                parcels[sub_id.strip()] = parcel
        lines = [
            OrderLine.from_trade_item(item, parcels) for item in data.get("productItems") or []
        ]
        terms = data.get("tradeTerms") or []
        return cls(
            raw=data,
            order_id=id_str(base.get("idOfStr") or base.get("id")),
            platform=ALIBABA,
            order_no=id_str(base.get("idOfStr") or base.get("id")),
            status=_str(base.get("status")),
            outer_ref=_str(base.get("outOrderId")),
            seller_id=_str(base.get("sellerID")),
            total_fen=yuan_to_fen(base.get("totalAmount")),
            goods_fen=yuan_to_fen(base.get("sumProductPayment")),
            freight_fen=yuan_to_fen(base.get("shippingFee")),
            discount_fen=abs(fen(base.get("discount"))),  # TradeInfo says fen, negative = cut
            payment=payment_of(
                ALIBABA,
                _str(base.get("status")),
                pay_status="2" if any(_str(t.get("payStatus")) == "2" for t in terms) else None,
                pay_time=base.get("payTime"),
            ),
            close_reason=_str(base.get("closeReason")),
            created_at=parse_time(base.get("createTime")),
            paid_at=parse_time(base.get("payTime")),
            lines=lines,
        )


@dataclass(kw_only=True)
class OrderPage(Record):
    """One page of an order list."""

    total: int = 0
    page_no: int = 1
    page_size: int = 0
    orders: list[Order] = field(default_factory=list)

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> OrderPage:
        return cls._v2(data, Order.from_taobao)

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> OrderPage:
        """PandaPon v2 page of TradeInfo entries."""
        return cls._v2(data, Order.from_trade_info)

    @classmethod
    def from_dajisaas(cls, data: dict[str, Any], *, page_no: int, page_size: int) -> OrderPage:
        """Official `getBuyerOrderList`: `{result: [TradeInfo], totalRecord}`."""
        return cls(
            raw=data,
            total=_int(data.get("totalRecord")),
            page_no=page_no,
            page_size=page_size,
            orders=[Order.from_trade_info(item) for item in data.get("result") or []],
        )

    @classmethod
    def _v2(cls, data: dict[str, Any], parse) -> OrderPage:
        data = data or {}
        return cls(
            raw=data,
            total=_int(data.get("totalRecords")),
            page_no=_int(data.get("currentPage"), 1),
            page_size=_int(data.get("pageSize")),
            orders=[parse(item) for item in data.get("data") or []],
        )


@dataclass(kw_only=True)
class OrderCreated(Record):
    """What a 1688 create answered: the order ids (several when split by seller) and sums."""

    order_ids: list[str] = field(default_factory=list)
    outer_ref: str = ""
    success: bool = True
    total_fen: int = 0  # totalSuccessAmount
    freight_fen: int = 0  # postFee
    failed_offers: list[Any] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)  # orderList entries as sent

    @property
    def order_id(self) -> str:
        return self.order_ids[0] if self.order_ids else ""

    @classmethod
    def from_alibaba(cls, data: dict[str, Any] | None, *, outer_ref: str = "") -> OrderCreated:
        data = data or {}
        ids = [id_str(data["orderId"])] if data.get("orderId") else []
        for entry in data.get("orderList") or []:
            entry_id = id_str(entry.get("orderId"))
            if entry_id and entry_id not in ids:
                ids.append(entry_id)
        return cls(
            raw=data,
            order_ids=ids,
            outer_ref=_str(data.get("outOrderId")) or outer_ref,
            success=data.get("success") is not False,
            total_fen=fen(data.get("totalSuccessAmount")),
            freight_fen=fen(data.get("postFee")),
            failed_offers=list(data.get("failedOfferList") or []),
            orders=list(data.get("orderList") or []),
        )
