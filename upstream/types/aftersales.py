"""Typed after-sales results: refunds and returns of both platforms, messages, vouchers.

Taobao's reverse-order enumerations are not documented (upstream-api.md 1.5.4 says NOT FOUND),
so the integers below are our contract (section 6). The client and the sandbox both read them
from here: correcting one against the real API is a change in this file only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from upstream.types.base import Record, fen, id_str

# -- Taobao refundType / goodsStatus (our contract) ------------------------------------------
REFUND_ONLY = 1  # 仅退款: money back, the goods stay with the buyer (or never left the seller)
RETURN_AND_REFUND = 2  # 退货退款: the buyer ships the goods back, then gets the money
GOODS_NOT_RECEIVED = 1  # 未收到货 (also: not shipped yet)
GOODS_RECEIVED = 2  # 已收到货

# -- 1688 disputeRequest and goodsStatus (official alibaba.trade.createRefund values) ------
DISPUTE_REQUEST = {REFUND_ONLY: "refund", RETURN_AND_REFUND: "returnRefund"}
REFUND_TYPE_OF_DISPUTE = {value: key for key, value in DISPUTE_REQUEST.items()}
ALIBABA_GOODS_NOT_SHIPPED = "refundWaitSellerSend"  # 售中等待卖家发货
ALIBABA_GOODS_IN_TRANSIT = "refundWaitBuyerReceive"  # 售中等待买家收货
ALIBABA_GOODS_RECEIVED_IN_SALE = "refundBuyerReceived"  # 售中已收货（未确认完成交易）
ALIBABA_GOODS_NOT_RECEIVED_AFTER_SALE = "aftersaleBuyerNotReceived"  # 售后未收货
ALIBABA_GOODS_RECEIVED_AFTER_SALE = "aftersaleBuyerReceived"  # 售后已收到货
ALIBABA_GOODS_RECEIVED = frozenset(
    {ALIBABA_GOODS_RECEIVED_IN_SALE, ALIBABA_GOODS_RECEIVED_AFTER_SALE}
)


class RefundStatus(StrEnum):
    """A refund's state, in the official 1688 vocabulary; Taobao's integers map onto it."""

    WAIT_SELLER_AGREE = "waitselleragree"  # the buyer applied; the seller must answer
    WAIT_BUYER_MODIFY = "waitbuyermodify"  # the seller refused; the buyer may modify or cancel
    WAIT_BUYER_SEND = "waitbuyersend"  # the seller agreed a return; the buyer ships goods back
    WAIT_SELLER_RECEIVE = "waitsellerreceive"  # the goods travel back to the seller
    SUCCESS = "refundsuccess"  # the agreed amount was refunded (final)
    CLOSED = "refundclose"  # cancelled by the buyer or closed (final)


# Taobao refundStatus integers (our contract; the docs do not give them).
TAOBAO_REFUND_STATUS: dict[int, RefundStatus] = {
    1: RefundStatus.WAIT_SELLER_AGREE,
    2: RefundStatus.WAIT_BUYER_MODIFY,
    3: RefundStatus.WAIT_BUYER_SEND,
    4: RefundStatus.WAIT_SELLER_RECEIVE,
    5: RefundStatus.SUCCESS,
    6: RefundStatus.CLOSED,
}
TAOBAO_REFUND_STATUS_CODE: dict[RefundStatus, int] = {v: k for k, v in TAOBAO_REFUND_STATUS.items()}
FINAL_REFUND_STATUSES = frozenset({RefundStatus.SUCCESS, RefundStatus.CLOSED})


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _strs(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def taobao_status(value: Any) -> str:
    """Taobao's refundStatus integer as a RefundStatus value (unknown values pass through)."""
    code = _int(value, default=-1)
    status = TAOBAO_REFUND_STATUS.get(code)
    return status.value if status else str(value or "")


@dataclass(kw_only=True)
class RefundReason(Record):
    reason_id: str
    description: str
    tips: str = ""
    need_voucher: bool = False  # 1688: the application must carry vouchers
    no_refund_carriage: bool = False  # 1688: freight cannot be refunded for this reason

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> RefundReason:
        return cls(
            reason_id=id_str(data.get("reasonId")),
            description=str(data.get("reasonDesc") or ""),
            tips=str(data.get("tips") or ""),
            raw=data,
        )

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> RefundReason:
        return cls(
            reason_id=id_str(data.get("id")),
            description=str(data.get("name") or ""),
            tips=str(data.get("tip") or ""),
            need_voucher=bool(data.get("needVoucher")),
            no_refund_carriage=bool(data.get("noRefundCarriage")),
            raw=data,
        )


