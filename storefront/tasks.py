"""Thin Celery tasks for storefront orders and webhooks: ids in, one service call (through
purchasing's `run_service`: retries on a busy upstream only), safe to run twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from purchasing.tasks import MAX_RETRIES, run_service

logger = logging.getLogger("storefront.tasks")
# A failed delivery's own retry is scheduled by the task when it is this close; later ones
# are left to the sweeper (a countdown longer than the broker's visibility timeout is unsafe).
SELF_SCHEDULE_WITHIN = timedelta(minutes=10)


@shared_task(name="storefront.intake_order", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def intake_order(self, order_id: int) -> None:
    from storefront.models import CustomerOrder
    from storefront.services.policy import customer_order_intake

    if not CustomerOrder.objects.filter(pk=order_id).exists():
        logger.warning("intake_order: customer order %s is gone", order_id)
        return
    run_service(self, customer_order_intake, order_id=order_id)


@shared_task(name="storefront.sync_status", bind=True, acks_late=True, max_retries=3)
def sync_status(self, customer_order_id: int) -> None:
    from storefront.services.status import customer_order_sync

    run_service(self, customer_order_sync, customer_order_id=customer_order_id)


@shared_task(name="storefront.pay_purchase_order", bind=True, acks_late=True, max_retries=3)
def pay_purchase_order(self, purchase_order_id: int) -> None:
    from storefront.services.policy import purchase_order_pay_if_accepted

    run_service(self, purchase_order_pay_if_accepted, purchase_order_id=purchase_order_id)


@shared_task(name="storefront.deliver_webhook", bind=True, acks_late=True)
def deliver_webhook(self, delivery_id: int) -> None:
    from storefront.models import WebhookDelivery
    from storefront.services.webhooks import webhook_deliver

    if not WebhookDelivery.objects.filter(pk=delivery_id).exists():
        logger.warning("deliver_webhook: delivery %s is gone", delivery_id)
        return
    delivery = webhook_deliver(delivery_id=delivery_id)
    _schedule_retry(self, delivery)


@shared_task(name="storefront.replay_webhook", bind=True, acks_late=True)
def replay_webhook(self, delivery_id: int) -> None:
    from storefront.models import WebhookDelivery
    from storefront.services.webhooks import webhook_replay

    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        logger.warning("replay_webhook: delivery %s is gone", delivery_id)
        return
    _schedule_retry(self, webhook_replay(delivery=delivery))


def _schedule_retry(task, delivery) -> None:
    """In-process tasks have no broker to come back through: the sweeper sends it later."""
    if task.request.is_eager or delivery.status != "pending" or delivery.next_attempt_at is None:
        return
    wait = delivery.next_attempt_at - timezone.now()
    if wait <= SELF_SCHEDULE_WITHIN:
        deliver_webhook.apply_async(
            kwargs={"delivery_id": delivery.pk}, countdown=max(wait.total_seconds(), 0)
        )


@shared_task(name="storefront.sweep", acks_late=True)
def sweep() -> int:
    """Re-enqueue what the database says is due, since an enqueue after commit can be lost:
    webhook deliveries whose next attempt has come, customer orders still `received` long after
    their intake should have run, policy-accepted purchase orders left unpaid (the pay task
    checks that the policy, not a person, accepted them), and customer orders whose status
    task was lost after a purchase order or parcel moved."""
    from purchasing.models import PurchaseOrder
    from purchasing.models.orders import Source
    from purchasing.statuses import OrderStatus
    from storefront.models import CustomerOrder, CustomerOrderStatus
    from storefront.services.status import orders_out_of_sync
    from storefront.services.webhooks import webhooks_due

    due = webhooks_due()
    for delivery_id in due:
        deliver_webhook.delay(delivery_id=delivery_id)
    before = timezone.now() - timedelta(minutes=settings.CAIGOU_SWEEP_AFTER_MINUTES)
    stuck = list(
        CustomerOrder.objects.filter(
            status=CustomerOrderStatus.RECEIVED, updated_at__lt=before
        ).values_list("pk", flat=True)[:200]
    )
    for order_id in stuck:
        intake_order.delay(order_id=order_id)
    unpaid = list(
        PurchaseOrder.objects.filter(
            source=Source.STOREFRONT,
            status=OrderStatus.AWAITING_PAYMENT,
            needs_attention=False,
            updated_at__lt=before,
        ).values_list("pk", flat=True)[:200]
    )
    for purchase_order_id in unpaid:
        pay_purchase_order.delay(purchase_order_id=purchase_order_id)
    unsynced = orders_out_of_sync(before)
    for customer_order_id in unsynced:
        sync_status.delay(customer_order_id=customer_order_id)
    return len(due) + len(stuck) + len(unpaid) + len(unsynced)


@shared_task(name="storefront.purge_idempotency_keys", acks_late=True)
def purge_idempotency_keys() -> int:
    """Forget `Idempotency-Key`s older than the promised 24 hours (a running one included: its
    request is long dead); the number deleted."""
    from storefront.api.idempotency import IDEMPOTENCY_KEY_TTL
    from storefront.models import IdempotencyKey

    cutoff = timezone.now() - IDEMPOTENCY_KEY_TTL
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
