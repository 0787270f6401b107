"""Purchasing models, one module per theme."""

from purchasing.models.callbacks import UpstreamMessage
from purchasing.models.goods import Platform, Product, Sku
from purchasing.models.money import ExchangeRate
from purchasing.models.orders import (
    IllegalTransition,
    OrderEvent,
    OrderPreview,
    PaymentAttempt,
    PurchaseOrder,
    PurchaseOrderLine,
)
from purchasing.models.staff import StaffProfile

__all__ = [
    "ExchangeRate",
    "IllegalTransition",
    "OrderEvent",
    "OrderPreview",
    "PaymentAttempt",
    "Platform",
    "Product",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Sku",
    "StaffProfile",
    "UpstreamMessage",
]
