"""Prometheus series of upstream calls: every attempt, by provider, operation and outcome, with
its latency. Counted where every call passes, the transport's journal (`MeteredJournal` wraps
the database journal in `accounts.py`), so no call site has to remember it."""

from __future__ import annotations

import logging

from prometheus_client import Counter, Histogram

from upstream.client import CallRecord, Journal

logger = logging.getLogger(__name__)

# Upstream answers take from tens of milliseconds to the 15 s read timeout.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0)

UPSTREAM_CALLS = Counter(
    "caigou_upstream_calls",
    "Upstream call attempts by provider, operation and outcome (ok, or the error's type).",
    ["provider", "operation", "outcome"],
)
UPSTREAM_LATENCY = Histogram(
    "caigou_upstream_call_seconds",
    "Time from sending an upstream call to reading its answer (or failing).",
    ["provider", "operation"],
    buckets=LATENCY_BUCKETS,
)


def outcome_of(entry: CallRecord) -> str:
    """`ok`, or the error's class name (`UpstreamTimeout`, `RateLimited`...): a short, closed
    set, so the series stay few."""
    return entry.error.split(":", 1)[0] if entry.error else "ok"


def observe(entry: CallRecord) -> None:
    provider = entry.account.split(":", 1)[0]
    UPSTREAM_CALLS.labels(provider, entry.operation, outcome_of(entry)).inc()
    UPSTREAM_LATENCY.labels(provider, entry.operation).observe(entry.duration_ms / 1000)


class MeteredJournal:
    """Counts each call, then hands it to the journal it wraps."""

    def __init__(self, inner: Journal) -> None:
        self.inner = inner

    def record(self, entry: CallRecord) -> None:
        try:
            observe(entry)
        except Exception:  # a metric that cannot be written must not cost the journal its row
            logger.exception("could not count upstream call %s", entry.operation)
        self.inner.record(entry)
