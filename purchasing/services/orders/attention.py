"""A person clears an order's needs_attention flag, saying why (the timeline keeps the comment).

When the upstream now asks a total that moved past the tolerance from the accepted one (either
way), clearing the flag is also accepting that total: the person must say so, and the new total
becomes what may be paid. Without that, the order could never be paid (payment compares the
upstream's total with the accepted one) and only a cancel would be left."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from purchasing.actors import person
from purchasing.models import PurchaseOrder
from purchasing.money import format_cny, within_tolerance
from purchasing.phrases import gettext as _
from purchasing.rules import MAY_CLEAR
from purchasing.services.orders.approval import approval_limit
from purchasing.services.orders.common import NotAllowed, OrderError, locked
from purchasing.services.orders.events import clear_attention
from purchasing.services.orders.lookup import is_awaiting_person
from purchasing.statuses import OrderStatus


def moved_total(order: PurchaseOrder) -> int | None:
    """The total the upstream now asks for an order not yet paid, when it moved past the
    tolerance from the accepted one; None otherwise."""
    accepted, asked = order.budget_fen, order.upstream_total_fen
    if order.status != OrderStatus.AWAITING_PAYMENT or accepted is None or asked is None:
        return None
    return None if within_tolerance(accepted, asked) else asked


@transaction.atomic
def order_clear_attention(
    *, order: PurchaseOrder, actor: Any, comment: str, accept_total: bool = False
) -> PurchaseOrder:
    """Clear the flag once a person has looked at the reason; the comment is the event. With a
    moved upstream total, `accept_total` must say the person accepts it (within their limit)."""
    # A person clears the flag: it was raised for one to look (a policy holds no permission).
    if person(actor) is None or not any(actor.has_perm(p) for p in MAY_CLEAR):
        raise NotAllowed(_("you need the approve order or create order permission"))
    comment = comment.strip()
    if not comment:
        raise OrderError(_("say what was done about it"))
    order = locked(order.pk)
    if not order.needs_attention:
        raise OrderError(
            _("%(reference)s does not need attention") % {"reference": order.reference}
        )
    if is_awaiting_person(order):
        raise OrderError(
            _("%(reference)s: say which upstream order is ours (or confirm the match) instead")
            % {"reference": order.reference}
        )
    asked = moved_total(order)
    if asked is not None:
        accepted = format_cny(order.budget_fen)
        if not accept_total:
            raise OrderError(
                _(
                    "the upstream now asks %(asked)s against the accepted %(accepted)s: "
                    "accept the new total to pay it, or cancel the order"
                )
                % {"asked": format_cny(asked), "accepted": accepted}
            )
        if asked > approval_limit(actor) and not actor.has_perm("purchasing.approve_order"):
            raise NotAllowed(
                _("%(amount)s is above your limit: ask an approver") % {"amount": format_cny(asked)}
            )
        order.budget_fen = asked
        order.save(update_fields=["budget_fen", "updated_at"])
        comment = _("%(comment)s (the upstream total %(asked)s accepted, was %(accepted)s)") % {
            "comment": comment,
            "asked": format_cny(asked),
            "accepted": accepted,
        }
    clear_attention(
        order, actor=actor, comment=_("attention cleared: %(comment)s") % {"comment": comment}
    )
    return order
