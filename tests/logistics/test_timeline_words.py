"""The timeline entries the logistics flows write are stored as words (purchasing/phrases.py),
so each reader reads them in their own language; upstream tracking texts stay as written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from logistics.models import Parcel, ParcelStatus
from logistics.services import (
    Customs,
    freight_estimate,
    line_domestic_update,
    parcel_book,
    parcel_cancel,
    parcel_create,
    parcel_refresh,
)
from logistics.services.arrivals import order_arrival_check
from purchasing.models import OrderEvent
from purchasing.money import format_cny
from purchasing.phrases import said
from purchasing.services.orders.lifecycle import order_refresh
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.logistics.conftest import at_warehouse, submitted_order
from tests.words import said_in_english
from upstream.sandbox.models import Fault

CUSTOMS = Customs(declared_value_fen=5000, description="plastic storage boxes (3924.90)")


def _parcel(people, customer, order) -> Parcel:
    lines = list(order.lines.all())
    return parcel_create(
        lines=lines,
        address=customer,
        service=freight_estimate(items=lines, destination=customer).cheapest.service_id,
        customs=CUSTOMS,
        actor=people.purchaser,
    )


def test_a_booked_and_tracked_parcel_writes_words_on_both_timelines(live, people, customer):
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)

    parcel_book(parcel=parcel, actor=people.purchaser)  # the booking task runs (eager)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED
    events = list(parcel.events.all())
    assert all(said_in_english(event) == event.message for event in events)
    english = [said_in_english(event) for event in events]
    assert f"booking as {parcel.reference}" in english
    assert "booking upstream (attempt 1)" in english
    assert f"booked upstream: booking {parcel.booking_id}, tracking {parcel.tracking_no}" in english
    assert said_in_english(parcel.events.get(kind="status", to_status=ParcelStatus.BOOKED)) == (
        "booked upstream"
    )
    dispatched = OrderEvent.objects.get(order=order, to_status=OrderStatus.DISPATCHED)
    assert said_in_english(dispatched) == f"dispatched in parcel {parcel.reference}"

    live.control("tick")  # picked up
    live.control("tick")  # in transit
    live.control("tick")  # delivered
    parcel_refresh(parcel_id=parcel.pk)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.DELIVERED
    delivered = parcel.events.get(kind="status", to_status=ParcelStatus.DELIVERED)
    assert said_in_english(delivered) == f"tracking: {parcel.upstream_status}"
    # The carrier's own words are the upstream's text, not ours to translate.
    tracking = parcel.events.filter(kind="tracking")
    assert tracking.exists() and all(event.words is None for event in tracking)
    order_delivered = OrderEvent.objects.get(order=order, to_status=OrderStatus.DELIVERED)
    assert said_in_english(order_delivered) == f"delivered in parcel {parcel.reference}"


def test_a_dropped_booking_answer_is_found_again_in_words(live, people, customer):
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    Fault.objects.create(
        path="/open/pp/logistics/orderBookingFreight", mode="drop_response", count=1
    )

    parcel_book(parcel=parcel, actor=people.purchaser)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED
    unknown = parcel.events.get(kind="booking_unknown")
    assert said_in_english(unknown) == unknown.message
    # the broken connection in Caigou's words (its code and call are in the journal)
    assert unknown.message.startswith(
        "booking outcome unknown (the connection to the upstream broke)"
    )
    with translation.override("zh-hans"):
        assert "与上游的连接中断" in said(unknown.words)
    booked = parcel.events.get(kind="booked")
    assert said_in_english(booked) == (
        f"found upstream by our reference: booking {parcel.booking_id}, "
        f"tracking {parcel.tracking_no}"
    )
    assert booked.words["values"]["how"]["msgid"] == "found upstream by our reference"


def test_a_moved_freight_sends_the_parcel_back_in_words(live, people, customer):
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    # The render expired and the freight accepted is far from today's: a person decides again.
    Parcel.objects.filter(pk=parcel.pk).update(
        quoted_freight_fen=1, render_expires_at=timezone.now() - timedelta(minutes=1)
    )

    parcel_book(parcel=parcel, actor=people.purchaser)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.DRAFT
    back = parcel.events.get(kind="status", to_status=ParcelStatus.DRAFT)
    assert said_in_english(back) == back.message
    assert back.message.startswith(f"freight moved: {parcel.service_name} now ")
    assert back.message.endswith(f", accepted {format_cny(1)}; confirm the parcel again")
    assert back.words["values"]["price"]["msgid"] == "now %(price)s"


def test_a_cancelled_parcel_says_so_in_words_and_keeps_a_persons_reason(live, people, customer):
    order = at_warehouse(people)
    parcel = parcel_cancel(parcel=_parcel(people, customer, order), actor=people.purchaser)
    assert said_in_english(parcel.events.get(to_status=ParcelStatus.CANCELLED)) == "cancelled"

    again = parcel_cancel(
        parcel=_parcel(people, customer, order),
        actor=people.purchaser,
        reason="customer changed address",
    )
    event = again.events.get(to_status=ParcelStatus.CANCELLED)
    assert event.message == "customer changed address" and event.words is None


def test_domestic_logistics_is_noted_in_words(live, people):
    order = at_warehouse(people)
    line = order.lines.first()

    line_domestic_update(
        line=line, company="中通快递", tracking_no="ZT123456789", actor=people.purchaser
    )

    event = order.events.get(kind="domestic_logistics")
    assert (
        said_in_english(event) == f"domestic logistics of line {line.line_no}: 中通快递 ZT123456789"
    )


@pytest.fixture
def shipped(live, people):
    """A paid Taobao order the sandbox's seller shipped (one tick), not arrived yet."""
    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)
    live.control("tick")
    order = order_refresh(order_id=order.pk)
    assert order.status == OrderStatus.SHIPPED
    return order


def test_an_arrival_read_from_the_traces_is_noted_in_words(live, shipped):
    live.control("tick")  # the parcel is signed for at the warehouse

    assert order_arrival_check(order_id=shipped.pk) is True

    event = shipped.events.get(to_status=OrderStatus.AT_WAREHOUSE)
    assert said_in_english(event) == event.message
    assert event.message.startswith("at the warehouse: ") and "signed for" in event.message
    assert event.words["msgid"] == "at the warehouse: %(signed)s"
