"""Outbound webhooks, following Standard Webhooks (standardwebhooks.com).

Each message is a WebhookDelivery row written in the transaction that changed the order, and
sent once it commits: headers `webhook-id` (the message id, the same on every attempt),
`webhook-timestamp` (unix seconds of the attempt) and `webhook-signature` ("v1," + base64 of
HMAC-SHA256 over "id.timestamp.body", keyed with the base64-decoded part of the storefront's
secret after "whsec_"). A 2xx answer delivers it; anything else (a redirect too: they are never
followed) is recorded as an attempt and tried again with exponential backoff until 24 hours
after the message was written, then it is `failed`. The database is the record of what is due:
a beat task re-enqueues it, so a lost enqueue only delays a message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import timedelta

import requests
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from storefront.models import CustomerOrder, WebhookAttempt, WebhookDelivery
from storefront.representation import order_representation, with_details

logger = logging.getLogger("storefront.webhooks")

CONNECT_TIMEOUT, READ_TIMEOUT = 3, 10
# A claimed delivery is not sent by anyone else for this long: far above both timeouts.
CLAIM = timedelta(seconds=60)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=2)
RETRY_FOR = timedelta(hours=24)
USER_AGENT = "Caigou-Webhooks/1"


# -- writing -----------------------------------------------------------------------------------
def webhook_emit(order: CustomerOrder, event_type: str) -> WebhookDelivery | None:
    """Write the message for `event_type` about `order` (as the storefront sees it now) and
    send it once the current transaction commits. None when the storefront takes no webhooks."""
    from storefront.tasks import deliver_webhook

    storefront = order.storefront
    if not storefront.webhook_url or not storefront.is_active:
        return None
    fresh = with_details(CustomerOrder.objects.filter(pk=order.pk)).get()
    delivery = WebhookDelivery.objects.create(
        storefront=storefront,
        customer_order=order,
        message_id="msg_" + secrets.token_urlsafe(18),
        event_type=event_type,
        payload={
            "type": event_type,
            "timestamp": timezone.now().isoformat(),
            "data": order_representation(fresh),
        },
        next_attempt_at=timezone.now(),
    )
    delivery_id = delivery.pk
    transaction.on_commit(lambda: deliver_webhook.delay(delivery_id=delivery_id))
    return delivery


# -- signing -----------------------------------------------------------------------------------
def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for one attempt."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers_for(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            delivery.storefront.webhook_secret, delivery.message_id, timestamp, body
        ),
    }


# -- sending -----------------------------------------------------------------------------------
def webhook_deliver(*, delivery_id: int) -> WebhookDelivery:
    """Send a pending delivery that is due (the deliver task's work; safe to run any number of
    times: a delivery is claimed before it is sent, so two runs never send it at once)."""
    delivery = _claim(delivery_id, force=False)
    if delivery is None:
        return WebhookDelivery.objects.get(pk=delivery_id)
    return _attempt(delivery)


def webhook_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now, whatever its status: a new attempt with the same message id
    (the storefront de-duplicates by it)."""
    claimed = _claim(delivery.pk, force=True)
    if claimed is None:
        return WebhookDelivery.objects.get(pk=delivery.pk)
    return _attempt(claimed, replay=True)


def _claim(delivery_id: int, *, force: bool) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("storefront")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            logger.warning("webhook %s is gone", delivery_id)
            return None
        current = timezone.now()
        if not force:
            if delivery.status != WebhookDelivery.Status.PENDING:
                logger.info("webhook %s is %s: nothing to send", delivery, delivery.status)
                return None
            if delivery.next_attempt_at is not None and delivery.next_attempt_at > current:
                logger.info("webhook %s is not due (or another run is sending it)", delivery)
                return None
        delivery.next_attempt_at = current + CLAIM
        delivery.save(update_fields=["next_attempt_at"])
        return delivery


def _attempt(delivery: WebhookDelivery, *, replay: bool = False) -> WebhookDelivery:
    body = body_of(delivery)
    timestamp = int(time.time())
    url = delivery.storefront.webhook_url
    started = time.monotonic()
    status_code, error, excerpt = None, "", ""
    if not url:
        error = "the storefront has no webhook URL"
    else:
        try:
            response = requests.post(
                url,
                data=body,
                headers=headers_for(delivery, body, timestamp),
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                allow_redirects=False,
            )
            status_code, excerpt = response.status_code, response.text[:500]
            if not 200 <= status_code < 300:
                error = f"answered {status_code}"
                if response.is_redirect:
                    error += f" (redirect to {response.headers.get('Location', '')[:200]})"
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record(delivery.pk, status_code, error, excerpt, duration_ms, replay=replay)


@transaction.atomic
def _record(
    delivery_id: int,
    status_code: int | None,
    error: str,
    excerpt: str,
    duration_ms: int,
    *,
    replay: bool,
) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    current = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=current,
        status_code=status_code,
        error=error,
        response_excerpt=excerpt,
        duration_ms=duration_ms,
    )
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = status_code, error
    if not error:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, current
        delivery.next_attempt_at = None
    elif replay and delivery.status == WebhookDelivery.Status.DELIVERED:
        # A replay of a delivered message that fails does not undo the first delivery.
        delivery.next_attempt_at = None
    else:
        wait = retry_after(delivery.attempts)
        if current + wait > delivery.created_at + RETRY_FOR:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
            logger.warning("webhook %s failed after %s attempts", delivery, delivery.attempts)
        else:
            delivery.status, delivery.next_attempt_at = (
                WebhookDelivery.Status.PENDING,
                current + wait,
            )
    delivery.save()
    return delivery


def retry_after(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 30 s, doubling, at most 2 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


# -- the sweeper -------------------------------------------------------------------------------
def webhooks_due(*, limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt is due (or was never scheduled)."""
    due = Q(next_attempt_at__lte=timezone.now()) | Q(next_attempt_at__isnull=True)
    rows = WebhookDelivery.objects.filter(due, status=WebhookDelivery.Status.PENDING).order_by(
        "next_attempt_at", "pk"
    )
    return list(rows.values_list("pk", flat=True)[:limit])
