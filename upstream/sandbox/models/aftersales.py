"""Sandbox refunds and returns, their messages, vouchers and return logistics.

Both platforms share one state machine in the official 1688 vocabulary
(`upstream.types.aftersales.RefundStatus`); Taobao answers show it as the integers of
`TAOBAO_REFUND_STATUS`. Enumerations we chose where the docs are silent (our contract):

- `refund_type`: 1 refund only, 2 return and refund (1688 `disputeRequest` refund/returnRefund).
- `goods_status`: Taobao "1" not received, "2" received; 1688 the official strings
  (refundWaitSellerSend, refundWaitBuyerReceive, refundBuyerReceived, aftersaleBuyerNotReceived,
  aftersaleBuyerReceived).
- The order lines' `refund_status` carries the platform's own value: Taobao the integer code as
  a string ("1".."6"), 1688 the lowercase status.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from upstream.sandbox.models.catalogue import Platform
from upstream.sandbox.models.orders import Order, OrderLine
from upstream.types.aftersales import (
    FINAL_REFUND_STATUSES,
    TAOBAO_REFUND_STATUS_CODE,
    RefundStatus,
)

__all__ = ["Refund", "RefundLine", "RefundMessage", "Voucher"]

TAOBAO_REFUND_MESSAGE = "TAOBAO_ORDER_REFUND"  # ASSUMED (upstream-api.md 6.3)
ALIBABA_REFUND_MESSAGE = "ORDER_BUYER_VIEW_ORDER_BUYER_REFUND"  # upstream-api.md 1.7

# Which moves a refund may make (from -> allowed targets).
TRANSITIONS: dict[str, frozenset[str]] = {
    RefundStatus.WAIT_SELLER_AGREE: frozenset(
        {
            RefundStatus.WAIT_BUYER_MODIFY,
            RefundStatus.WAIT_BUYER_SEND,
            RefundStatus.SUCCESS,
            RefundStatus.WAIT_SELLER_AGREE,
            RefundStatus.CLOSED,
        }
    ),
    RefundStatus.WAIT_BUYER_MODIFY: frozenset(
        {RefundStatus.WAIT_SELLER_AGREE, RefundStatus.CLOSED}
    ),
    RefundStatus.WAIT_BUYER_SEND: frozenset(
        {RefundStatus.WAIT_SELLER_RECEIVE, RefundStatus.CLOSED}
    ),
    RefundStatus.WAIT_SELLER_RECEIVE: frozenset({RefundStatus.SUCCESS, RefundStatus.CLOSED}),
    RefundStatus.SUCCESS: frozenset(),
    RefundStatus.CLOSED: frozenset(),
}


class Refund(models.Model):
    """A refund (or return and refund) on some lines of one paid order.

    Never deduplicated: a second create with the same `outer_ref` makes a second refund.
    """

    refund_id = models.CharField(max_length=40, unique=True)  # Taobao digits; 1688 "TQ..."
    provider = models.CharField(max_length=16, default="pandapon")
    platform = models.CharField(max_length=8, choices=Platform.choices)
    user_id = models.CharField(max_length=64)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    lines = models.ManyToManyField(OrderLine, through="RefundLine", related_name="refunds")
    outer_ref = models.CharField(max_length=100, blank=True, db_index=True)  # outerRefundId
    # As Order.ref_ignored: the books keep `outer_ref`; no answer, push or list uses it.
    ref_ignored = models.BooleanField(default=False)
    created_by = models.CharField(max_length=60)  # the operation that created it
    refund_type = models.PositiveSmallIntegerField()  # 1 refund only, 2 return and refund
    goods_status = models.CharField(max_length=40)
    reason_id = models.CharField(max_length=20)
    reason_text = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=500, blank=True)
    apply_fen = models.PositiveIntegerField()
    apply_carriage_fen = models.PositiveIntegerField(default=0)
    agreed_fen = models.PositiveIntegerField(null=True, blank=True)  # set when refunded
    status = models.CharField(
        max_length=20,
        choices=[(status.value, status.value) for status in RefundStatus],
        default=RefundStatus.WAIT_SELLER_AGREE,
    )
    seller_refuse_reason = models.CharField(max_length=200, blank=True)
    seller_note = models.CharField(max_length=200, blank=True)  # shown with an agreed return
    return_address = models.JSONField(default=dict, blank=True)  # the seller's, for returns
    return_company_code = models.CharField(max_length=20, blank=True)
    return_company_name = models.CharField(max_length=60, blank=True)
    return_mail_no = models.CharField(max_length=40, blank=True)
    return_description = models.CharField(max_length=200, blank=True)
    vouchers = models.JSONField(default=list, blank=True)  # voucher / picture URLs
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user_id", "platform", "status"])]

    def __str__(self) -> str:
        return f"refund {self.refund_id} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_REFUND_STATUSES

    @property
    def echoed_ref(self) -> str:
        """The reference an answer or a push may carry: none when the upstream ignored it."""
        return "" if self.ref_ignored else self.outer_ref

    @property
    def taobao_status(self) -> int:
        return TAOBAO_REFUND_STATUS_CODE[RefundStatus(self.status)]

    def line_refund_status(self) -> str:
        """The value written on the refunded order lines (the platform's own vocabulary)."""
        if self.platform == Platform.TAOBAO:
            return str(self.taobao_status)
        return self.status

    def move(self, to: str, *, action: str, operator: str) -> None:
        """The one guarded transition: save, mark the lines and emit the refund callback."""
        if to not in TRANSITIONS[self.status]:
            raise ValueError(f"refund {self.refund_id} cannot move from {self.status} to {to}")
        self.status = to
        if to in FINAL_REFUND_STATUSES:
            self.completed_at = timezone.now()
        self.save()
        OrderLine.objects.filter(refund_lines__refund=self).update(
            refund_status=self.line_refund_status()
        )
        self.emit(action=action, operator=operator)

    def emit(self, *, action: str, operator: str) -> None:
        """Push the refund callback of a move (see `callback_body` for the shapes)."""
        # Imported here: the callbacks module may use the sandbox models itself.
        from upstream.sandbox import callbacks

        taobao = self.platform == Platform.TAOBAO
        callbacks.emit(
            provider=self.provider,
            message_type=TAOBAO_REFUND_MESSAGE if taobao else ALIBABA_REFUND_MESSAGE,
            body=self.callback_body(action=action, operator=operator),
            platform=self.platform,
        )

    def callback_body(self, *, action: str, operator: str) -> dict:
        """The refund callback's messageBody.

        Taobao (`TAOBAO_ORDER_REFUND`, ASSUMED in upstream-api.md 6.3):
        `{refundId, outerRefundId, orderId, subOrderId, refundStatus (int, TAOBAO_REFUND_STATUS),
        refundStatusName (1688 vocabulary), refundType, goodsStatus, refundFee, agreedRefundFee,
        refundAction, operator, sellerRefuseReason, modifyTime}`.

        1688 (`ORDER_BUYER_VIEW_ORDER_BUYER_REFUND`, upstream-api.md 1.7 and 3.4-3.5):
        `{refundId, orderId, orderEntryIds[], refundAction, operator, refundStatus (lowercase),
        currentStatus (the order's status), applyPayment, applyCarriage, refundPayment,
        outerRefundId, msgSendTime}`. Money in fen; `refundAction` from upstream-api.md 3.4;
        `operator` is buyer, seller or system.
        """
        sub_orders = list(self.refund_lines.values_list("line__sub_order_id", flat=True))
        when = timezone.localtime(self.updated_at or timezone.now()).strftime("%Y-%m-%d %H:%M:%S")
        if self.platform == Platform.TAOBAO:
            return {
                "refundId": self.refund_id,
                "outerRefundId": self.echoed_ref,
                "orderId": self.order.order_id,
                "subOrderId": sub_orders[0] if sub_orders else "",
                "refundStatus": self.taobao_status,
                "refundStatusName": self.status,
                "refundType": self.refund_type,
                "goodsStatus": int(self.goods_status),
                "refundFee": self.apply_fen,
                "agreedRefundFee": self.agreed_fen,
                "refundAction": action,
                "operator": operator,
                "sellerRefuseReason": self.seller_refuse_reason,
                "modifyTime": when,
            }
        return {
            "refundId": self.refund_id,
            "orderId": self.order.order_id,
            "orderEntryIds": sub_orders,
            "refundAction": action,
            "operator": operator,
            "refundStatus": self.status,
            "currentStatus": self.order.status,
            "applyPayment": self.apply_fen,
            "applyCarriage": self.apply_carriage_fen,
            "refundPayment": self.agreed_fen,
            "outerRefundId": self.echoed_ref,
            "msgSendTime": when,
        }


class RefundLine(models.Model):
    """Which order line a refund covers, and how many pieces of it."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="refund_lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="refund_lines")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["refund", "line"], name="sandbox_refund_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.count} of line {self.line_id} in refund {self.refund_id}"


class RefundMessage(models.Model):
    """One message in a refund's negotiation (buyer, seller or system)."""

    class Sender(models.TextChoices):
        BUYER = "buyer"  # us, through the API
        SELLER = "seller"  # the simulated seller (tick steps)
        SYSTEM = "system"  # the platform's own notices

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="messages")
    message_id = models.CharField(max_length=32, unique=True)
    sender = models.CharField(max_length=8, choices=Sender.choices)
    text = models.CharField(max_length=1000)
    pictures = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.sender} message on {self.refund_id}"


class Voucher(models.Model):
    """An uploaded refund voucher (image or PDF). Only its description is kept, not the bytes."""

    voucher_id = models.CharField(max_length=32, unique=True)
    user_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    image_domain = models.CharField(max_length=60)
    relative_url = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"voucher {self.voucher_id}"

    @property
    def url(self) -> str:
        return f"https://{self.image_domain}/{self.relative_url}"
