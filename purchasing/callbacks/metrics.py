"""Prometheus series of upstream callbacks: stored by the views, applied by the tasks. How many
wait now is read from the database at scrape time (config/observability/collectors.py)."""

from __future__ import annotations

from prometheus_client import Counter

CALLBACKS_STORED = Counter(
    "caigou_callbacks_stored",
    "Upstream callbacks stored, by provider and whether their signature verified.",
    ["provider", "verified"],
)
CALLBACKS_APPLIED = Counter(
    "caigou_callbacks_applied",
    "Stored callbacks applied, by outcome (applied, stale, no_order, error, parked...).",
    ["outcome"],
)
