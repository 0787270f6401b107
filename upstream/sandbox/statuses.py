"""The sandbox's order status sequences, one per platform, and the step a tick takes.

Statuses are the platforms' own values (upstream-api.md 1.6 and 3.2), stored as is on
`Order.status` and `OrderLine.status`:

Taobao  BULIDING -> WAIT_BUYER_P -> WAIT_SELLER_SEND_GOODS -> WAIT_BUYER_CONFIRM_GOODS
        (+ TRADE_CLOSED from BULIDING or WAIT_BUYER_P)
1688    waitbuyerpay -> waitsellersend -> waitbuyerreceive -> success
        (+ cancel from waitbuyerpay)

Arrival at the agent's warehouse is not a platform status: it is `Order.arrived_at`.
"""

from __future__ import annotations

from upstream.sandbox.models.catalogue import Platform

TAOBAO = Platform.TAOBAO.value
ALIBABA = Platform.ALIBABA.value


class Taobao:
    BUILDING = "BULIDING"  # being created (the misspelling is Taobao Global's)
    WAIT_PAY = "WAIT_BUYER_P"  # created, awaiting payment
    WAIT_SEND = "WAIT_SELLER_SEND_GOODS"  # paid, the seller has not shipped
    WAIT_CONFIRM = "WAIT_BUYER_CONFIRM_GOODS"  # shipped ("dispatched"); there is no later value
    CLOSED = "TRADE_CLOSED"  # cancelled or closed unpaid


class Alibaba:
    WAIT_PAY = "waitbuyerpay"  # created, awaiting payment
    WAIT_SEND = "waitsellersend"  # paid, the seller has not shipped
    WAIT_RECEIVE = "waitbuyerreceive"  # shipped, receipt not confirmed
    SUCCESS = "success"  # receipt confirmed (or confirmed automatically)
    CANCEL = "cancel"  # cancelled before payment


SEQUENCES: dict[str, tuple[str, ...]] = {
    TAOBAO: (Taobao.BUILDING, Taobao.WAIT_PAY, Taobao.WAIT_SEND, Taobao.WAIT_CONFIRM),
    ALIBABA: (Alibaba.WAIT_PAY, Alibaba.WAIT_SEND, Alibaba.WAIT_RECEIVE, Alibaba.SUCCESS),
}
CLOSED: dict[str, str] = {TAOBAO: Taobao.CLOSED, ALIBABA: Alibaba.CANCEL}
AWAITING_PAYMENT: dict[str, str] = {TAOBAO: Taobao.WAIT_PAY, ALIBABA: Alibaba.WAIT_PAY}
PAID: dict[str, str] = {TAOBAO: Taobao.WAIT_SEND, ALIBABA: Alibaba.WAIT_SEND}
SHIPPED: dict[str, str] = {TAOBAO: Taobao.WAIT_CONFIRM, ALIBABA: Alibaba.WAIT_RECEIVE}
COMPLETED: dict[str, str] = {ALIBABA: Alibaba.SUCCESS}  # Taobao has no completed value


def all_statuses(platform: str) -> tuple[str, ...]:
    return (*SEQUENCES[platform], CLOSED[platform])


def initial(platform: str) -> str:
    """The status an order is created in (Taobao passes through BULIDING first)."""
    return SEQUENCES[platform][0]


def rank(platform: str, status: str) -> int:
    """Position in the sequence; -1 for the closed status or an unknown value."""
    sequence = SEQUENCES[platform]
    return sequence.index(status) if status in sequence else -1


def is_awaiting_payment(platform: str, status: str) -> bool:
    return status == AWAITING_PAYMENT[platform]


def is_closed(platform: str, status: str) -> bool:
    return status == CLOSED[platform]


def is_paid(platform: str, status: str) -> bool:
    """Paid: at or past the paid status in the sequence."""
    return rank(platform, status) >= rank(platform, PAID[platform])


def is_shipped(platform: str, status: str) -> bool:
    return rank(platform, status) >= rank(platform, SHIPPED[platform])


def is_payable(platform: str, status: str) -> bool:
    """Whether a pay call takes money. The sandbox does not dedupe payments (upstream-api.md
    6.4): an order that is paid but not yet shipped is charged again, as a careless upstream
    would. Orders being built, shipped, completed or closed refuse (1005)."""
    return status in (AWAITING_PAYMENT[platform], PAID[platform])


def is_cancellable(platform: str, status: str) -> bool:
    """Only unpaid orders can be cancelled (on 1688 and in our Taobao contract)."""
    return rank(platform, status) in (0, 1) and not is_paid(platform, status)
