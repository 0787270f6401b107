"""Thin Celery tasks: ids in, one service call, retries on named retryable errors only.

acks_late with reject_on_worker_lost (settings); the services lock, re-check and return early,
so a task delivered twice books nothing twice.
"""

from __future__ import annotations

import logging

from celery import shared_task

from purchasing.tasks import run_service

logger = logging.getLogger("logistics.tasks")


@shared_task(name="logistics.book_parcel", bind=True, acks_late=True, max_retries=10)
def book_parcel(self, parcel_id: int) -> None:
    from logistics.models import Parcel
    from logistics.services.booking import parcel_book_upstream

    if not Parcel.objects.filter(pk=parcel_id).exists():
        logger.warning("book_parcel: parcel %s is gone", parcel_id)
        return
    run_service(self, parcel_book_upstream, parcel_id=parcel_id)


@shared_task(name="logistics.refresh_parcel", bind=True, acks_late=True, max_retries=3)
def refresh_parcel(self, parcel_id: int) -> None:
    from logistics.models import Parcel
    from logistics.services.booking import parcel_refresh

    if not Parcel.objects.filter(pk=parcel_id).exists():
        logger.warning("refresh_parcel: parcel %s is gone", parcel_id)
        return
    run_service(self, parcel_refresh, parcel_id=parcel_id)


@shared_task(name="logistics.check_arrival", bind=True, acks_late=True, max_retries=3)
def check_arrival(self, order_id: int) -> None:
    from logistics.services.arrivals import order_arrival_check

    run_service(self, order_arrival_check, order_id=order_id)


@shared_task(name="logistics.sweep_parcels", acks_late=True)
def sweep_parcels() -> int:
    """Re-enqueue parcels the database says are unfinished (an on_commit enqueue can be lost),
    refresh the tracking of parcels on their way, and check whether shipped Taobao orders
    reached the warehouse (Taobao has no status for it)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from logistics.selectors import parcels_booking_stuck, parcels_to_track
    from logistics.services.arrivals import awaiting_arrival

    before = timezone.now() - timedelta(minutes=settings.CAIGOU_SWEEP_AFTER_MINUTES)
    stuck = list(parcels_booking_stuck(older_than=before))
    moving = list(parcels_to_track(older_than=before))
    shipped = list(awaiting_arrival().values_list("pk", flat=True))
    for parcel_id in stuck:
        book_parcel.delay(parcel_id=parcel_id)
    for parcel_id in moving:
        refresh_parcel.delay(parcel_id=parcel_id)
    for order_id in shipped:
        check_arrival.delay(order_id=order_id)
    return len(stuck) + len(moving) + len(shipped)


@shared_task(name="logistics.check_arrivals", acks_late=True)
def check_arrivals(job: str) -> int:
    """The "Check arrivals upstream" button's check, its progress kept under `job`."""
    from logistics.services.arrivals import arrivals_check

    return len(arrivals_check(job=job).moved)
