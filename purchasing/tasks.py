"""Thin Celery tasks: ids in, one service call, retries on named retryable errors only.

Every task is acks_late with reject_on_worker_lost (settings) and safe to run twice: the
services lock the row, re-check its state and return early on a race.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from purchasing.services.orders.common import Busy
from upstream.errors import RetryableError

logger = logging.getLogger("purchasing.tasks")
RETRY_ON = (Busy, RetryableError)
MAX_RETRIES = 10


EAGER_RETRIES = 3
# A retry that waits for a lease comes this long after it has run out (clocks differ a little).
LEASE_MARGIN_SECONDS = 2.0


def run_service(task, service, **kwargs) -> None:
    """Call the service; on a retryable error, come back later through the broker, and not
    before a lease the error names has run out. In-process (eager) tasks have no broker to come
    back through, so they retry here at once, a few times, unless a lease is still running;
    what is left is the sweeper's (the row says what is unfinished)."""
    try:
        service(**kwargs)
        return
    except RETRY_ON as exc:
        if not task.request.is_eager:
            raise task.retry(exc=exc, countdown=countdown(exc, task.request.retries)) from exc
        error = exc
    for _ in range(EAGER_RETRIES):
        if waits_for_lease(error):
            break
        try:
            service(**kwargs)
            return
        except RETRY_ON as exc:
            error = exc
    logger.warning("%s %s: still unfinished after in-process retries: %s", task.name, kwargs, error)


def backoff(retries: int) -> float:
    """Capped exponential backoff with jitter (seconds)."""
    return min(600.0, 5.0 * 2**retries) * random.uniform(0.5, 1.0)


def countdown(error: Exception, retries: int) -> float:
    """Seconds until the next run: the backoff, or longer while the error's lease runs (a run
    before then could only read again; a late call that lands shows in its callback, or in the
    read once the lease is over)."""
    wait = backoff(retries)
    if waits_for_lease(error):
        wait = max(wait, (error.until - timezone.now()).total_seconds() + LEASE_MARGIN_SECONDS)
    return wait


def waits_for_lease(error: Exception) -> bool:
    until = getattr(error, "until", None)
    return until is not None and until > timezone.now()


