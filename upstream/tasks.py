"""Thin Celery tasks of the upstream app: journal retention."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

PURGE_BATCH = 5_000  # small deletes keep locks short while the journal is being written


@shared_task(name="upstream.purge_call_journal", acks_late=True)
def purge_call_journal() -> int:
    """Delete journal entries older than UPSTREAM_JOURNAL_DAYS; returns how many went."""
    from upstream.models import CallJournal

    cutoff = timezone.now() - timedelta(days=settings.UPSTREAM_JOURNAL_DAYS)
    deleted = 0
    while True:
        ids = list(
            CallJournal.objects.filter(created_at__lt=cutoff).values_list("id", flat=True)[
                :PURGE_BATCH
            ]
        )
        if not ids:
            break
        deleted += CallJournal.objects.filter(id__in=ids).delete()[0]
    logger.info("call journal: deleted %d entries older than %s", deleted, cutoff)
    return deleted
