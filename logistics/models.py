"""Addresses, parcels (international logistics orders) and their timelines.

Money is integer fen. A parcel's status moves only through `Parcel.transition()`, which checks
TRANSITIONS and writes a ParcelEvent in the same transaction.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchasing.models import PurchaseOrderLine
from purchasing.models.orders import label_for
from purchasing.models.timeline import AppendOnly
from purchasing.phrases import recorded


class IllegalParcelTransition(Exception):
    """A status change the parcel's life does not allow."""


def new_parcel_reference() -> str:
    """Our clientRequestId: "CP" + date + 10 random hex digits."""
    return f"CP{timezone.now():%Y%m%d}{secrets.token_hex(5).upper()}"


class Address(models.Model):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("Warehouse")  # where sellers send goods, in China
        CUSTOMER = "customer", _("Customer")  # where a parcel goes abroad

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CUSTOMER)
    name = models.CharField(max_length=50)
    phone = models.CharField(max_length=24)
    country = models.CharField(max_length=2)  # ISO 3166-1 alpha-2
    province = models.CharField(max_length=50, blank=True)  # province or state
    city = models.CharField(max_length=50)
    district = models.CharField(max_length=50, blank=True)
    address = models.CharField(max_length=200)  # street address
    postcode = models.CharField(max_length=12, blank=True)
    tax_id = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    upstream_address_id = models.CharField(max_length=64, blank=True)
    upstream_synced_at = models.DateTimeField(null=True, blank=True)
    is_default_warehouse = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default_warehouse"],
                condition=models.Q(is_default_warehouse=True),
                name="one_default_warehouse_address",
            ),
            models.UniqueConstraint(
                fields=["upstream_address_id"],
                condition=~models.Q(upstream_address_id=""),
                name="unique_upstream_address_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city} {self.country}"


class ParcelStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # lines, service and customs chosen; nothing booked
    BOOKING = "booking", _("Booking")  # reference committed; the booking task is under way
    BOOKED = "booked", _("Booked")  # the warehouse has the international logistics order
    IN_TRANSIT = "in_transit", _("In transit")  # picked up / left China
    DELIVERED = "delivered", _("Delivered")  # the customer signed for it
    CANCELLED = "cancelled", _("Cancelled")  # given up before booking; its lines are free again
    FAILED = "failed", _("Failed")  # the upstream refused the booking for good


PARCEL_TRANSITIONS: dict[str, frozenset[str]] = {
    ParcelStatus.DRAFT: frozenset({ParcelStatus.BOOKING, ParcelStatus.CANCELLED}),
    ParcelStatus.BOOKING: frozenset(
        {
            ParcelStatus.BOOKED,
            ParcelStatus.IN_TRANSIT,
            ParcelStatus.DELIVERED,
            ParcelStatus.DRAFT,
            ParcelStatus.FAILED,
        }
    ),
    ParcelStatus.BOOKED: frozenset({ParcelStatus.IN_TRANSIT, ParcelStatus.DELIVERED}),
    ParcelStatus.IN_TRANSIT: frozenset({ParcelStatus.DELIVERED}),
    ParcelStatus.DELIVERED: frozenset(),
    ParcelStatus.CANCELLED: frozenset(),
    ParcelStatus.FAILED: frozenset({ParcelStatus.CANCELLED}),
}


class Parcel(models.Model):
    """One international logistics order from the warehouse to one customer address."""

    reference = models.CharField(max_length=32, unique=True, default=new_parcel_reference)
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="parcels")
    lines = models.ManyToManyField(
        PurchaseOrderLine, through="ParcelLine", related_name="parcels", blank=True
    )
    status = models.CharField(
        max_length=12, choices=ParcelStatus.choices, default=ParcelStatus.DRAFT, db_index=True
    )
    country = models.CharField(max_length=2, db_index=True)  # the destination, from the address

    service_id = models.CharField(max_length=64)
    service_name = models.CharField(max_length=120, blank=True)
    render_id = models.CharField(max_length=64, blank=True)
    render_expires_at = models.DateTimeField(null=True, blank=True)
    quoted_freight_fen = models.BigIntegerField(default=0)  # what a person accepted
    freight_fen = models.BigIntegerField(null=True, blank=True)  # what the booking charged

    declared_value_fen = models.BigIntegerField(default=0)
    customs_description = models.CharField(max_length=200)
    tax_id = models.CharField(max_length=40, blank=True)

    booking_id = models.CharField(max_length=64, blank=True)
    tracking_no = models.CharField(max_length=64, blank=True)
    upstream_status = models.CharField(max_length=20, blank=True)
    # The booking call: a lease while it may be in flight; in doubt after an unknown outcome.
    booking_attempts = models.PositiveIntegerField(default=0)
    booking_lease_until = models.DateTimeField(null=True, blank=True)
    booking_in_doubt = models.BooleanField(default=False)
    failure_reason = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tracked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking_id"],
                condition=~models.Q(booking_id=""),
                name="unique_parcel_booking_id",
            )
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
        upstream_request_id: str = "",
        fields: tuple[str, ...] = (),
    ) -> ParcelEvent:
        """Move to `to` if allowed, saving `fields` with it, and write the event. Callers hold
        the row lock."""
        current = self.status
        if to not in PARCEL_TRANSITIONS.get(current, frozenset()):
            raise IllegalParcelTransition(f"{self.reference}: {current} -> {to} is not allowed")
        with transaction.atomic():
            self.status = to
            self.save(update_fields=["status", "updated_at", *fields])
            if to == ParcelStatus.CANCELLED:
                # A cancelled parcel frees its lines for another parcel.
                self.parcel_lines.update(active=False)
            return self.note(
                message,
                actor=actor,
                actor_label=actor_label,
                kind="status",
                from_status=current,
                upstream_request_id=upstream_request_id,
            )

    def note(
        self,
        message: str,
        *,
        actor: Any = None,
        actor_label: str = "",
        kind: str = "note",
        from_status: str | None = None,
        upstream_request_id: str = "",
        location: str = "",
        happened_at: str = "",
    ) -> ParcelEvent:
        message, words = recorded(message)
        return ParcelEvent.objects.create(
            parcel=self,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=label_for(actor, actor_label),
            from_status=self.status if from_status is None else from_status,
            to_status=self.status,
            kind=kind,
            message=message[:2000],
            words=words,
            upstream_request_id=upstream_request_id[:64],
            location=location[:120],
            happened_at=happened_at[:32],
        )


class ParcelLine(models.Model):
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="parcel_lines")
    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)  # False once the parcel is cancelled

    class Meta:
        constraints = [
            # A line travels in one parcel at a time.
            models.UniqueConstraint(
                fields=["line"], condition=models.Q(active=True), name="one_active_parcel_per_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parcel_id}: line {self.line_id}"


class ParcelEvent(AppendOnly):
    """The parcel's timeline (append-only): status changes, notes and upstream tracking events."""

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    kind = models.CharField(max_length=30, default="status")  # status, note, tracking, booking...
    message = models.TextField(blank=True)  # in the site's language, as it was said
    words = models.JSONField(null=True, blank=True)  # to say it in each reader's (phrases.py)
    upstream_request_id = models.CharField(max_length=64, blank=True)
    location = models.CharField(max_length=120, blank=True)  # tracking events
    happened_at = models.CharField(max_length=32, blank=True)  # tracking time, as upstream says

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.parcel_id} {self.kind} {self.from_status}->{self.to_status}"
