"""A person clears an order's needs_attention flag, saying why (the timeline keeps the comment)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from purchasing.models import PurchaseOrder
from purchasing.services.orders.common import NotAllowed, OrderError, locked
from purchasing.services.orders.events import clear_attention

MAY_CLEAR = ("purchasing.approve_order", "purchasing.create_order")


@transaction.atomic
def order_clear_attention(*, order: PurchaseOrder, actor: Any, comment: str) -> PurchaseOrder:
    """Clear the flag once a person has looked at the reason; the comment is the event."""
    if actor is None or not any(actor.has_perm(p) for p in MAY_CLEAR):
        raise NotAllowed("you need the approve order or create order permission")
    comment = comment.strip()
    if not comment:
        raise OrderError("say what was done about it")
    order = locked(order.pk)
    if not order.needs_attention:
        raise OrderError(f"{order.reference} does not need attention")
    clear_attention(order, actor=actor, comment=f"attention cleared: {comment}")
    return order
