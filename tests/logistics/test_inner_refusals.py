"""A booking and an address save refused inside a `code 200` answer: the parcel is not booked,
the address is not marked synced, and the person reads the upstream's words. The upstream is a
stubbed HTTP edge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from logistics.models import Address, Parcel, ParcelStatus
from logistics.services.addresses import address_save
from logistics.services.booking import parcel_book_upstream
from logistics.services.common import LogisticsError
from tests.logistics.conftest import CUSTOMER

pytestmark = pytest.mark.django_db


def booking(customer: Address) -> Parcel:
    """A parcel whose booking task is due, with a render that still holds."""
    return Parcel.objects.create(
        address=customer,
        status=ParcelStatus.BOOKING,
        country="US",
        service_id="1",
        render_id="FF2024080200007",
        render_expires_at=timezone.now() + timedelta(minutes=30),
        quoted_freight_fen=12_000,
        customs_description="clothes",
    )


def test_a_booking_refused_inside_the_envelope_books_nothing(edge, customer):
    parcel = booking(customer)
    refused = {"success": False, "errorCode": "SERVICE_CLOSED", "errorMsg": "线路已停运"}
    edge.answer("logistics_order_booking", refused)

    parcel_book_upstream(parcel_id=parcel.pk)

    parcel.refresh_from_db()
    assert parcel.booking_id == "" and parcel.tracking_no == ""
    assert parcel.status == ParcelStatus.FAILED
    assert "线路已停运" in parcel.failure_reason


def test_an_address_save_answered_false_is_not_marked_synced(edge, people):
    edge.answer("address_add_or_update", False, msg="地址不合法")

    with pytest.raises(LogisticsError, match="the upstream refused it: 地址不合法"):
        address_save(data=dict(CUSTOMER), actor=people.purchaser)

    address = Address.objects.get(name=CUSTOMER["name"])
    assert address.upstream_address_id == "" and address.upstream_synced_at is None
    assert edge.calls("address_get") == []  # no look-up for an id that was never made
