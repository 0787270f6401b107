"""Tiered approval: the rules kept in the admin, what an order was asked for when it was
confirmed, and one row per approval given.

Money is integer fen; the admin form takes yuan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from purchasing.models.orders import PurchaseOrder


class ApprovalRule(models.Model):
    """One rule an order is checked against when its purchaser confirms it. Rules add to the
    site's threshold and the purchaser's own limit (which still ask for one approval): an order
    needs the largest count any rule asks for."""

    class Kind(models.TextChoices):
        # The order's total is at least `min_total_fen`.
        AMOUNT = "amount", _("Amount band")
        # A storefront order whose margin (what the customer paid minus the landed cost) is
        # below `margin_floor_fen`.
        MARGIN = "margin", _("Margin floor")
        # A seller nobody on the team paid an order to before `seller_days` ago.
        NEW_SELLER = "new_seller", _("New seller")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    active = models.BooleanField(_("active"), default=True)
    min_total_fen = models.BigIntegerField(_("from total"), null=True, blank=True)
    margin_floor_fen = models.BigIntegerField(_("margin floor"), null=True, blank=True)
    seller_days = models.PositiveIntegerField(_("seller new within (days)"), null=True, blank=True)
    approvals_needed = models.PositiveSmallIntegerField(_("approvals needed"), default=1)

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["kind", "min_total_fen", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approvals_needed__gte=1), name="approval_rule_needs_one"
            ),
            # Each kind carries the one number it is about.
            models.CheckConstraint(
                condition=~models.Q(kind="amount") | models.Q(min_total_fen__gte=0),
                name="approval_rule_amount_has_band",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="margin") | models.Q(margin_floor_fen__isnull=False),
                name="approval_rule_margin_has_floor",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="new_seller") | models.Q(seller_days__gte=1),
                name="approval_rule_seller_has_days",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalRequest(models.Model):
    """What an order was asked for when it went to the approvers: how many approvals and why
    (one per confirmation; a rejected order confirmed again gets a new one, and the approvals
    of the old one no longer count)."""

    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.CASCADE,
        related_name="approval_requests",
        verbose_name=_("purchase order"),
    )
    needed = models.PositiveSmallIntegerField(verbose_name=_("approvals needed"))
    # Why, as data rendered in words on the pages (selectors.approval.reason_text): a list of
    # {"kind", "rule", "needed", and the amounts (fen) or days the rule compared}.
    reasons = models.JSONField(default=list, verbose_name=_("reasons"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(needed__gte=1), name="approval_request_one"),
        ]

    def __str__(self) -> str:
        return _("%(order)s: approvals needed %(count)s") % {
            "order": self.order.reference,
            "count": self.needed,
        }


class OrderApproval(models.Model):
    """One approver's approval of an order under one request."""

    request = models.ForeignKey(
        ApprovalRequest,
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("approval request"),
    )
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("purchase order"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approver"),
    )
    # The order's purchaser, copied so the database itself refuses a self-approval.
    purchaser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("purchaser"),
    )
    comment = models.CharField(max_length=500, blank=True, verbose_name=_("comment"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("order approval")
        verbose_name_plural = _("order approvals")
        ordering = ["created_at", "pk"]
        constraints = [
            # Nobody approves twice what they were asked once, whatever a double click does.
            models.UniqueConstraint(fields=["request", "approver"], name="approval_once"),
            models.CheckConstraint(
                condition=~models.Q(approver=models.F("purchaser")), name="approval_not_own"
            ),
        ]

    def __str__(self) -> str:
        return _("%(order)s approved by %(approver)s") % {
            "order": self.order.reference,
            "approver": self.approver,
        }