@dataclass(kw_only=True)
class Refund(Record):
    """A refund or return of either platform. Amounts are fen; `status` is a RefundStatus value."""

    refund_id: str
    platform: str  # "taobao" or "1688"
    status: str
    order_id: str = ""
    sub_order_ids: list[str] = field(default_factory=list)
    outer_ref: str = ""
    refund_type: int = REFUND_ONLY  # REFUND_ONLY or RETURN_AND_REFUND
    goods_status: str = ""  # Taobao "1"/"2"; 1688 e.g. "refundWaitSellerSend"
    reason_id: str = ""
    reason: str = ""
    description: str = ""
    apply_fen: int = 0
    apply_carriage_fen: int = 0
    agreed_fen: int | None = None  # what the seller agreed to refund, once known
    seller_refuse_reason: str = ""
    return_address: dict[str, Any] = field(default_factory=dict)
    return_company_code: str = ""
    return_company_name: str = ""
    return_mail_no: str = ""
    vouchers: list[str] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_REFUND_STATUSES

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> Refund:
        """A `TaoBaoRefundOrderDetailDTO` (query and list answers)."""
        aggregate = data.get("refundOrderAggregate") or {}
        order = aggregate.get("refundOrder") or {}
        line = aggregate.get("purchaseOrderLine") or {}
        logistics = aggregate.get("logistics") or {}
        company = logistics.get("logisticsCompany") or {}
        agreed = order.get("agreedRefundFee")
        sub_order = order.get("subOrderId") or line.get("purchaseOrderLineId")
        return cls(
            refund_id=id_str(order.get("refundId")),
            platform="taobao",
            status=taobao_status(order.get("refundStatus")),
            order_id=id_str(order.get("payOrderId") or line.get("purchaseOrderId")),
            sub_order_ids=[id_str(sub_order)] if sub_order else [],
            outer_ref=str(order.get("outerRefundId") or ""),
            refund_type=_int(order.get("refundType"), REFUND_ONLY),
            goods_status=str(order.get("goodsStatus") or ""),
            reason_id=id_str(order.get("reasonId")),
            reason=str(order.get("reasonDesc") or ""),
            description=str(order.get("refundDesc") or ""),
            apply_fen=fen(order.get("refundFee")),
            agreed_fen=None if agreed in (None, "") else fen(agreed),
            seller_refuse_reason=str(
                order.get("sellerRefuseReasonDescribe") or order.get("sellerRefuseReason") or ""
            ),
            return_address=logistics.get("receiverAddress") or {},
            return_company_code=str(company.get("logisticsCompanyCode") or ""),
            return_company_name=str(company.get("logisticsCompanyName") or ""),
            return_mail_no=str(logistics.get("mailNo") or ""),
            vouchers=_strs(order.get("refundImages")),
            created_at=str(order.get("createTime") or ""),
            updated_at=str(order.get("modifyTime") or ""),
            raw=data,
        )

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> Refund:
        """A 1688 refund detail (also accepted wrapped in `opOrderRefundModelDetail`)."""
        data = data.get("opOrderRefundModelDetail") or data
        refund_payment = data.get("refundPayment")
        return cls(
            refund_id=str(data.get("refundId") or ""),
            platform="1688",
            status=str(data.get("status") or ""),
            order_id=id_str(data.get("orderId")),
            sub_order_ids=[id_str(entry) for entry in data.get("orderEntryIds") or []],
            outer_ref=str(data.get("outerRefundId") or ""),
            refund_type=REFUND_TYPE_OF_DISPUTE.get(str(data.get("disputeRequest")), REFUND_ONLY),
            goods_status=str(data.get("goodsStatus") or ""),
            reason_id=id_str(data.get("applyReasonId")),
            reason=str(data.get("applyReason") or ""),
            description=str(data.get("description") or ""),
            apply_fen=fen(data.get("applyPayment")),
            apply_carriage_fen=fen(data.get("applyCarriage")),
            agreed_fen=None if refund_payment in (None, "") else fen(refund_payment),
            seller_refuse_reason=str(data.get("rejectReason") or ""),
            return_address=data.get("sellerReceiveAddress") or {},
            return_company_code=str(data.get("logisticsCompanyNo") or ""),
            return_company_name=str(data.get("logisticsCompanyName") or ""),
            return_mail_no=str(data.get("freightBill") or ""),
            vouchers=_strs(data.get("vouchers")),
            created_at=str(data.get("gmtCreate") or ""),
            updated_at=str(data.get("gmtModified") or ""),
            raw=data,
        )