@shared_task(name="purchasing.submit_order", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def submit_order(self, order_id: int) -> None:
    from purchasing.models import PurchaseOrder
    from purchasing.services.orders.submit import order_submit_upstream

    if not PurchaseOrder.objects.filter(pk=order_id).exists():
        logger.warning("submit_order: order %s is gone", order_id)
        return
    # The order stays `submitting` until done; if retries run out the sweeper enqueues it again.
    run_service(self, order_submit_upstream, order_id=order_id)


@shared_task(name="purchasing.pay_orders", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def pay_orders(self, order_ids: list[int]) -> None:
    from purchasing.services.orders.pay import order_pay_upstream

    run_service(self, order_pay_upstream, order_ids=order_ids)


@shared_task(name="purchasing.refresh_order", bind=True, acks_late=True, max_retries=3)
def refresh_order(
    self, order_id: int, source: str = "reconciled with upstream", unless_linked: bool = False
) -> None:
    from purchasing.services.orders.lifecycle import order_refresh

    run_service(self, order_refresh, order_id=order_id, source=source, unless_linked=unless_linked)


@shared_task(name="purchasing.apply_upstream_message", bind=True, acks_late=True, max_retries=5)
def apply_upstream_message(self, message_id: int) -> None:
    from purchasing.callbacks.parking import apply_or_park

    # A failure is counted on the message (and parks it in the end), never raised here.
    run_service(self, apply_or_park, message_id=message_id)


# Set while a drain of stored callbacks is queued and has not started reading.
DRAIN_QUEUED = "purchasing:callbacks-drain-queued"
DRAIN_BATCH = 200


def wake_message_applier() -> None:
    """Ask for a drain of the stored, unapplied callbacks. Callbacks arriving together share one
    task: the first sets a flag (one Redis SET NX, far cheaper than a publish), and the drain
    clears it before it reads, so a message stored after that read queues the next drain. If the
    publish is lost, the flag expires and the sweeper applies what is left."""
    if cache.add(DRAIN_QUEUED, 1, timeout=10):
        apply_pending_messages.delay()


@shared_task(name="purchasing.apply_pending_messages", acks_late=True)
def apply_pending_messages() -> int:
    """Apply stored callbacks in the order they came, one transaction each; a message that
    fails to apply for a passing reason gets a task of its own with retries, and one that
    fails otherwise is counted and put back (parked in the end: callbacks/parking.py)."""
    from purchasing.callbacks.parking import apply_or_park
    from purchasing.selectors.orders import messages_unapplied

    cache.delete(DRAIN_QUEUED)
    pending = list(messages_unapplied(older_than=timezone.now())[:DRAIN_BATCH])
    for message_id in pending:
        try:
            apply_or_park(message_id=message_id)
        except RETRY_ON:
            apply_upstream_message.delay(message_id=message_id)
    if len(pending) == DRAIN_BATCH:
        wake_message_applier()
    return len(pending)


@shared_task(name="purchasing.reconcile_orders", acks_late=True)
def reconcile_orders() -> int:
    """Re-read open orders we have not heard about for a while: the upstream gives up on a
    callback after 5 tries, and a lost one must not leave an order behind for ever."""
    from purchasing.selectors.orders import orders_to_reconcile

    minutes = settings.CAIGOU_RECONCILE_AFTER_MINUTES
    ids = list(orders_to_reconcile(older_than=timezone.now() - timedelta(minutes=minutes)))
    for order_id in ids:
        refresh_order.delay(order_id=order_id)
    return len(ids)


@shared_task(name="purchasing.sweep_orders", acks_late=True)
def sweep_orders() -> int:
    """Re-enqueue work the database says is unfinished: an on_commit enqueue can be lost when
    the process dies right after the commit. The services make the extra runs harmless."""
    from purchasing.selectors.orders import (
        messages_unapplied,
        orders_paying_stuck,
        orders_submitting_stuck,
    )

    minutes = settings.CAIGOU_SWEEP_AFTER_MINUTES
    before = timezone.now() - timedelta(minutes=minutes)
    submitting = list(orders_submitting_stuck(older_than=before))
    paying = list(orders_paying_stuck(older_than=before))
    for order_id in submitting:
        submit_order.delay(order_id=order_id)
    if paying:
        pay_orders.delay(order_ids=paying)
    # A stored callback whose apply was never enqueued (or failed) is applied again.
    messages = list(messages_unapplied(older_than=before))
    for message_id in messages:
        apply_upstream_message.delay(message_id=message_id)
    return len(submitting) + len(paying) + len(messages)


PURGE_BATCH = 5_000  # small deletes keep locks short while callbacks are being stored


@shared_task(name="purchasing.purge_upstream_messages", acks_late=True)
def purge_upstream_messages() -> int:
    """Delete stored callbacks received more than CAIGOU_CALLBACK_KEEP_DAYS ago and handled
    (applied, stale, refused...). Parked and unapplied ones stay until a person has dealt with
    them: they are the only record of what the upstream said. Returns how many went."""
    from purchasing.models import UpstreamMessage

    cutoff = timezone.now() - timedelta(days=settings.CAIGOU_CALLBACK_KEEP_DAYS)
    old = UpstreamMessage.objects.filter(received_at__lt=cutoff, applied_at__isnull=False)
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:PURGE_BATCH]):
        deleted += UpstreamMessage.objects.filter(pk__in=ids).delete()[0]
    logger.info("stored callbacks: deleted %d received before %s", deleted, cutoff)
    return deleted


@shared_task(name="purchasing.release_idle_claims", acks_late=True)
def release_idle_claims() -> int:
    """Orders claimed and left without action past CAIGOU_CLAIM_EXPIRES_MINUTES go back to the
    queue (each row locked and checked again, so a second run changes nothing)."""
    from purchasing.services.orders.work import release_idle_order_claims

    return release_idle_order_claims()


@shared_task(name="purchasing.raise_due_deadlines", acks_late=True)
def raise_due_deadlines() -> int:
    """Orders whose next deadline falls due within a day go to the exceptions queue, once."""
    from purchasing.services.orders.deadlines import raise_due_deadlines as raise_due

    return raise_due()
