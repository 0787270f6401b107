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
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchasing.actors import actor_label, person
from purchasing.models.goods import Platform, Product, Sku
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

    reference = models.CharField(max_length=32, unique=True, default=new_reference)
    platform = models.CharField(max_length=8, choices=Platform.choices)
    provider = models.CharField(max_length=16, choices=Provider.choices)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.STAFF)
    cart_ids = models.JSONField(default=list, blank=True)
    # A part of a draft that one create could not carry (purchasing/splitting.py): the draft it
    # was split from, whose reference its own extends ("…-1", "…-2").
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts"
    )
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT, db_index=True
    )
    needs_attention = models.BooleanField(default=False, db_index=True)
    attention_reason = models.TextField(blank=True)  # in the site's language
    # The reason's words (purchasing/phrases.py), said again in each reader's language.
    attention_words = models.JSONField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    # What the upstream knows. A 1688 order across sellers is several upstream orders under
    # our one reference: all their ids are in upstream_order_ids, the first in upstream_order_id.
    upstream_order_id = models.CharField(max_length=64, blank=True, db_index=True)
    upstream_order_ids = models.JSONField(default=list, blank=True)
    upstream_order_no = models.CharField(max_length=64, blank=True)
    upstream_status = models.CharField(max_length=40, blank=True)
    upstream_updated_ms = models.BigIntegerField(null=True, blank=True)  # callbacks' updatedAt
    upstream_synced_at = models.DateTimeField(null=True, blank=True)  # last read or message
    upstream_total_fen = models.BigIntegerField(null=True, blank=True)  # what upstream asks now

    # The create call: a lease while a call may be in flight; in doubt after an unknown outcome.
    create_attempts = models.PositiveIntegerField(default=0)
    create_lease_until = models.DateTimeField(null=True, blank=True)
    create_in_doubt = models.BooleanField(default=False)
    # After an unknown create outcome: what the look-up found and what a person decided
    # (services/orders/lookup.py and adoption.py): {state, candidates, rejected}.
    adoption = models.JSONField(default=dict, blank=True)

    seller_id = models.CharField(max_length=64, blank=True)
    seller_name = models.CharField(max_length=200, blank=True)
    address = models.JSONField(default=dict, blank=True)
    # What the purchaser tells the approver about this order, written on the preview.
    approver_note = models.CharField(max_length=500, blank=True)

    quoted_goods_fen = models.BigIntegerField(default=0)
    quoted_freight_fen = models.BigIntegerField(default=0)
    quoted_discount_fen = models.BigIntegerField(default=0)
    quoted_total_fen = models.BigIntegerField(default=0)
    budget_fen = models.BigIntegerField(null=True, blank=True)  # the total a person accepted
    actual_fen = models.BigIntegerField(null=True, blank=True)  # what was paid
    refunded_fen = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default="CNY")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
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


# The line's columns the order search reads: titles, the seller, the ids, the variant's words.
SEARCHED = ("title", "title_en", "seller_name", "item_id", "sku_id", "spec_id", "variant")


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    # Our goods cache, when the line's item is in it (sku_id below is the upstream's id).
    cached_product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cached_sku = models.ForeignKey(
        Sku, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    line_no = models.PositiveIntegerField(default=1)
    item_id = models.CharField(max_length=64)
    sku_id = models.CharField(max_length=32, blank=True)
    spec_id = models.CharField(max_length=64, blank=True)
    mp_id = models.CharField(max_length=32, blank=True)
    mp_sku_id = models.CharField(max_length=32, blank=True)
    seller_id = models.CharField(max_length=64, blank=True)
    seller_name = models.CharField(max_length=200, blank=True)
    cart_id = models.CharField(max_length=32, blank=True)
    title = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    properties = models.JSONField(default=list, blank=True)
    variant = models.CharField(max_length=300, blank=True)  # the properties in words (variants.py)
    picture = models.URLField(max_length=500, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price_fen = models.BigIntegerField(default=0)
    amount_fen = models.BigIntegerField(default=0)
    upstream_order_id = models.CharField(max_length=64, blank=True)
    upstream_sub_order_id = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=40, blank=True)  # the upstream's line status, raw
    aftersales_status = models.CharField(max_length=40, blank=True)  # from refund messages
    tracking_company = models.CharField(max_length=60, blank=True)
    tracking_no = models.CharField(max_length=60, blank=True)
    # What the order search matches (selectors/search.py), kept by the database itself so that
    # no way of writing a line can leave it stale. On PostgreSQL a trigram index covers it
    # (migration 0014).
    search_text = models.GeneratedField(
        expression=Concat(
            *(part for name in SEARCHED for part in (models.F(name), models.Value(" "))),
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["order", "line_no"]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.sku_id or self.spec_id} x{self.quantity}"


class OrderPreview(models.Model):
    """One upstream preview of an order, kept whole; a person accepts it before anything is
    created (DESIGN.md, rule 1)."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="previews")
    response = models.JSONField(default=list)  # the upstream's preview, raw, per seller
    sellers = models.JSONField(default=list)  # [{seller_id, lines, goods, freight, total, ...}]
    goods_fen = models.BigIntegerField(default=0)
    freight_fen = models.BigIntegerField(default=0)
    discount_fen = models.BigIntegerField(default=0)
    total_fen = models.BigIntegerField(default=0)
    unavailable = models.JSONField(default=list)  # [{item_id, sku_id, reason}]
    differences = models.JSONField(default=list)  # against what the cart or order showed
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"preview of {self.order_id}: ¥{self.total_fen / 100:,.2f}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class OrderEvent(AppendOnly):
    """The order's timeline: append-only (DESIGN.md, rule 6)."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)  # system, upstream, storefront, a username
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=30, default="status")
    message = models.TextField(blank=True)  # in the site's language, as it was said
    # The message's words (purchasing/phrases.py), to say it again in each reader's language.
    words = models.JSONField(null=True, blank=True)
    upstream_request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.from_status}->{self.to_status}"


class PaymentAttempt(models.Model):
    """One pay call for one order, committed before the call (DESIGN.md, rule 2)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")  # committed; the call is about to be, or being, made
        SUCCEEDED = "succeeded", _("Succeeded")  # the upstream has the money
        FAILED = "failed", _("Failed")  # the upstream refused, or said the order is unpaid
        UNKNOWN = "unknown", _("Unknown")  # the call may have paid: read the order before anything

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="payments")
    key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    amount_fen = models.BigIntegerField(default=0)
    operation = models.CharField(max_length=60, blank=True)
    upstream_request_id = models.CharField(max_length=64, blank=True)
    pay_url = models.URLField(max_length=1000, blank=True)
    error = models.TextField(blank=True)  # in the site's language; its words are kept too
    error_words = models.JSONField(null=True, blank=True)  # purchasing/phrases.py
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lease_until = models.DateTimeField(null=True, blank=True)  # a call may be in flight
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # At most one payment may be under way or done per order.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status__in=["pending", "succeeded", "unknown"]),
                name="one_live_payment_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.status}"

    @property
    def may_still_land(self) -> bool:
        """Its call's lease has not run out: the call may still be worked on upstream, so the
        order is not paid again yet, whatever a read says (upstream-api.md 6.4)."""
        return bool(self.lease_until and self.lease_until > timezone.now())

    def keep_error(self, why: str) -> None:
        """What befell the attempt, kept in the site's language with its words, so that each
        reader reads it in theirs (the caller saves `error` and `error_words`)."""
        text, self.error_words = recorded(why)
        self.error = text[:2000]
