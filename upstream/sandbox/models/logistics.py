"""Sandbox addresses, freight renders and international logistics orders (bookings)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

__all__ = ["Address", "Booking", "FreightRender"]


class Address(models.Model):
    """An entry of an account's address book (foundations API)."""

    user_id = models.CharField(max_length=64)
    address_id = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=50)
    phone = models.CharField(max_length=20)
    province = models.CharField(max_length=50)
    city = models.CharField(max_length=50)
    district = models.CharField(max_length=50, blank=True)
    address = models.CharField(max_length=200)
    postcode = models.CharField(max_length=12, blank=True)
    country = models.CharField(max_length=2, default="CN")
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user_id"])]

    def __str__(self) -> str:
        return f"address {self.address_id} of {self.user_id}"


class FreightRender(models.Model):
    """A priced set of items for one destination; a booking must name a live render."""

    render_id = models.CharField(max_length=40, unique=True)
    user_id = models.CharField(max_length=64)
    country = models.CharField(max_length=2)
    receiver = models.JSONField(default=dict)
    items = models.JSONField(default=list)  # [{itemId, skuId, quantity, weightG}]
    quotes = models.JSONField(default=list)  # the freight payloads answered
    selected_service_id = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"render {self.render_id}"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    def quote(self, service_id: str) -> dict | None:
        return next((q for q in self.quotes if q.get("serviceId") == service_id), None)


class Booking(models.Model):
    """An international logistics order: one parcel from the warehouse to the customer.

    Never deduplicated: a second booking with the same `outer_ref` (clientRequestId) is made.
    """

    class Status(models.TextChoices):
        CREATED = "created"  # booked; waiting for the warehouse to hand it over
        PICKED = "picked"  # collected by the carrier at the warehouse
        IN_TRANSIT = "in_transit"  # left China
        DELIVERED = "delivered"  # signed for by the receiver (final)

    NEXT = {
        Status.CREATED: Status.PICKED,
        Status.PICKED: Status.IN_TRANSIT,
        Status.IN_TRANSIT: Status.DELIVERED,
    }

    booking_id = models.CharField(max_length=32, unique=True)
    user_id = models.CharField(max_length=64)
    outer_ref = models.CharField(max_length=100, blank=True, db_index=True)
    # As Order.ref_ignored: the books keep `outer_ref`; no answer or query uses it.
    ref_ignored = models.BooleanField(default=False)
    render = models.ForeignKey(FreightRender, on_delete=models.CASCADE, related_name="bookings")
    service_id = models.CharField(max_length=20)
    service_name = models.CharField(max_length=60)
    company_name = models.CharField(max_length=60)
    receiver = models.JSONField(default=dict)
    line_items = models.JSONField(default=list)
    tmall_order_id = models.CharField(max_length=32, blank=True)
    remark = models.CharField(max_length=500, blank=True)
    weight_g = models.PositiveIntegerField()
    chargeable_weight_g = models.PositiveIntegerField()
    freight_fen = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CREATED)
    tracking_no = models.CharField(max_length=40)
    events = models.JSONField(default=list)  # [{time, status, description, location}], oldest first
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user_id", "status"])]

    def __str__(self) -> str:
        return f"booking {self.booking_id} ({self.status})"
