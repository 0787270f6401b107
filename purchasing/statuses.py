"""The life of a purchase order, and how upstream statuses map onto it (one table).

draft -> previewed -> (awaiting_approval -> approved) -> submitting -> awaiting_payment -> paying
-> paid -> shipped -> at_warehouse -> dispatched -> delivered, with cancelled and failed; any
state can raise `needs_attention`, which a person clears (it is a flag, not a status).
"""

from __future__ import annotations

from django.db import models


class OrderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"  # lines chosen, nothing asked upstream yet
    PREVIEWED = "previewed", "Previewed"  # an upstream preview is stored and shown
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"  # above a limit
    APPROVED = "approved", "Approved"  # an approver accepted the preview
    SUBMITTING = "submitting", "Submitting"  # outer ref committed; the create is under way
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"  # created upstream, unpaid
    PAYING = "paying", "Paying"  # a payment attempt is committed; the pay call is under way
    PAID = "paid", "Paid"  # the upstream has our money
    SHIPPED = "shipped", "Shipped by seller"  # the seller sent it to the warehouse
    AT_WAREHOUSE = "at_warehouse", "At warehouse"  # the agent's warehouse received it
    DISPATCHED = "dispatched", "Dispatched"  # left the warehouse in a parcel abroad
    DELIVERED = "delivered", "Delivered"  # the customer has it
    CANCELLED = "cancelled", "Cancelled"  # closed before payment (by us or upstream)
    FAILED = "failed", "Failed"  # the upstream refused the create for good


S = OrderStatus

# status -> the statuses it may move to. Anything else is refused by the model's transition().
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PREVIEWED, S.CANCELLED}),
    S.PREVIEWED: frozenset({S.PREVIEWED, S.AWAITING_APPROVAL, S.SUBMITTING, S.CANCELLED}),
    S.AWAITING_APPROVAL: frozenset({S.APPROVED, S.PREVIEWED, S.CANCELLED}),
    S.APPROVED: frozenset({S.SUBMITTING, S.PREVIEWED, S.CANCELLED}),
    S.SUBMITTING: frozenset({S.AWAITING_PAYMENT, S.PAID, S.FAILED, S.PREVIEWED}),
    S.AWAITING_PAYMENT: frozenset({S.PAYING, S.PAID, S.CANCELLED}),
    S.PAYING: frozenset({S.PAID, S.AWAITING_PAYMENT, S.CANCELLED}),
    S.PAID: frozenset({S.SHIPPED, S.AT_WAREHOUSE, S.CANCELLED}),
    S.SHIPPED: frozenset({S.AT_WAREHOUSE, S.DISPATCHED}),
    S.AT_WAREHOUSE: frozenset({S.DISPATCHED}),
    S.DISPATCHED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
    S.FAILED: frozenset(),
}  # fmt: skip

# Progress along the happy path; an older upstream status never overwrites a newer one.
RANK: dict[str, int] = {
    status: rank
    for rank, status in enumerate(
        [
            S.DRAFT,
            S.PREVIEWED,
            S.AWAITING_APPROVAL,
            S.APPROVED,
            S.SUBMITTING,
            S.AWAITING_PAYMENT,
            S.PAYING,
            S.PAID,
            S.SHIPPED,
            S.AT_WAREHOUSE,
            S.DISPATCHED,
            S.DELIVERED,
        ]
    )
}
FINAL = frozenset({S.DELIVERED, S.CANCELLED, S.FAILED})

# Upstream status (Taobao purchase orders, 1688 orders, Xportcn-style platform values) -> ours.
# Every value in shared/upstream-api.md 1.6 and 3.2 is here; unknown values map to None and are
# kept as they are on the order for a person to read.
UPSTREAM_STATUS: dict[str, str] = {
    # Taobao (upstream-api.md 1.6)
    "BULIDING": S.SUBMITTING,  # sic: the upstream's spelling
    "WAIT_BUYER_P": S.AWAITING_PAYMENT,
    "WAIT_SELLER_SEND_GOODS": S.PAID,
    "WAIT_BUYER_CONFIRM_GOODS": S.SHIPPED,
    "TRADE_CLOSED": S.CANCELLED,
    # 1688 (upstream-api.md 3.2)
    "waitbuyerpay": S.AWAITING_PAYMENT,
    "waitsellersend": S.PAID,
    "waitbuyerreceive": S.SHIPPED,
    "success": S.AT_WAREHOUSE,
    "cancel": S.CANCELLED,
    # Platform-level values of the Xportcn clone (upstream-api.md 1.6), should PandaPon send them
    "WAITING_FOR_PAYMENT": S.AWAITING_PAYMENT,
    "WAITING_FOR_SENT": S.PAID,
    "CANCEL": S.CANCELLED,
}


def from_upstream(value: str) -> str | None:
    """Our status for an upstream status value, or None when the value is unknown."""
    return UPSTREAM_STATUS.get(value)


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_older(candidate: str, current: str) -> bool:
    """True when `candidate` lies behind `current` on the happy path (a stale callback)."""
    if current in FINAL:
        return True
    return RANK.get(candidate, -1) < RANK.get(current, -1)