@dataclass(kw_only=True)
class RefundPage(Record):
    total: int
    page_no: int
    page_size: int
    refunds: list[Refund]

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> RefundPage:
        """A v2 page `{totalRecords, totalPage, pageSize, currentPage, data[]}` of detail DTOs."""
        return cls(
            total=_int(data.get("totalRecords")),
            page_no=_int(data.get("currentPage"), 1),
            page_size=_int(data.get("pageSize")),
            refunds=[Refund.from_taobao(item) for item in data.get("data") or []],
            raw=data,
        )


@dataclass(kw_only=True)
class RefundRender(Record):
    """What a Taobao refund may be: types, goods statuses, reasons and the refundable amount."""

    refund_types: list[int]
    goods_statuses: list[int]
    reasons: list[RefundReason]
    max_refund_fen: int
    min_refund_fen: int
    can_edit_fee: bool
    fee_tips: str = ""
    currency: str = "CNY"
    current: dict[str, Any] = field(default_factory=dict)  # refundOrder: the open refund, if any

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> RefundRender:
        """A `RefundRenderVO`."""
        template = data.get("refundOrderTemplate") or {}
        maximum = template.get("maxRefundFee") or {}
        return cls(
            refund_types=[_int(value) for value in template.get("refundTypeList") or []],
            goods_statuses=[_int(value) for value in template.get("goodsStatusList") or []],
            reasons=[
                RefundReason.from_taobao(item) for item in template.get("refundReasons") or []
            ],
            max_refund_fen=fen(maximum.get("refundFee")),
            min_refund_fen=fen(maximum.get("minRefundFee")),
            can_edit_fee=bool(maximum.get("canEditRefundFee")),
            fee_tips=str(maximum.get("feeTips") or ""),
            currency=str(data.get("currency") or "CNY"),
            current=template.get("refundOrder") or {},
            raw=data,
        )


@dataclass(kw_only=True)
class RefundMessage(Record):
    message_id: str
    refund_id: str
    sender: str  # buyer, seller or system
    text: str
    pictures: list[str] = field(default_factory=list)
    created_at: str = ""

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> RefundMessage:
        return cls(
            message_id=id_str(data.get("messageId")),
            refund_id=id_str(data.get("refundId")),
            sender=str(data.get("ownerRole") or ""),
            text=str(data.get("content") or ""),
            pictures=_strs(data.get("pictureUrls")),
            created_at=str(data.get("createTime") or ""),
            raw=data,
        )


@dataclass(kw_only=True)
class Voucher(Record):
    """An uploaded 1688 refund voucher; `url` (domain/relative path) goes into `vouchers[]`."""

    url: str
    voucher_id: str = ""
    image_domain: str = ""
    relative_url: str = ""
    name: str = ""
    content_type: str = ""
    size: int = 0

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> Voucher:
        data = data.get("result") if isinstance(data.get("result"), dict) else data
        domain = str(data.get("imageDomain") or "")
        relative = str(data.get("imageRelativeUrl") or "")
        url = str(data.get("url") or "") or (f"https://{domain}/{relative}" if domain else relative)
        return cls(
            url=url,
            voucher_id=str(data.get("voucherId") or ""),
            image_domain=domain,
            relative_url=relative,
            name=str(data.get("fileName") or ""),
            content_type=str(data.get("contentType") or ""),
            size=_int(data.get("size")),
            raw=data,
        )


@dataclass(kw_only=True)
class LogisticsCompany(Record):
    code: str  # 1688 companyNo / Taobao logisticsCompanyCode, e.g. "SF"
    name: str
    company_id: str = ""
    phone: str = ""

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> LogisticsCompany:
        return cls(
            code=str(data.get("companyNo") or ""),
            name=str(data.get("companyName") or ""),
            company_id=id_str(data.get("id")),
            phone=str(data.get("companyPhone") or ""),
            raw=data,
        )

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> LogisticsCompany:
        return cls(
            code=str(data.get("logisticsCompanyCode") or ""),
            name=str(data.get("logisticsCompanyName") or ""),
            raw=data,
        )


@dataclass(kw_only=True)
class ReturnLogistics(Record):
    """Where a Taobao return goes (the seller's address) and which couriers may carry it."""

    refund_id: str
    address: dict[str, Any]
    note: str = ""
    companies: list[LogisticsCompany] = field(default_factory=list)

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> ReturnLogistics:
        return cls(
            refund_id=id_str(data.get("refundId")),
            address=data.get("receiverAddress") or {},
            note=str(data.get("sellerAgreeReturnDescribe") or ""),
            companies=[
                LogisticsCompany.from_taobao(item) for item in data.get("logisticsCompanies") or []
            ],
            raw=data,
        )
