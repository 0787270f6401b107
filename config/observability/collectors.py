"""Series read at scrape time, from where the truth is kept: orders by status and callbacks
waiting from the database, queue depth from the broker. Every process reads the same rows
and lists, so these need no multi-process bookkeeping; a source that does not answer leaves
its series out of that scrape (and says so in the log) instead of failing the others."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import redis
from django.conf import settings
from django.db.models import Count
from kombu.transport.redis import Channel
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from purchasing.models import PurchaseOrder, UpstreamMessage
from purchasing.statuses import OrderStatus

logger = logging.getLogger("config.metrics")


class OrdersByStatus(Collector):
    def collect(self) -> Iterator[Metric]:
        orders = GaugeMetricFamily(
            "caigou_orders", "Purchase orders by status, now.", labels=["status"]
        )
        counts = dict(
            PurchaseOrder.objects.order_by().values_list("status").annotate(count=Count("pk"))
        )
        for status in OrderStatus.values:
            orders.add_metric([status], counts.get(status, 0))
        yield orders
        yield GaugeMetricFamily(
            "caigou_orders_needing_attention",
            "Purchase orders stopped for a person, now.",
            value=PurchaseOrder.objects.filter(needs_attention=True).count(),
        )


class CallbacksWaiting(Collector):
    def collect(self) -> Iterator[Metric]:
        waiting = GaugeMetricFamily(
            "caigou_callbacks_waiting",
            "Stored callbacks not applied yet: pending, failed and to be retried, or parked.",
            labels=["state"],
        )
        Outcome = UpstreamMessage.Outcome
        counts = dict(
            UpstreamMessage.objects.filter(applied_at__isnull=True)
            .order_by()
            .values_list("outcome")
            .annotate(count=Count("pk"))
        )
        for state, outcome in (
            ("pending", Outcome.PENDING),
            ("error", Outcome.ERROR),
            ("parked", Outcome.PARKED),
        ):
            waiting.add_metric([state], counts.get(outcome, 0))
        yield waiting


class QueueDepth(Collector):
    """Messages waiting in each Celery queue: the LLEN of its Redis list, and of the lists
    kombu keeps beside it for message priorities. Tasks a worker has taken are not counted."""

    def collect(self) -> Iterator[Metric]:
        if not settings.REDIS_URL:
            return  # no broker: tasks run in the process that sends them
        depth = GaugeMetricFamily(
            "caigou_queue_depth", "Tasks waiting in each Celery queue.", labels=["queue"]
        )
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
        )
        try:
            with client.pipeline(transaction=False) as pipe:
                for queue in settings.CAIGOU_QUEUES:
                    for key in _queue_keys(queue):
                        pipe.llen(key)
                lengths = iter(pipe.execute())
        except redis.RedisError as exc:
            logger.warning("queue depth left out of this scrape: %s", exc)
            return
        finally:
            client.close()
        for queue in settings.CAIGOU_QUEUES:
            depth.add_metric([queue], sum(next(lengths) for _ in _queue_keys(queue)))
        yield depth


def _queue_keys(queue: str) -> list[str]:
    """The Redis lists of one queue: its own name, then one per priority step above 0."""
    return [queue, *(f"{queue}{Channel.sep}{step}" for step in Channel.priority_steps if step)]


SCRAPE_TIME = (OrdersByStatus(), CallbacksWaiting(), QueueDepth())
