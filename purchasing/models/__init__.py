"""Purchasing models, one module per theme."""

from purchasing.models.approval import ApprovalRequest, ApprovalRule, OrderApproval
from purchasing.models.callbacks import UpstreamMessage
from purchasing.models.goods import Platform, Product, Sku
from purchasing.models.lines import PurchaseOrderLine
from purchasing.models.money import ExchangeRate
from purchasing.models.orders import IllegalTransition, OrderEvent, PurchaseOrder
from purchasing.models.payments import PaymentAttempt
from purchasing.models.previews import OrderPreview
from purchasing.models.staff import StaffProfile
from purchasing.models.vouchers import PaymentVoucher
from purchasing.models.work import OrderWait, TakenHow, WaitReason, Workable

__all__ = [
    "ApprovalRequest",
    "ApprovalRule",
    "ExchangeRate",
    "IllegalTransition",
    "OrderApproval",
    "OrderEvent",
    "OrderPreview",
    "OrderWait",
    "PaymentAttempt",
    "PaymentVoucher",
    "Platform",
    "Product",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Sku",
    "StaffProfile",
    "TakenHow",
    "UpstreamMessage",
    "WaitReason",
    "Workable",
]
