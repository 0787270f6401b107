"""Whether an upstream order has our money, read from the statuses the upstream documents.

One table per platform. Both providers pass the same values through: the Taobao Global purchase
order statuses (upstream-api.md 1.6, and 2.6 for Dajisaas) and the official 1688 order statuses
(3.2); the platform-level values of the Xportcn clone (1.6) are accepted on either platform,
should PandaPon send them. `payStatus` and `payTime` are not documented for PandaPon's order
answers: they are extra evidence only. They can say "paid" where the status cannot tell, and
make a status that says "unpaid" doubtful; they can never say "unpaid". Whatever the table
cannot settle is UNKNOWN: the order is read again, and nobody pays it until a person looks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from upstream.types.orders.common import ALIBABA, TAOBAO


class Payment(StrEnum):
    PAID = "paid"  # the upstream has the money: never pay again
    UNPAID = "unpaid"  # the upstream waits for the money: it may be paid
    UNKNOWN = "unknown"  # the status cannot tell: read the order, and ask a person


# The Xportcn clone's platform-level `orderStatus` values (upstream-api.md 1.6).
_PLATFORM_LEVEL = {
    "WAITING_FOR_PAYMENT": Payment.UNPAID,
    "WAITING_FOR_SENT": Payment.PAID,
    "CANCEL": Payment.UNKNOWN,  # closed: before payment, or after a refund of a paid order
}

PAYMENT_BY_STATUS: dict[str, dict[str, Payment]] = {
    TAOBAO: {
        "BULIDING": Payment.UNPAID,  # sic: still being created, nothing paid yet
        "WAIT_BUYER_P": Payment.UNPAID,
        "WAIT_SELLER_SEND_GOODS": Payment.PAID,
        "WAIT_BUYER_CONFIRM_GOODS": Payment.PAID,
        "TRADE_CLOSED": Payment.UNKNOWN,  # closed unpaid, or closed after payment
        **_PLATFORM_LEVEL,
    },
    ALIBABA: {
        "waitbuyerpay": Payment.UNPAID,
        "waitsellersend": Payment.PAID,
        "waitbuyerreceive": Payment.PAID,
        "success": Payment.PAID,
        "cancel": Payment.UNKNOWN,  # the buyer cancels unpaid; a seller or refund may close later
        **_PLATFORM_LEVEL,
    },
}


def payment_of(
    platform: str, *statuses: str, pay_status: Any = None, pay_time: Any = None
) -> Payment:
    """What the documented status says of the payment, with the undocumented fields as extra
    evidence (`pay_status` 2 = paid, as the Xportcn examples use it; any `pay_time`).

    Several statuses are an order that answers per line (the Taobao create answers): the
    purchase order is paid at once, so one line called paid makes it paid, and only every line
    called unpaid makes it unpaid."""
    table = PAYMENT_BY_STATUS.get(platform, {})
    said = [table.get(status, Payment.UNKNOWN) for status in statuses]
    if Payment.PAID in said:
        return Payment.PAID
    unpaid = bool(said) and all(value is Payment.UNPAID for value in said)
    evidence = str(pay_status).strip() == "2" or pay_time not in (None, "", 0, "0")
    if unpaid:
        # A payment time on an order the status calls unpaid: one of them is wrong, and paying
        # on the status's word could pay twice.
        return Payment.UNKNOWN if evidence else Payment.UNPAID
    return Payment.PAID if evidence else Payment.UNKNOWN
