"""Refund cases: a refund or a return of one or more lines of one purchase order.

The case's status is ours; the upstream's refund statuses map onto it in one table
(`FROM_UPSTREAM`). Every change writes a `CaseEvent` (append-only, like OrderEvent).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from purchasing.models import Platform, PurchaseOrder, PurchaseOrderLine
from purchasing.models.timeline import AppendOnly
from purchasing.models.work import Workable
from purchasing.phrases import recorded
from upstream.types.aftersales import RefundStatus


def new_reference() -> str:
    """Our outer reference, sent as outerRefundId; committed before anything is sent."""
    return f"RF-{uuid.uuid4().hex[:16].upper()}"


class CaseKind(models.TextChoices):
    REFUND_ONLY = "refund_only", _("Refund only")  # money back, the goods stay
    RETURN_AND_REFUND = "return_and_refund", _("Return and refund")  # goods go back first


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "Open")  # stored, not sent upstream yet
    SUBMITTING = "submitting", _("Submitting")  # reference committed; the create is under way
    WAITING_SELLER = "waiting_seller", _("Waiting for the seller")  # waitselleragree
    REFUSED = "refused", _("Refused by the seller")  # waitbuyermodify: modify or cancel
    RETURN_AGREED = "return_agreed", _("Return agreed: send the goods")  # waitbuyersend
    RETURNING = "returning", _("Goods travelling back")  # waitsellerreceive
    REFUNDED = "refunded", _("Refunded")  # refundsuccess (final)
    CLOSED = "closed", _("Closed")  # refundclose: cancelled or closed (final)
    FAILED = "failed", _("Failed")  # the upstream refused the create for good


class WaitingOn(models.TextChoices):
    US = "us", _("Us")
    SELLER = "seller", _("Seller")
    NOBODY = "nobody", _("Nobody")


# The one table: upstream refund status -> (our status, who must act next).
FROM_UPSTREAM: dict[str, tuple[str, str]] = {
    RefundStatus.WAIT_SELLER_AGREE: (CaseStatus.WAITING_SELLER, WaitingOn.SELLER),
    RefundStatus.WAIT_BUYER_MODIFY: (CaseStatus.REFUSED, WaitingOn.US),
    RefundStatus.WAIT_BUYER_SEND: (CaseStatus.RETURN_AGREED, WaitingOn.US),
    RefundStatus.WAIT_SELLER_RECEIVE: (CaseStatus.RETURNING, WaitingOn.SELLER),
    RefundStatus.SUCCESS: (CaseStatus.REFUNDED, WaitingOn.NOBODY),
    RefundStatus.CLOSED: (CaseStatus.CLOSED, WaitingOn.NOBODY),
}
FINAL = frozenset({CaseStatus.REFUNDED, CaseStatus.CLOSED, CaseStatus.FAILED})
# Statuses in which the upstream refund exists and may still move.
LIVE = frozenset(
    {CaseStatus.WAITING_SELLER, CaseStatus.REFUSED, CaseStatus.RETURN_AGREED, CaseStatus.RETURNING}
)


class RefundCase(Workable):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="refund_cases")
    lines = models.ManyToManyField(PurchaseOrderLine, through="CaseLine", related_name="+")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    reference = models.CharField(max_length=40, unique=True, default=new_reference)
    upstream_refund_id = models.CharField(max_length=64, blank=True, db_index=True)
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    goods_status = models.CharField(max_length=40)  # Taobao "1"/"2"; 1688 e.g. refundBuyerReceived
    reason_id = models.CharField(max_length=32)
    reason_text = models.CharField(max_length=200, blank=True)
    asked_fen = models.BigIntegerField()
    max_fen = models.BigIntegerField()
    agreed_fen = models.BigIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    upstream_status = models.CharField(max_length=30, blank=True)
    waiting_on = models.CharField(max_length=10, choices=WaitingOn.choices, default=WaitingOn.US)
    seller_answer = models.TextField(blank=True)
    return_address = models.JSONField(default=dict, blank=True)
    return_company_code = models.CharField(max_length=30, blank=True)
    return_company_name = models.CharField(max_length=60, blank=True)
    return_tracking_no = models.CharField(max_length=40, blank=True)
    # Set in the same transaction that adds agreed_fen to order.refunded_fen: exactly once.
    refund_recorded = models.BooleanField(default=False)
    needs_attention = models.BooleanField(default=False, db_index=True)
    attention_reason = models.TextField(blank=True)  # in the site's language
    # The reason's words (purchasing/phrases.py), said again in each reader's language.
    attention_words = models.JSONField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    submit_lease_until = models.DateTimeField(null=True, blank=True)
    submit_in_doubt = models.BooleanField(default=False)
    submit_attempts = models.PositiveIntegerField(default=0)
    # Where a look-up after an unknown create left the case (services/lookup.py): {"state",
    # "candidates": [...], "rejected": [refund ids a person declared not ours]}.
    lookup = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    upstream_synced_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "updated_at"], name="case_status_updated")]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "upstream_refund_id"],
                condition=~models.Q(upstream_refund_id=""),
                name="case_unique_upstream_refund",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def refund_type(self) -> int:
        from upstream.types.aftersales import REFUND_ONLY, RETURN_AND_REFUND

        return REFUND_ONLY if self.kind == CaseKind.REFUND_ONLY else RETURN_AND_REFUND

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def create_may_still_land(self) -> bool:
        """A refund create whose answer was lost is under its lease: it may still land upstream,
        so only our reference settles it before the lease runs out (services/submit.py)."""
        leased = self.submit_lease_until and self.submit_lease_until > timezone.now()
        return bool(self.submit_in_doubt and leased and not self.upstream_refund_id)

    def move(
        self,
        to: str,
        *,
        actor: Any = None,
        actor_label: str = "",
        message: str = "",
        kind: str = "status",
        fields: tuple[str, ...] = (),
    ) -> CaseEvent:
        """Save the new status with `fields` and write the event (caller holds the row lock)."""
        current = self.status
        self.status = to
        if to in FINAL and self.closed_at is None:
            self.closed_at = timezone.now()
            fields = (*fields, "closed_at")
        self.save(update_fields=["status", "updated_at", *fields])
        return self._event(current, to, actor, actor_label, message, kind)

    def note(
        self, message: str, *, actor: Any = None, actor_label: str = "", kind: str = "note"
    ) -> CaseEvent:
        return self._event(self.status, self.status, actor, actor_label, message, kind)

    def _event(self, frm, to, actor, actor_label, message, kind) -> CaseEvent:
        user = actor if getattr(actor, "is_authenticated", False) else None
        label = actor_label or (user.get_username() if user else "system")
        message, words = recorded(message)
        return CaseEvent.objects.create(
            case=self,
            actor=user,
            actor_label=label[:150],
            from_status=frm,
            to_status=to,
            kind=kind,
            message=message[:2000],
            words=words,
        )


class CaseLine(models.Model):
    case = models.ForeignKey(RefundCase, on_delete=models.CASCADE, related_name="case_lines")
    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "line"], name="case_line_once")]

    def __str__(self) -> str:
        return f"{self.case_id}: line {self.line_id} x{self.quantity}"


class CaseEvent(AppendOnly):
    """The case's timeline: append-only."""

    case = models.ForeignKey(RefundCase, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=30, default="status")
    message = models.TextField(blank=True)  # in the site's language, as it was said
    words = models.JSONField(null=True, blank=True)  # to say it in each reader's (phrases.py)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.from_status}->{self.to_status}"

    @property
    def to_label(self) -> str:
        """The status moved to, as a person reads it."""
        return str(dict(CaseStatus.choices).get(self.to_status, self.to_status))


