"""The simulated seller: its deterministic refusals and its next answer to a refund."""

from __future__ import annotations

from upstream.sandbox.handlers.aftersales.common import _note, _seller_address
from upstream.sandbox.models import Refund, RefundMessage
from upstream.types.aftersales import REFUND_ONLY, RefundStatus


def refused_by_seller(refund: Refund) -> str:
    """The seller's refusal of a claim, or "": deterministic so tests and demos can reach it."""
    if "refuse-me" in refund.description.lower():
        return "卖家拒绝：请补充商品问题照片后重新提交（sandbox: 描述含 refuse-me）"
    if refund.apply_fen % 100 == 13:
        return "卖家拒绝：退款金额与协商结果不一致（sandbox: 金额以 13 分结尾）"
    return ""


def seller_step(refund: Refund) -> bool:
    """The seller's next answer to one refund; False when it waits for the buyer."""
    if refund.status == RefundStatus.WAIT_SELLER_AGREE:
        reason = refused_by_seller(refund)
        if reason:
            refund.seller_refuse_reason = reason
            _note(refund, RefundMessage.Sender.SELLER, reason)
            refund.move(
                RefundStatus.WAIT_BUYER_MODIFY, action="SELLER_REJECT_REFUND", operator="seller"
            )
        elif refund.refund_type == REFUND_ONLY:
            refund.agreed_fen = refund.apply_fen
            _note(refund, RefundMessage.Sender.SELLER, "卖家同意退款")
            refund.move(RefundStatus.SUCCESS, action="SELLER_AGREE_REFUND", operator="seller")
        else:
            refund.return_address = _seller_address(refund.order)
            refund.seller_note = "请在 7 天内寄回，勿用到付，包裹内请附订单号"
            _note(refund, RefundMessage.Sender.SELLER, f"卖家同意退货：{refund.seller_note}")
            refund.move(
                RefundStatus.WAIT_BUYER_SEND,
                action="SELLER_AGREE_REFUND_PROCOTOL",
                operator="seller",
            )
        return True
    if refund.status == RefundStatus.WAIT_SELLER_RECEIVE:
        refund.agreed_fen = refund.apply_fen
        _note(refund, RefundMessage.Sender.SELLER, "卖家已收到退货，同意退款")
        refund.move(RefundStatus.SUCCESS, action="SELLER_RECEIVE_GOODS", operator="seller")
        return True
    return False
