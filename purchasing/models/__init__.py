"""Purchasing models, one module per theme."""

from purchasing.models.goods import Platform, Product, Sku
from purchasing.models.money import ExchangeRate
from purchasing.models.staff import StaffProfile

__all__ = ["ExchangeRate", "Platform", "Product", "Sku", "StaffProfile"]
