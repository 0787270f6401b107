"""Stored callbacks that fail to apply: counted, spaced out, and parked for a person.

A message that raises while it is applied (a bug, a value the database refuses) would
otherwise be picked first by every drain for ever, holding up the messages behind it. Each
failure is counted on the row with its error and pushes the next attempt back; after
CAIGOU_CALLBACK_MAX_ATTEMPTS failures the message is parked: logged once, listed in the admin
and the exceptions queue, and applied again only when a person asks for it. Messages of one
order still never move it backwards, whatever order they are applied in: apply.py compares
their updatedAt and the order's progress.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from purchasing.callbacks.apply import apply_message
from purchasing.callbacks.metrics import CALLBACKS_APPLIED
from purchasing.models import UpstreamMessage
from purchasing.phrases import gettext as _
from purchasing.services.orders.common import Busy, NotAllowed, OrderError
from upstream.errors import RetryableError

logger = logging.getLogger("purchasing.callbacks")
Outcome = UpstreamMessage.Outcome
# Passing errors (a row lock, the upstream away): the task retries them; they are not failures
# of the message.
PASSING = (Busy, RetryableError)
MAY_RETRY = "purchasing.approve_order"
FIRST_DELAY_S = 30
MAX_DELAY_S = 3600


def apply_or_park(*, message_id: int) -> str:
    """Apply one message; a failure is recorded on the row instead of raised (passing errors
    are raised for the caller to retry). The outcome, "error" or "parked" on a failure."""
    try:
        outcome = apply_message(message_id=message_id)
    except PASSING:
        raise
    except Exception as exc:
        logger.debug("callback %s failed to apply", message_id, exc_info=True)
        outcome = record_failure(message_id=message_id, error=exc)
    CALLBACKS_APPLIED.labels(outcome or "pending").inc()
    return outcome


@transaction.atomic
def record_failure(*, message_id: int, error: BaseException) -> str:
    """Count one failed attempt; park the message when it has had its attempts."""
    message = UpstreamMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None or message.applied_at is not None:
        return message.outcome if message is not None else Outcome.ERROR
    now = timezone.now()
    message.attempts += 1
    message.last_attempt_at = now
    message.error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= settings.CAIGOU_CALLBACK_MAX_ATTEMPTS:
        message.outcome, message.retry_after = Outcome.PARKED, None
        logger.warning(
            "callback %s (%s %s) parked after %d failed attempts: %s",
            message.pk,
            message.provider,
            message.message_type,
            message.attempts,
            message.error,
        )
    else:
        message.outcome = Outcome.ERROR
        delay = min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (message.attempts - 1))
        message.retry_after = now + timedelta(seconds=delay)
    message.save(update_fields=["attempts", "last_attempt_at", "error", "outcome", "retry_after"])
    return message.outcome


def messages_parked() -> QuerySet:
    """Parked messages, newest first, with the order they were about when it is known."""
    return UpstreamMessage.objects.filter(outcome=Outcome.PARKED).select_related("order")


@transaction.atomic
def message_retry(*, message_id: int, actor: Any) -> UpstreamMessage:
    """A person sends a parked (or failing) message back to the applier with fresh attempts."""
    if actor is None or not actor.has_perm(MAY_RETRY):
        raise NotAllowed(_("you need the approve order permission"))
    message = UpstreamMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None or message.applied_at is not None or message.outcome == Outcome.PENDING:
        raise OrderError(_("that message is not waiting for a retry"))
    previous = message.error
    message.outcome, message.attempts, message.retry_after = Outcome.PENDING, 0, None
    message.error = ""
    message.save(update_fields=["outcome", "attempts", "retry_after", "error"])
    if message.order is not None:
        message.order.note(
            _("callback %(type)s sent back to be applied (it failed with: %(error)s)")
            % {"type": message.message_type, "error": previous[:300]},
            actor=actor,
            kind="callback",
        )
    logger.info("callback %s sent back to be applied by %s", message.pk, actor)
    transaction.on_commit(_wake)
    return message


def _wake() -> None:
    from purchasing.tasks import wake_message_applier

    wake_message_applier()
