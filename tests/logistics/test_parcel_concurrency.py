"""Parcels double-clicked: against the live sandbox, two clicks at the same moment make one
parcel of the lines and book it once, and the second click is told why in words."""

from __future__ import annotations

import pytest
from django.db import connection

from logistics.models import Parcel, ParcelLine
from logistics.services import (
    Customs,
    LogisticsError,
    freight_estimate,
    parcel_book,
    parcel_create,
)
from tests.concurrency import at_once
from tests.logistics.conftest import at_warehouse
from upstream.sandbox.models import Booking as SandboxBooking

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a double click needs PostgreSQL's row locks (set DATABASE_URL)",
)
CUSTOMS = Customs(declared_value_fen=5000, description="plastic storage boxes (3924.90)")


def test_a_parcel_made_twice_at_once_is_made_once(live, people, customer):
    order = at_warehouse(people)
    lines = list(order.lines.all())
    service = freight_estimate(items=lines, destination=customer).cheapest.service_id
    refusals: list[str] = []

    def make() -> None:
        try:
            parcel_create(
                lines=lines,
                address=customer,
                service=service,
                customs=CUSTOMS,
                actor=people.purchaser,
            )
        except LogisticsError as exc:
            refusals.append(str(exc))
            raise

    assert at_once(make, refusal=LogisticsError) == ["done", "refused"]

    assert Parcel.objects.count() == 1
    assert ParcelLine.objects.filter(active=True).count() == len(lines)
    parcel = Parcel.objects.get()
    assert refusals == [
        f"already in a parcel: line 1 of order {order.reference} (in {parcel.reference})"
    ]


def test_a_parcel_booked_twice_at_once_is_booked_once(live, people, customer):
    order = at_warehouse(people)
    lines = list(order.lines.all())
    service = freight_estimate(items=lines, destination=customer).cheapest.service_id
    parcel = parcel_create(
        lines=lines, address=customer, service=service, customs=CUSTOMS, actor=people.purchaser
    )

    assert at_once(lambda: parcel_book(parcel=parcel, actor=people.purchaser)) == ["done", "done"]

    parcel.refresh_from_db()
    assert parcel.booking_id
    assert SandboxBooking.objects.filter(outer_ref=parcel.reference).count() == 1
    assert parcel.events.filter(from_status="draft", to_status="booking").count() == 1
