"""Sandbox handlers: Taobao reverse orders and 1688 refunds, with the seller's tick steps.

Rules (both platforms): a refund is opened only on a paid order (1005 otherwise), for at most
what was paid for its lines minus what was already refunded on them (400 naming the maximum).
Creates are never deduplicated: every call with the same outerRefundId opens another refund.

The simulated seller (`advance_refunds`, a tick step) answers one step per tick: it agrees a
refund-only claim (refundsuccess), agrees a return (waitbuyersend, with its return address) or,
deterministically, refuses (waitbuyermodify) when the description contains "refuse-me" or the
amount ends in 13 fen; it refunds a returned parcel on arrival (waitsellerreceive ->
refundsuccess). Every move emits a refund callback (`Refund.callback_body` has the shapes).
"""

from __future__ import annotations

from upstream.sandbox.db import atomic
from upstream.sandbox.handlers.aftersales.alibaba import (
    alibaba_logistics_companies,
    alibaba_refund_create,
    alibaba_refund_detail,
    alibaba_refund_reasons,
    alibaba_refund_return_goods,
    alibaba_refund_voucher_upload,
)
from upstream.sandbox.handlers.aftersales.seller import refused_by_seller, seller_step
from upstream.sandbox.handlers.aftersales.taobao import (
    taobao_refund_cancel,
    taobao_refund_logistics_render,
    taobao_refund_logistics_submit,
    taobao_refund_message_list,
    taobao_refund_message_submit,
    taobao_refund_modify,
    taobao_refund_page,
    taobao_refund_query,
    taobao_refund_render,
    taobao_refund_submit,
)
from upstream.sandbox.models import Refund
from upstream.sandbox.router import tick_step
from upstream.types.aftersales import RefundStatus

__all__ = [
    "advance_refunds",
    "alibaba_logistics_companies",
    "alibaba_refund_create",
    "alibaba_refund_detail",
    "alibaba_refund_reasons",
    "alibaba_refund_return_goods",
    "alibaba_refund_voucher_upload",
    "refused_by_seller",
    "seller_step",
    "taobao_refund_cancel",
    "taobao_refund_logistics_render",
    "taobao_refund_logistics_submit",
    "taobao_refund_message_list",
    "taobao_refund_message_submit",
    "taobao_refund_modify",
    "taobao_refund_page",
    "taobao_refund_query",
    "taobao_refund_render",
    "taobao_refund_submit",
]


# Defined here rather than in seller.py: the tick report names a step after the last part of
# its module, and this one has always been `aftersales.advance_refunds`.
@tick_step
def advance_refunds() -> int:
    """Every refund waiting for the seller takes the seller's next step."""
    moved = 0
    with atomic():
        waiting = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("order", "order__shop")
            .filter(status__in=[RefundStatus.WAIT_SELLER_AGREE, RefundStatus.WAIT_SELLER_RECEIVE])
            .order_by("id")
        )
        for refund in waiting:
            moved += seller_step(refund)
    return moved
