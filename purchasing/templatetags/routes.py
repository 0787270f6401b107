"""`{% load routes %}`: what an order's route cannot do, in the words every page uses
(`purchasing.routes.missing`)."""

from __future__ import annotations

from django import template

from purchasing.models import PurchaseOrder
from purchasing.routes import Capability, route_for
from purchasing.routes.missing import Missing, missing

register = template.Library()


@register.simple_tag
def route_missing(order: PurchaseOrder, capability: str) -> Missing | None:
    """`{% route_missing order "trace" as gap %}`: None when the order's route can."""
    return missing(route_for(order), Capability(capability), order=order)
