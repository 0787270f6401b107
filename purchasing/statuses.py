"""The life of a purchase order, and how upstream statuses map onto it (one table).

draft -> previewed -> (awaiting_approval -> approved) -> submitting -> awaiting_payment -> paying
-> paid -> shipped -> at_warehouse -> dispatched -> delivered, with cancelled and failed; any
state can raise `needs_attention`, which a person clears (it is a flag, not a status).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # lines chosen, nothing asked upstream yet
    PREVIEWED = "previewed", _("Previewed")  # an upstream preview is stored and shown
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")  # above a limit
    APPROVED = "approved", _("Approved")  # an approver accepted the preview
    SUBMITTING = "submitting", _("Submitting")  # outer ref committed; the create is under way
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")  # created upstream, unpaid
    PAYING = "paying", _("Paying")  # a payment attempt is committed; the pay call is under way
    PAID = "paid", _("Paid")  # the upstream has our money
    SHIPPED = "shipped", _("Shipped by seller")  # the seller sent it to the warehouse
    AT_WAREHOUSE = "at_warehouse", _("At warehouse")  # the agent's warehouse received it
    DISPATCHED = "dispatched", _("Dispatched")  # left the warehouse in a parcel abroad
    DELIVERED = "delivered", _("Delivered")  # the customer has it
    CANCELLED = "cancelled", _("Cancelled")  # closed before payment (by us or upstream)
    FAILED = "failed", _("Failed")  # the upstream refused the create for good


# status -> the statuses it may move to. Anything else is refused by the model's transition().
TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.PREVIEWED, OrderStatus.CANCELLED}),
    OrderStatus.PREVIEWED: frozenset(
        {
            OrderStatus.PREVIEWED,
            OrderStatus.AWAITING_APPROVAL,
            OrderStatus.SUBMITTING,
            OrderStatus.CANCELLED,
        }
    ),
    OrderStatus.AWAITING_APPROVAL: frozenset(
        {OrderStatus.APPROVED, OrderStatus.PREVIEWED, OrderStatus.CANCELLED}
    ),
    OrderStatus.APPROVED: frozenset(
        {OrderStatus.SUBMITTING, OrderStatus.PREVIEWED, OrderStatus.CANCELLED}
    ),
    OrderStatus.SUBMITTING: frozenset(
        {OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.FAILED, OrderStatus.PREVIEWED}
    ),
    OrderStatus.AWAITING_PAYMENT: frozenset(
        {OrderStatus.PAYING, OrderStatus.PAID, OrderStatus.CANCELLED}
    ),
    OrderStatus.PAYING: frozenset(
        {OrderStatus.PAID, OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED}
    ),
    OrderStatus.PAID: frozenset(
        {OrderStatus.SHIPPED, OrderStatus.AT_WAREHOUSE, OrderStatus.CANCELLED}
    ),
    OrderStatus.SHIPPED: frozenset({OrderStatus.AT_WAREHOUSE, OrderStatus.DISPATCHED}),
    OrderStatus.AT_WAREHOUSE: frozenset({OrderStatus.DISPATCHED}),
    OrderStatus.DISPATCHED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.FAILED: frozenset(),
}

# Progress along the happy path; an older upstream status never overwrites a newer one.
RANK: dict[str, int] = {
    status: rank
    for rank, status in enumerate(
        [
            OrderStatus.DRAFT,
            OrderStatus.PREVIEWED,
            OrderStatus.AWAITING_APPROVAL,
            OrderStatus.APPROVED,
            OrderStatus.SUBMITTING,
            OrderStatus.AWAITING_PAYMENT,
            OrderStatus.PAYING,
            OrderStatus.PAID,
            OrderStatus.SHIPPED,
            OrderStatus.AT_WAREHOUSE,
            OrderStatus.DISPATCHED,
            OrderStatus.DELIVERED,
        ]
    )
}
FINAL = frozenset({OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.FAILED})

# Upstream status (Taobao purchase orders, 1688 orders, Xportcn-style platform values) -> ours.
# Every value in shared/upstream-api.md 1.6 and 3.2 is here; unknown values map to None and are
# kept as they are on the order for a person to read.
UPSTREAM_STATUS: dict[str, str] = {
    # Taobao (upstream-api.md 1.6)
    "BULIDING": OrderStatus.SUBMITTING,  # sic: the upstream's spelling
    "WAIT_BUYER_P": OrderStatus.AWAITING_PAYMENT,
    "WAIT_SELLER_SEND_GOODS": OrderStatus.PAID,
    "WAIT_BUYER_CONFIRM_GOODS": OrderStatus.SHIPPED,
    "TRADE_CLOSED": OrderStatus.CANCELLED,
    # 1688 (upstream-api.md 3.2)
    "waitbuyerpay": OrderStatus.AWAITING_PAYMENT,
    "waitsellersend": OrderStatus.PAID,
    "waitbuyerreceive": OrderStatus.SHIPPED,
    "success": OrderStatus.AT_WAREHOUSE,
    "cancel": OrderStatus.CANCELLED,
    # Platform-level values of the Xportcn clone (upstream-api.md 1.6), should PandaPon send them
    "WAITING_FOR_PAYMENT": OrderStatus.AWAITING_PAYMENT,
    "WAITING_FOR_SENT": OrderStatus.PAID,
    "CANCEL": OrderStatus.CANCELLED,
}


def from_upstream(value: str) -> str | None:
    """Our status for an upstream status value, or None when the value is unknown."""
    return UPSTREAM_STATUS.get(value)


def upstream_lags(current: str, upstream: str) -> bool:
    """True when the upstream status last read is behind ours: read before our pay call
    succeeded, say, and not read again since. While we pay, the upstream's "waiting for
    payment" is still its news; past shipping, the stages are ours (the warehouse, the parcel),
    not the upstream's."""
    theirs = from_upstream(upstream)
    if theirs is None or current in (OrderStatus.CANCELLED, OrderStatus.FAILED):
        return False
    ours = min(RANK.get(current, -1), RANK[OrderStatus.SHIPPED])
    if current == OrderStatus.PAYING:
        ours = RANK[OrderStatus.AWAITING_PAYMENT]
    return RANK.get(theirs, -1) < ours


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_older(candidate: str, current: str) -> bool:
    """True when `candidate` lies behind `current` on the happy path (a stale callback)."""
    if current in FINAL:
        return True
    return RANK.get(candidate, -1) < RANK.get(current, -1)
