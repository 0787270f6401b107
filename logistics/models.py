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

from purchasing.actors import entry_title
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

    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.CUSTOMER, verbose_name=_("kind")
    )
    name = models.CharField(max_length=50, verbose_name=_("name"))
    phone = models.CharField(max_length=24, verbose_name=_("phone"))
    country = models.CharField(max_length=2, verbose_name=_("country"))  # ISO 3166-1 alpha-2
    province = models.CharField(max_length=50, blank=True, verbose_name=_("province or state"))
    city = models.CharField(max_length=50, verbose_name=_("city"))
    district = models.CharField(max_length=50, blank=True, verbose_name=_("district"))
    address = models.CharField(max_length=200, verbose_name=_("street address"))  # street address
    postcode = models.CharField(max_length=12, blank=True, verbose_name=_("postcode"))
    tax_id = models.CharField(max_length=40, blank=True, verbose_name=_("tax id"))
    email = models.EmailField(blank=True, verbose_name=_("email"))
    upstream_address_id = models.CharField(
        max_length=64, blank=True, verbose_name=_("upstream address id")
    )
    upstream_synced_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("synced with upstream at")
    )
    is_default_warehouse = models.BooleanField(default=False, verbose_name=_("default warehouse"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
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

    reference = models.CharField(
        max_length=32, unique=True, default=new_parcel_reference, verbose_name=_("our reference")
    )
    address = models.ForeignKey(
        Address, on_delete=models.PROTECT, related_name="parcels", verbose_name=_("address")
    )
    lines = models.ManyToManyField(
        PurchaseOrderLine,
        through="ParcelLine",
        related_name="parcels",
        blank=True,
        verbose_name=_("order lines"),
    )
    status = models.CharField(
        max_length=12,
        choices=ParcelStatus.choices,
        default=ParcelStatus.DRAFT,
        db_index=True,
        verbose_name=_("status"),
    )
    # the destination, from the address
    country = models.CharField(max_length=2, db_index=True, verbose_name=_("destination country"))

    service_id = models.CharField(max_length=64, verbose_name=_("service id"))
    service_name = models.CharField(max_length=120, blank=True, verbose_name=_("service name"))
    render_id = models.CharField(max_length=64, blank=True, verbose_name=_("quote id"))
    render_expires_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("quote expires at")
    )
    # what a person accepted
    quoted_freight_fen = models.BigIntegerField(default=0, verbose_name=_("quoted freight (fen)"))
    # what the booking charged
    freight_fen = models.BigIntegerField(null=True, blank=True, verbose_name=_("freight (fen)"))

    declared_value_fen = models.BigIntegerField(default=0, verbose_name=_("declared value (fen)"))
    customs_description = models.CharField(max_length=200, verbose_name=_("customs description"))
    tax_id = models.CharField(max_length=40, blank=True, verbose_name=_("tax id"))

    booking_id = models.CharField(max_length=64, blank=True, verbose_name=_("booking id"))
    tracking_no = models.CharField(max_length=64, blank=True, verbose_name=_("tracking number"))
    upstream_status = models.CharField(max_length=20, blank=True, verbose_name=_("upstream status"))
    # The booking call: a lease while it may be in flight; in doubt after an unknown outcome.
    booking_attempts = models.PositiveIntegerField(default=0, verbose_name=_("booking attempts"))
    booking_lease_until = models.DateTimeField(
        null=True, blank=True, verbose_name=_("booking lease until")
    )
    booking_in_doubt = models.BooleanField(default=False, verbose_name=_("booking in doubt"))
    failure_reason = models.TextField(blank=True, verbose_name=_("failure reason"))

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    tracked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last tracked at"))

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
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
    parcel = models.ForeignKey(
        Parcel, on_delete=models.CASCADE, related_name="parcel_lines", verbose_name=_("parcel")
    )
    line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("order line")
    )
    # False once the parcel is cancelled
    active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        verbose_name = _("parcel line")
        verbose_name_plural = _("parcel lines")
        constraints = [
            # A line travels in one parcel at a time.
            models.UniqueConstraint(
                fields=["line"], condition=models.Q(active=True), name="one_active_parcel_per_line"
            )
        ]

    def __str__(self) -> str:
        return str(self.line)


class ParcelEvent(AppendOnly):
    """The parcel's timeline (append-only): status changes, notes and upstream tracking events."""

    parcel = models.ForeignKey(
        Parcel, on_delete=models.CASCADE, related_name="events", verbose_name=_("parcel")
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
    from_status = models.CharField(max_length=12, blank=True, verbose_name=_("from status"))
    to_status = models.CharField(max_length=12, blank=True, verbose_name=_("to status"))
    # status, note, tracking, booking...
    kind = models.CharField(max_length=30, default="status", verbose_name=_("kind"))
    # in the site's language, as it was said
    message = models.TextField(blank=True, verbose_name=_("message"))
    # to say it in each reader's (phrases.py)
    words = models.JSONField(null=True, blank=True, verbose_name=_("message (all languages)"))
    upstream_request_id = models.CharField(
        max_length=64, blank=True, verbose_name=_("upstream request id")
    )
    # tracking events
    location = models.CharField(max_length=120, blank=True, verbose_name=_("location"))
    # tracking time, as upstream says
    happened_at = models.CharField(max_length=32, blank=True, verbose_name=_("happened at"))

    class Meta:
        verbose_name = _("parcel event")
        verbose_name_plural = _("parcel events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return entry_title(self)
