"""Stored callbacks that can never be applied: counted, spaced out, parked for a person, and never
in the way of the messages behind them."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from purchasing.callbacks import handlers
from purchasing.callbacks.parking import apply_or_park, message_retry
from purchasing.models import UpstreamMessage
from purchasing.services.orders.common import NotAllowed
from purchasing.statuses import OrderStatus
from purchasing.tasks import DRAIN_QUEUED, apply_pending_messages, purge_upstream_messages
from tests.orders.factories import PurchaseOrderFactory
from tests.purchasing.factories import StaffUserFactory
from upstream.signing import now_ms

pytestmark = pytest.mark.django_db
Outcome = UpstreamMessage.Outcome
POISON = "TAOBAO_POISON_FOR_TESTS"


@pytest.fixture
def poison_calls(monkeypatch) -> list[dict]:
    """A message type whose every application fails, as a bug or a refused write would; the
    list records each attempt."""
    calls: list[dict] = []

    def explode(body: dict) -> handlers.Notice:
        calls.append(body)
        raise RuntimeError("cannot apply this one")

    monkeypatch.setitem(handlers.HANDLERS["pandapon"], POISON, explode)
    return calls


def stored(message_type: str, body: dict, *, key: str, ago_s: int = 60) -> UpstreamMessage:
    message = UpstreamMessage.objects.create(
        provider="pandapon",
        dedupe_key=key,
        message_type=message_type,
        platform="taobao",
        body=body,
        verified=True,
    )
    received = timezone.now() - timedelta(seconds=ago_s)
    UpstreamMessage.objects.filter(pk=message.pk).update(received_at=received)
    return message


def shipped_message(order, *, key: str = "genuine", ago_s: int = 1) -> UpstreamMessage:
    body = {
        "purchaseOrderId": order.upstream_order_id,
        "sellerOrderNumber": order.reference,
        "status": "WAIT_BUYER_CONFIRM_GOODS",
        "updatedAt": int(now_ms()),
        "subOrders": [],
    }
    return stored("TAOBAO_ORDER_STATUS_MODIFY", body, key=key, ago_s=ago_s)


@pytest.fixture
def paid_order():
    return PurchaseOrderFactory(
        status=OrderStatus.PAID, upstream_order_id="9001", reference="CG-POISON-1"
    )


def test_two_hundred_poison_messages_do_not_hold_up_a_genuine_one(paid_order, poison_calls):
    for n in range(200):
        stored(POISON, {"n": n}, key=f"poison-{n}", ago_s=600 - n)
    genuine = shipped_message(paid_order)
    cache.delete(DRAIN_QUEUED)

    apply_pending_messages()

    genuine.refresh_from_db()
    paid_order.refresh_from_db()
    assert genuine.outcome == Outcome.APPLIED
    assert paid_order.status == OrderStatus.SHIPPED
    # Each poison message was tried once, then waits its turn again: no hot loop over them.
    assert len(poison_calls) == 200
    poison = UpstreamMessage.objects.filter(message_type=POISON)
    assert set(poison.values_list("attempts", flat=True)) == {1}
    assert not poison.filter(retry_after__isnull=True).exists()

    # A second drain right away touches none of them.
    assert apply_pending_messages() == 0
    assert len(poison_calls) == 200


def test_a_failing_message_is_parked_after_its_attempts_and_logged_once(
    poison_calls, settings, caplog
):
    settings.CAIGOU_CALLBACK_MAX_ATTEMPTS = 3
    message = stored(POISON, {"n": 1}, key="poison")

    with caplog.at_level(logging.INFO, logger="purchasing"):
        outcomes = [apply_or_park(message_id=message.pk) for _ in range(4)]

    assert outcomes == [Outcome.ERROR, Outcome.ERROR, Outcome.PARKED, Outcome.PARKED]
    assert len(poison_calls) == 3  # a parked message is not applied again
    message.refresh_from_db()
    assert (message.outcome, message.attempts, message.applied_at) == (Outcome.PARKED, 3, None)
    assert message.error == "RuntimeError: cannot apply this one"
    assert message.last_attempt_at is not None
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "parked" in warnings[0].getMessage()
    assert warnings[0].exc_info is None  # one line, no traceback

    # The drain and the sweeper leave it alone, however long ago it came.
    UpstreamMessage.objects.filter(pk=message.pk).update(retry_after=None)
    assert apply_pending_messages() == 0


def test_a_retry_resets_a_parked_message_and_only_an_approver_may(
    poison_calls, settings, django_capture_on_commit_callbacks
):
    settings.CAIGOU_CALLBACK_MAX_ATTEMPTS = 1
    message = stored(POISON, {"n": 1}, key="poison")
    apply_or_park(message_id=message.pk)
    purchaser, approver = StaffUserFactory(role="purchaser"), StaffUserFactory(role="approver")

    with pytest.raises(NotAllowed):
        message_retry(message_id=message.pk, actor=purchaser)
    message.refresh_from_db()
    assert message.outcome == Outcome.PARKED

    cache.delete(DRAIN_QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        message_retry(message_id=message.pk, actor=approver)  # applied again: eager tasks

    message.refresh_from_db()
    assert len(poison_calls) == 2
    assert (message.outcome, message.attempts) == (Outcome.PARKED, 1)


def test_the_exceptions_queue_lists_a_parked_message_with_a_retry_button(
    poison_calls, settings, django_capture_on_commit_callbacks
):
    settings.CAIGOU_CALLBACK_MAX_ATTEMPTS = 1
    order = PurchaseOrderFactory(status=OrderStatus.PAID, upstream_order_id="9002")
    message = stored(POISON, {"n": 1}, key="poison")
    apply_or_park(message_id=message.pk)
    UpstreamMessage.objects.filter(pk=message.pk).update(order=order)
    retry_url = f"/orders/exceptions/messages/{message.pk}/retry/"
    purchaser, approver = Client(), Client()
    purchaser.force_login(StaffUserFactory(role="purchaser"))
    approver.force_login(StaffUserFactory(role="approver"))

    as_purchaser = purchaser.get("/orders/exceptions/").content.decode()
    as_approver = approver.get("/orders/exceptions/").content.decode()

    assert "RuntimeError: cannot apply this one" in as_approver
    assert order.reference in as_approver
    # Who sent it and what it is, in words, not the stored codes.
    assert f'PandaPon · <span title="{POISON}">' in as_approver
    assert retry_url in as_approver and retry_url not in as_purchaser
    assert purchaser.post(retry_url).status_code == 403
    assert approver.get(retry_url).status_code == 405
    message.refresh_from_db()
    assert message.attempts == 1 and len(poison_calls) == 1

    handlers.HANDLERS["pandapon"][POISON] = handlers.taobao_status  # the cause was fixed
    cache.delete(DRAIN_QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        response = approver.post(retry_url)

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.outcome == Outcome.NO_ORDER and message.applied_at is not None
    assert approver.post(retry_url).status_code == 302  # nothing to retry: said, not stored
    message.refresh_from_db()
    assert message.outcome == Outcome.NO_ORDER


def test_the_admin_filters_parked_messages_and_retries_them(
    poison_calls, settings, django_capture_on_commit_callbacks
):
    settings.CAIGOU_CALLBACK_MAX_ATTEMPTS = 1
    parked = stored(POISON, {"n": 1}, key="poison")
    apply_or_park(message_id=parked.pk)
    admin = Client()
    admin.force_login(StaffUserFactory(role="admin"))
    url = "/admin/purchasing/upstreammessage/"

    listing = admin.get(url, {"outcome__exact": "parked"})

    assert listing.status_code == 200
    assert "RuntimeError: cannot apply this one" in listing.content.decode()
    cache.delete(DRAIN_QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, {"action": "retry", "_selected_action": [parked.pk]})
    assert response.status_code == 302
    assert len(poison_calls) == 2  # sent back, applied, failed again


def test_the_purge_removes_old_handled_messages_only(paid_order, settings, poison_calls):
    settings.CAIGOU_CALLBACK_KEEP_DAYS = 30
    settings.CAIGOU_CALLBACK_MAX_ATTEMPTS = 1
    old_applied = stored("X", {}, key="old-applied", ago_s=31 * 86400)
    UpstreamMessage.objects.filter(pk=old_applied.pk).update(
        applied_at=timezone.now(), outcome=Outcome.APPLIED
    )
    recent_applied = stored("X", {}, key="recent", ago_s=29 * 86400)
    UpstreamMessage.objects.filter(pk=recent_applied.pk).update(
        applied_at=timezone.now(), outcome=Outcome.APPLIED
    )
    old_parked = stored(POISON, {}, key="old-parked", ago_s=31 * 86400)
    apply_or_park(message_id=old_parked.pk)

    assert purge_upstream_messages() == 1

    left = set(UpstreamMessage.objects.values_list("dedupe_key", flat=True))
    assert left == {"recent", "old-parked"}


def test_the_purge_runs_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "purchasing.purge_upstream_messages" in tasks
