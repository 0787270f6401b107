"""Thin Celery tasks: ids in, one service call, retries on named retryable errors only.

acks_late (and reject_on_worker_lost from settings): safe to run twice, the services lock the
case, re-check its state and return early on a race."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from purchasing.tasks import MAX_RETRIES, run_service

logger = logging.getLogger("aftersales.tasks")


@shared_task(name="aftersales.submit_case", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def submit_case(self, case_id: int) -> None:
    from aftersales.models import RefundCase
    from aftersales.services import case_submit_upstream

    if not RefundCase.objects.filter(pk=case_id).exists():
        logger.warning("submit_case: case %s is gone", case_id)
        return
    run_service(self, case_submit_upstream, case_id=case_id)


@shared_task(name="aftersales.refresh_case", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def refresh_case(self, case_id: int) -> None:
    from aftersales.models import RefundCase
    from aftersales.services import case_refresh

    if not RefundCase.objects.filter(pk=case_id).exists():
        logger.warning("refresh_case: case %s is gone", case_id)
        return
    run_service(self, case_refresh, case_id=case_id)


@shared_task(name="aftersales.apply_refund_message", bind=True, acks_late=True)
def apply_refund_message(self, body: dict, platform: str) -> None:
    from aftersales.services import apply_refund_message as apply

    run_service(self, apply, body=body, platform=platform)


@shared_task(name="aftersales.sweep_cases", acks_late=True)
def sweep_cases() -> int:
    """Re-enqueue cases left submitting (a lost enqueue) and re-read live cases not read for a
    while: the database, not the broker, is the record of work to do."""
    from aftersales.models import LIVE, CaseStatus, RefundCase

    stale = timezone.now() - timedelta(minutes=10)
    count = 0
    for case_id in RefundCase.objects.filter(
        status=CaseStatus.SUBMITTING, needs_attention=False, updated_at__lt=stale
    ).values_list("pk", flat=True):
        submit_case.delay(case_id=case_id)
        count += 1
    for case_id in RefundCase.objects.filter(status__in=LIVE, updated_at__lt=stale).values_list(
        "pk", flat=True
    ):
        refresh_case.delay(case_id=case_id)
        count += 1
    return count


@shared_task(name="aftersales.release_idle_claims", acks_late=True)
def release_idle_claims() -> int:
    """Cases claimed and left without action past CAIGOU_CLAIM_EXPIRES_MINUTES go back to the
    queue."""
    from aftersales.services.work import release_idle_case_claims

    return release_idle_case_claims()