def evidence_path(instance: CaseEvidence | None, filename: str) -> str:
    """Under a long random folder, so that a stored name cannot be guessed from the case; the
    download view, which checks the user, is the only way to the file."""
    return f"evidence/{secrets.token_urlsafe(24)}/{filename}"


class CaseEvidence(models.Model):
    """A picture or PDF for the claim (at most 5 MB, checked by content in case_open), kept in
    the file storage as checked and uploaded as a voucher when the case is submitted."""

    case = models.ForeignKey(RefundCase, on_delete=models.CASCADE, related_name="evidence")
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=evidence_path, max_length=300)
    voucher_id = models.CharField(max_length=64, blank=True)
    voucher_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.content_type}, {self.size} bytes)"


class EvidencePack(models.Model):
    """What Caigou already knows about the order, attached to the case with one click: the
    preview the order was approved on, the domestic logistics trace and the seller chat link.
    One per case: attaching again refreshes it in place. `summary` is the short text the seller
    gets once, with the claim's description or the next message, as the upstream allows."""

    case = models.OneToOneField(RefundCase, on_delete=models.CASCADE, related_name="pack")
    preview = models.JSONField(default=dict, blank=True)  # {} when no preview was accepted
    traces = models.JSONField(default=list, blank=True)  # [{carrier, tracking_no, events}]
    im_link = models.URLField(max_length=1000, blank=True)
    problems = models.JSONField(default=list, blank=True)  # what could not be read, as sentences
    summary = models.TextField(blank=True)
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    summary_sent_in = models.CharField(max_length=20, blank=True)  # description, message, return
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attached_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"evidence pack of {self.case_id}"

    @property
    def summary_pending(self) -> bool:
        return bool(self.summary) and self.summary_sent_at is None
