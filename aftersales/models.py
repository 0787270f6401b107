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
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from purchasing.actors import entry_title
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
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        related_name="refund_cases",
        verbose_name=_("purchase order"),
    )
    lines = models.ManyToManyField(
        PurchaseOrderLine, through="CaseLine", related_name="+", verbose_name=_("order lines")
    )
    platform = models.CharField(max_length=10, choices=Platform.choices, verbose_name=_("platform"))
    reference = models.CharField(
        max_length=40, unique=True, default=new_reference, verbose_name=_("our reference")
    )
    upstream_refund_id = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("upstream refund id")
    )
    kind = models.CharField(max_length=20, choices=CaseKind.choices, verbose_name=_("kind"))
    # Taobao "1"/"2"; 1688 e.g. refundBuyerReceived
    goods_status = models.CharField(max_length=40, verbose_name=_("goods status"))
    reason_id = models.CharField(max_length=32, verbose_name=_("reason id"))
    reason_text = models.CharField(max_length=200, blank=True, verbose_name=_("reason text"))
    asked_fen = models.BigIntegerField(verbose_name=_("asked amount (fen)"))
    max_fen = models.BigIntegerField(verbose_name=_("maximum amount (fen)"))
    agreed_fen = models.BigIntegerField(
        null=True, blank=True, verbose_name=_("agreed amount (fen)")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN, verbose_name=_("status")
    )
    upstream_status = models.CharField(max_length=30, blank=True, verbose_name=_("upstream status"))
    waiting_on = models.CharField(
        max_length=10, choices=WaitingOn.choices, default=WaitingOn.US, verbose_name=_("waiting on")
    )
    seller_answer = models.TextField(blank=True, verbose_name=_("seller's answer"))
    return_address = models.JSONField(default=dict, blank=True, verbose_name=_("return address"))
    return_company_code = models.CharField(
        max_length=30, blank=True, verbose_name=_("return logistics company code")
    )
    return_company_name = models.CharField(
        max_length=60, blank=True, verbose_name=_("return logistics company")
    )
    return_tracking_no = models.CharField(
        max_length=40, blank=True, verbose_name=_("return tracking number")
    )
    # Set in the same transaction that adds agreed_fen to order.refunded_fen: exactly once.
    refund_recorded = models.BooleanField(default=False, verbose_name=_("refund recorded"))
    needs_attention = models.BooleanField(
        default=False, db_index=True, verbose_name=_("needs attention")
    )
    # in the site's language
    attention_reason = models.TextField(blank=True, verbose_name=_("attention reason"))
    # The reason's words (purchasing/phrases.py), said again in each reader's language.
    attention_words = models.JSONField(
        null=True, blank=True, verbose_name=_("attention reason (all languages)")
    )
    failure_reason = models.TextField(blank=True, verbose_name=_("failure reason"))
    submit_lease_until = models.DateTimeField(
        null=True, blank=True, verbose_name=_("submission lease until")
    )
    submit_in_doubt = models.BooleanField(default=False, verbose_name=_("submission in doubt"))
    submit_attempts = models.PositiveIntegerField(default=0, verbose_name=_("submission attempts"))
    # Where a look-up after an unknown create left the case (services/lookup.py): {"state",
    # "candidates": [...], "rejected": [refund ids a person declared not ours]}.
    lookup = models.JSONField(default=dict, blank=True, verbose_name=_("look-up result"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("updated at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    upstream_synced_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("synced with upstream at")
    )
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))

    class Meta:
        verbose_name = _("refund case")
        verbose_name_plural = _("refund cases")
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
    case = models.ForeignKey(
        RefundCase,
        on_delete=models.CASCADE,
        related_name="case_lines",
        verbose_name=_("refund case"),
    )
    line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("order line")
    )
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))

    class Meta:
        verbose_name = _("case line")
        verbose_name_plural = _("case lines")
        constraints = [models.UniqueConstraint(fields=["case", "line"], name="case_line_once")]

    def __str__(self) -> str:
        return f"{self.line.title} × {self.quantity}"


class CaseEvent(AppendOnly):
    """The case's timeline: append-only."""

    case = models.ForeignKey(
        RefundCase, on_delete=models.PROTECT, related_name="events", verbose_name=_("refund case")
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(max_length=150, verbose_name=_("actor name"))
    from_status = models.CharField(max_length=20, blank=True, verbose_name=_("from status"))
    to_status = models.CharField(max_length=20, blank=True, verbose_name=_("to status"))
    kind = models.CharField(max_length=30, default="status", verbose_name=_("kind"))
    # in the site's language, as it was said
    message = models.TextField(blank=True, verbose_name=_("message"))
    # to say it in each reader's (phrases.py)
    words = models.JSONField(null=True, blank=True, verbose_name=_("message (all languages)"))

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return entry_title(self)

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

    case = models.ForeignKey(
        RefundCase, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("refund case")
    )
    file_name = models.CharField(max_length=200, verbose_name=_("file name"))
    content_type = models.CharField(max_length=60, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    file = models.FileField(upload_to=evidence_path, max_length=300, verbose_name=_("file"))
    voucher_id = models.CharField(max_length=64, blank=True, verbose_name=_("upstream voucher id"))
    voucher_url = models.URLField(
        max_length=500, blank=True, verbose_name=_("upstream voucher URL")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.content_type}, {filesizeformat(self.size)})"


class EvidencePack(models.Model):
    """What Caigou already knows about the order, attached to the case with one click: the
    preview the order was approved on, the domestic logistics trace and the seller chat link.
    One per case: attaching again refreshes it in place. `summary` is the short text the seller
    gets once, with the claim's description or the next message, as the upstream allows."""

    case = models.OneToOneField(
        RefundCase, on_delete=models.CASCADE, related_name="pack", verbose_name=_("refund case")
    )
    # {} when no preview was accepted
    preview = models.JSONField(default=dict, blank=True, verbose_name=_("accepted preview"))
    # [{carrier, tracking_no, events}]
    traces = models.JSONField(default=list, blank=True, verbose_name=_("logistics traces"))
    im_link = models.URLField(max_length=1000, blank=True, verbose_name=_("chat link"))
    # what could not be read, as sentences
    problems = models.JSONField(default=list, blank=True, verbose_name=_("problems"))
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    summary_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("summary sent at"))
    # description, message, return
    summary_sent_in = models.CharField(max_length=20, blank=True, verbose_name=_("summary sent in"))
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("attached by"),
    )
    attached_at = models.DateTimeField(default=timezone.now, verbose_name=_("attached at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("evidence pack")
        verbose_name_plural = _("evidence packs")

    def __str__(self) -> str:
        return _("evidence pack of %(case)s") % {"case": self.case.reference}

    @property
    def summary_pending(self) -> bool:
        return bool(self.summary) and self.summary_sent_at is None
