"""Parcels against the live sandbox: built from arrived lines, booked exactly once under
retries and dropped responses, tracked until the orders are delivered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from logistics.models import Parcel, ParcelLine, ParcelStatus
from logistics.selectors import parcels, warehouse_lines
from logistics.services import (
    Customs,
    LogisticsError,
    consolidation,
    freight_estimate,
    parcel_book,
    parcel_book_upstream,
    parcel_cancel,
    parcel_create,
    parcel_refresh,
)
from logistics.services.common import Busy
from logistics.tasks import book_parcel, sweep_parcels
from purchasing.models import OrderEvent, PurchaseOrder
from purchasing.models.timeline import HistoryIsAppendOnly
from purchasing.services.orders.events import advance_to
from purchasing.statuses import OrderStatus
from tests.logistics.conftest import at_warehouse, submitted_order
from tests.waiting import wait_until
from upstream.sandbox.models import Booking as SandboxBooking
from upstream.sandbox.models import Fault

CUSTOMS = Customs(declared_value_fen=5000, description="plastic storage boxes (3924.90)")


def _service(lines, customer) -> str:
    return freight_estimate(items=lines, destination=customer).cheapest.service_id


def _parcel(people, customer, *orders) -> Parcel:
    lines = [line for order in orders for line in order.lines.all()]
    return parcel_create(
        lines=lines,
        address=customer,
        service=_service(lines, customer),
        customs=CUSTOMS,
        actor=people.purchaser,
    )


def _bookings(parcel) -> int:
    return SandboxBooking.objects.filter(outer_ref=parcel.reference).count()


def test_parcel_of_arrived_lines_is_booked_once_when_the_task_runs_again(live, people, customer):
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    assert (
        parcel.status == ParcelStatus.DRAFT and parcel.render_id and parcel.quoted_freight_fen > 0
    )

    parcel_book(parcel=parcel, actor=people.purchaser)  # the task runs after commit (eager)
    book_parcel.apply(kwargs={"parcel_id": parcel.pk})  # delivered again
    parcel_book(parcel=parcel, actor=people.purchaser)  # a second click
    parcel_book_upstream(parcel_id=parcel.pk)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED and parcel.booking_id and parcel.tracking_no
    assert parcel.freight_fen == parcel.quoted_freight_fen
    assert _bookings(parcel) == 1
    assert len(live.creates(parcel.reference)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPATCHED


def test_a_dropped_booking_answer_is_looked_up_not_booked_again(live, people, customer):
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    Fault.objects.create(
        path="/open/pp/logistics/orderBookingFreight", mode="drop_response", count=1
    )

    parcel_book(parcel=parcel, actor=people.purchaser)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED and not parcel.booking_in_doubt
    assert _bookings(parcel) == 1 and len(live.creates(parcel.reference)) == 1
    kinds = list(parcel.events.values_list("kind", flat=True))
    assert "booking_unknown" in kinds and kinds.count("booking") == 1


def test_a_lease_left_by_a_killed_worker_is_looked_up_first(live, people, customer):
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    Fault.objects.create(
        path="/open/pp/logistics/orderBookingFreight", mode="drop_response", count=1
    )
    with transaction.atomic():
        parcel.transition(ParcelStatus.BOOKING, message="booking")
    with pytest.raises(Exception):  # noqa: B017 - the dropped answer, as a worker would see it
        parcel_book_upstream(parcel_id=parcel.pk)
    # The worker died before recording the outcome: only the expired lease is left.
    Parcel.objects.filter(pk=parcel.pk).update(
        booking_in_doubt=False, booking_lease_until=timezone.now() - timedelta(seconds=1)
    )

    parcel_book_upstream(parcel_id=parcel.pk)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED and _bookings(parcel) == 1


def test_lines_cannot_be_in_two_parcels(live, people, customer):
    order = at_warehouse(people)
    first = _parcel(people, customer, order)

    with pytest.raises(LogisticsError, match="already in a parcel"):
        _parcel(people, customer, order)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParcelLine.objects.create(parcel=first, line=order.lines.first())

    parcel_cancel(parcel=first, actor=people.purchaser, reason="customer changed address")
    second = _parcel(people, customer, order)
    assert second.parcel_lines.filter(active=True).count() == order.lines.count()


def test_only_lines_at_the_warehouse_go_in_a_parcel(live, people, customer):
    order = submitted_order(people)
    with pytest.raises(LogisticsError, match="only lines at the warehouse"):
        parcel_create(
            lines=list(order.lines.all()),
            address=customer,
            service="x",
            customs=CUSTOMS,
            actor=people.purchaser,
        )
    assert not Parcel.objects.exists()


def test_destinations_that_need_a_tax_id_refuse_without_one(live, people, customer):
    order = at_warehouse(people)
    customer.country, customer.province, customer.city = "BR", "SP", "São Paulo"
    customer.postcode, customer.phone = "01310-100", "+5511987654321"
    customer.save()
    lines = list(order.lines.all())
    with pytest.raises(LogisticsError, match="need the receiver's tax id"):
        parcel_create(
            lines=lines, address=customer, service="x", customs=CUSTOMS, actor=people.purchaser
        )
    parcel = parcel_create(
        lines=lines,
        address=customer,
        service=_service(lines, customer),
        customs=Customs(declared_value_fen=5000, description="boxes", tax_id="123.456.789-09"),
        actor=people.purchaser,
    )
    assert parcel.tax_id == "123.456.789-09"


def test_tracking_moves_the_orders_to_dispatched_then_delivered(live, people, customer):
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    parcel_book(parcel=parcel, actor=people.purchaser)

    live.control("tick")  # picked up
    parcel_refresh(parcel_id=parcel.pk)
    parcel.refresh_from_db()
    order.refresh_from_db()
    assert parcel.status == ParcelStatus.IN_TRANSIT and order.status == OrderStatus.DISPATCHED

    live.control("tick")  # in transit
    live.control("tick")  # delivered
    parcel_refresh(parcel_id=parcel.pk)
    parcel_refresh(parcel_id=parcel.pk)  # again: nothing new

    parcel.refresh_from_db()
    order.refresh_from_db()
    assert parcel.status == ParcelStatus.DELIVERED and order.status == OrderStatus.DELIVERED
    tracking = list(parcel.events.filter(kind="tracking").values_list("message", flat=True))
    assert len(tracking) == 4 and tracking[-1] == "Delivered and signed for"
    assert list(
        OrderEvent.objects.filter(order=order, actor_label="logistics").values_list(
            "to_status", flat=True
        )
    ) == [OrderStatus.DISPATCHED, OrderStatus.DELIVERED]
    event = parcel.events.first()
    with pytest.raises(HistoryIsAppendOnly):
        event.save()
    with pytest.raises(HistoryIsAppendOnly):
        parcel.events.update(message="rewritten")
    with pytest.raises(HistoryIsAppendOnly):
        event.delete()


def test_lists_and_consolidation(live, people, customer, settings):
    arrived = at_warehouse(people)
    on_the_way = submitted_order(people)
    with transaction.atomic():
        locked = PurchaseOrder.objects.select_for_update().get(pk=on_the_way.pk)
        advance_to(locked, OrderStatus.SHIPPED, actor_label="seller")

    advice = consolidation(orders=[arrived, on_the_way])
    assert advice.suggestion == "wait" and len(advice.on_the_way) == on_the_way.lines.count()
    assert len(advice.arrived) == arrived.lines.count()

    settings.CAIGOU_WAREHOUSE_WAIT_DAYS = 0
    assert consolidation(orders=[arrived, on_the_way]).suggestion == "send_now"
    assert all(line.overdue for line in warehouse_lines(days=-1))
    settings.CAIGOU_WAREHOUSE_WAIT_DAYS = 7
    waiting = list(warehouse_lines())
    assert [line.order_id for line in waiting] == [arrived.pk] * arrived.lines.count()
    assert not any(line.overdue for line in waiting) and waiting[0].arrived_at

    parcel = _parcel(people, customer, arrived)
    assert not warehouse_lines().exists()
    assert consolidation(orders=[arrived]).suggestion == "nothing_to_send"
    assert list(parcels(status=ParcelStatus.DRAFT, country="us")) == [parcel]
    assert not parcels(country="GB").exists()


def test_a_service_not_offered_is_refused_with_a_sentence(live, people, customer):
    order = at_warehouse(people)
    with pytest.raises(LogisticsError, match="would not price this parcel"):
        parcel_create(
            lines=list(order.lines.all()),
            address=customer,
            service="NO-SUCH-LINE",
            customs=CUSTOMS,
            actor=people.purchaser,
        )


def test_the_sweeper_books_a_parcel_whose_enqueue_was_lost(live, people, customer):
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    with transaction.atomic():  # -> booking without the on_commit enqueue: it was lost
        parcel.transition(ParcelStatus.BOOKING, message="booking")
    Parcel.objects.filter(pk=parcel.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    assert sweep_parcels.apply().get() == 1

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED and _bookings(parcel) == 1


def test_a_booking_that_lands_after_its_timeout_is_booked_once(live, people, customer, settings):
    """The look-up right after the timeout finds nothing while the upstream still works on the
    call: nothing is booked again before the lease has run out."""
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    Fault.objects.create(
        path="/open/pp/logistics/orderBookingFreight", mode="latency", count=1, ms=1500
    )

    parcel_book(parcel=parcel, actor=people.purchaser)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKING and parcel.booking_in_doubt
    wait_until(lambda: _bookings(parcel) == 1, timeout=10, what="the late booking to land")
    Parcel.objects.filter(pk=parcel.pk).update(
        booking_lease_until=timezone.now() - timedelta(seconds=1)
    )
    parcel_book_upstream(parcel_id=parcel.pk)

    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED and _bookings(parcel) == 1
    assert len(live.creates(parcel.reference)) == 1


def test_a_run_that_looked_while_another_took_a_new_attempt_does_not_book(
    live, people, customer, monkeypatch
):
    from logistics.services import booking

    order = at_warehouse(people)
    parcel = _parcel(people, customer, order)
    with transaction.atomic():
        parcel.transition(ParcelStatus.BOOKING, message="booking")
    # A booking whose outcome was lost before it reached the upstream, its lease run out.
    Parcel.objects.filter(pk=parcel.pk).update(
        booking_in_doubt=True,
        booking_attempts=1,
        booking_lease_until=timezone.now() - timedelta(seconds=1),
    )
    real = booking.warehouse

    class AnotherRunBooksMeanwhile:
        def __getattr__(self, name):
            return getattr(real(), name)

        def bookings_by_request(self, **kwargs):
            found = real().bookings_by_request(**kwargs)  # nothing upstream
            # Meanwhile another run looked too, took a new attempt, and is in its booking call.
            Parcel.objects.filter(pk=parcel.pk).update(
                booking_attempts=2,
                booking_in_doubt=False,
                booking_lease_until=timezone.now() + timedelta(minutes=2),
            )
            return found

    monkeypatch.setattr(booking, "warehouse", AnotherRunBooksMeanwhile)

    with pytest.raises(Busy):
        parcel_book_upstream(parcel_id=parcel.pk)

    assert _bookings(parcel) == 0
    parcel.refresh_from_db()
    assert parcel.booking_lease_until > timezone.now()  # the other run's lease stands
