"""Purchase orders, their lines, previews, timeline events and payment attempts.

Money is integer fen (CNY). Every status change goes through `PurchaseOrder.transition()`, which
checks the declared TRANSITIONS and writes an OrderEvent in the same transaction.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchasing import phrases
from purchasing.actors import actor_label, entry_title, person
from purchasing.deadlines import is_reminder
from purchasing.models.goods import Platform
from purchasing.models.timeline import AppendOnly
from purchasing.models.work import Workable
from purchasing.phrases import recorded
from purchasing.signals import order_moved
from purchasing.statuses import OrderStatus, can_move


class IllegalTransition(Exception):
    """A status change the order's life does not allow."""


def new_reference() -> str:
    """Our outer reference: "CG" + date + 10 random hex digits (22 ASCII characters)."""
    return f"CG{timezone.now():%Y%m%d}{secrets.token_hex(5).upper()}"


class Source(models.TextChoices):
    STAFF = "staff", _("Staff")
    CART = "cart", _("Cart")
    STOREFRONT = "storefront", _("Storefront")


class Provider(models.TextChoices):
    PANDAPON = "pandapon", "PandaPon"
    DAJISAAS = "dajisaas", "Dajisaas"


class PurchaseOrder(Workable):
    """One purchase on one platform: ours until submitted, then mirrored from the upstream."""

    reference = models.CharField(
        max_length=32, unique=True, default=new_reference, verbose_name=_("reference")
    )
    platform = models.CharField(max_length=8, choices=Platform.choices, verbose_name=_("platform"))
    provider = models.CharField(max_length=16, choices=Provider.choices, verbose_name=_("provider"))
    source = models.CharField(
        max_length=12, choices=Source.choices, default=Source.STAFF, verbose_name=_("source")
    )
    cart_ids = models.JSONField(default=list, blank=True, verbose_name=_("cart ids"))
    # A part of a draft that one create could not carry (purchasing/splitting.py): the draft it
    # was split from, whose reference its own extends ("…-1", "…-2").
    split_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        verbose_name=_("split from"),
    )
    status = models.CharField(
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.DRAFT,
        db_index=True,
        verbose_name=_("status"),
    )
    needs_attention = models.BooleanField(
        default=False, db_index=True, verbose_name=_("needs attention")
    )
    # In the site's language
    attention_reason = models.TextField(blank=True, verbose_name=_("attention reason"))
    # The reason's words (purchasing/phrases.py), said again in each reader's language.
    attention_words = models.JSONField(
        null=True, blank=True, verbose_name=_("attention reason words")
    )
    failure_reason = models.TextField(blank=True, verbose_name=_("failure reason"))

    # What the upstream knows. A 1688 order across sellers is several upstream orders under
    # our one reference: all their ids are in upstream_order_ids, the first in upstream_order_id.
    upstream_order_id = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("upstream order id")
    )
    upstream_order_ids = models.JSONField(
        default=list, blank=True, verbose_name=_("upstream order ids")
    )
    upstream_order_no = models.CharField(
        max_length=64, blank=True, verbose_name=_("upstream order number")
    )
    upstream_status = models.CharField(max_length=40, blank=True, verbose_name=_("upstream status"))
    # Callbacks' updatedAt
    upstream_updated_ms = models.BigIntegerField(
        null=True, blank=True, verbose_name=_("upstream updated at (ms)")
    )
    # Last read or message
    upstream_synced_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("upstream synced at")
    )
    # What upstream asks now
    upstream_total_fen = models.BigIntegerField(
        null=True, blank=True, verbose_name=_("upstream total (fen)")
    )

    # The create call: a lease while a call may be in flight; in doubt after an unknown outcome.
    create_attempts = models.PositiveIntegerField(default=0, verbose_name=_("create attempts"))
    create_lease_until = models.DateTimeField(
        null=True, blank=True, verbose_name=_("create lease until")
    )
    create_in_doubt = models.BooleanField(default=False, verbose_name=_("create outcome unknown"))
    # After an unknown create outcome: what the look-up found and what a person decided
    # (services/orders/lookup.py and adoption.py): {state, candidates, rejected}.
    adoption = models.JSONField(default=dict, blank=True, verbose_name=_("adoption"))

    seller_id = models.CharField(max_length=64, blank=True, verbose_name=_("seller id"))
    seller_name = models.CharField(max_length=200, blank=True, verbose_name=_("seller name"))
    address = models.JSONField(default=dict, blank=True, verbose_name=_("address"))
    # What the purchaser tells the approver about this order, written on the preview.
    approver_note = models.CharField(
        max_length=500, blank=True, verbose_name=_("note to the approver")
    )

    quoted_goods_fen = models.BigIntegerField(
        default=0, verbose_name=_("quoted goods amount (fen)")
    )
    quoted_freight_fen = models.BigIntegerField(default=0, verbose_name=_("quoted freight (fen)"))
    quoted_discount_fen = models.BigIntegerField(default=0, verbose_name=_("quoted discount (fen)"))
    quoted_total_fen = models.BigIntegerField(default=0, verbose_name=_("quoted total (fen)"))
    # The total a person accepted
    budget_fen = models.BigIntegerField(
        null=True, blank=True, verbose_name=_("accepted total (fen)")
    )
    # What was paid
    actual_fen = models.BigIntegerField(null=True, blank=True, verbose_name=_("paid amount (fen)"))
    refunded_fen = models.BigIntegerField(default=0, verbose_name=_("refunded amount (fen)"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("paid by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="po_status_updated"),
            # The lists' default order (newest first): read from the index, not sorted.
            models.Index(fields=["-created_at", "-id"], name="po_newest_first"),
        ]
        constraints = [
            # The books never show more refunded than paid, whatever a service forgets to check.
            models.CheckConstraint(
                condition=models.Q(refunded_fen__gte=0)
                & (
                    models.Q(actual_fen__isnull=True)
                    | models.Q(refunded_fen__lte=models.F("actual_fen"))
                ),
                name="po_refunded_within_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    def transition(
        self,
        to: str,
        *,
        actor: Any = None,
        actor_label: str = "",
        message: str = "",
        kind: str = "status",
        upstream_request_id: str = "",
        fields: tuple[str, ...] = (),
    ) -> OrderEvent:
        """Move to `to` if the order's life allows it, saving `fields` with it, and write the
        event in the same transaction. Callers hold the row lock (select_for_update)."""
        current = self.status
        if not can_move(current, to):
            raise IllegalTransition(f"{self.reference}: {current} -> {to} is not allowed")
        message, words = recorded(message)
        # A deadline's reminder belongs to the status left behind (paying is what a pay
        # deadline asked for); any other reason to look stays until a person clears it.
        reminded = self.needs_attention and is_reminder(self.attention_words)
        if reminded:
            self.needs_attention, self.attention_reason, self.attention_words = False, "", None
            fields = (*fields, "needs_attention", "attention_reason", "attention_words")
        with transaction.atomic():
            self.status = to
            self.save(update_fields=["status", "updated_at", *fields])
            event = OrderEvent.objects.create(
                order=self,
                actor=_user(actor),
                actor_label=label_for(actor, actor_label),
                from_status=current,
                to_status=to,
                kind=kind,
                message=message[:2000],
                words=words,
                upstream_request_id=upstream_request_id[:64],
            )
            order_moved.send(sender=PurchaseOrder, order=self, event=event)
            if reminded:
                cleared = phrases.gettext("deadline reminder cleared: the order moved on")
                self.note(cleared, kind="attention_cleared")
            return event

    def note(
        self,
        message: str,
        *,
        actor: Any = None,
        actor_label: str = "",
        kind: str = "note",
        upstream_request_id: str = "",
    ) -> OrderEvent:
        """An event without a status change (an attention flag, an upstream refusal...)."""
        message, words = recorded(message)
        event = OrderEvent.objects.create(
            order=self,
            actor=_user(actor),
            actor_label=label_for(actor, actor_label),
            from_status=self.status,
            to_status=self.status,
            kind=kind,
            message=message[:2000],
            words=words,
            upstream_request_id=upstream_request_id[:64],
        )
        order_moved.send(sender=PurchaseOrder, order=self, event=event)
        return event

    @property
    def upstream_ids(self) -> list[str]:
        return list(
            self.upstream_order_ids or ([self.upstream_order_id] if self.upstream_order_id else [])
        )

    @property
    def pay_waits_until(self) -> datetime | None:
        """Until when a pay call whose answer was lost may still land (no pay call before), or
        None. One query: the order page asks it only while the order is paying."""
        attempt = self.payments.filter(status="unknown", lease_until__gt=timezone.now()).first()
        return attempt.lease_until if attempt else None

    @property
    def create_may_still_land(self) -> bool:
        """A create whose answer was lost is under its lease: it may still land upstream, so
        only our reference settles it before the lease runs out (services/orders/submit.py)."""
        leased = self.create_lease_until and self.create_lease_until > timezone.now()
        return bool(self.create_in_doubt and leased and not self.upstream_ids)


def _user(actor: Any) -> Any:
    return person(actor)


def label_for(actor: Any, label: str = "") -> str:
    """An explicit label (upstream, warehouse...), else the actor's (purchasing.actors)."""
    return label or actor_label(actor)


class OrderEvent(AppendOnly):
    """The order's timeline: append-only (DESIGN.md, rule 6)."""

    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("purchase order"),
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
    # System, upstream, storefront, a username
    actor_label = models.CharField(max_length=150, verbose_name=_("actor label"))
    from_status = models.CharField(max_length=20, blank=True, verbose_name=_("from status"))
    to_status = models.CharField(max_length=20, blank=True, verbose_name=_("to status"))
    kind = models.CharField(max_length=30, default="status", verbose_name=_("kind"))
    # In the site's language, as it was said
    message = models.TextField(blank=True, verbose_name=_("message"))
    # The message's words (purchasing/phrases.py), to say it again in each reader's language.
    words = models.JSONField(null=True, blank=True, verbose_name=_("message words"))
    upstream_request_id = models.CharField(
        max_length=64, blank=True, verbose_name=_("upstream request id")
    )

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return entry_title(self)
