"""/metrics beyond one process: counters of several processes added up through
PROMETHEUS_MULTIPROC_DIR, and the Celery queues' depth read from the broker when scraped."""

from __future__ import annotations

import subprocess
import sys

import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from config.celery_app import app as celery_app
from tests.config.factories import ROOT

TOKEN = "metrics-token-for-tests-0123456789abcdef"
# One process's share of the work: an upstream call counted, as the transport counts it.
ONE_CALL = (
    "from upstream.client import CallRecord;"
    "from upstream.metrics import observe;"
    "observe(CallRecord(operation='taobao_order_pay', account='pandapon:ak', method='POST',"
    " url='http://upstream/open/order/pay', outer_ref='CG1', request_body={},"
    " duration_ms=120.0))"
)


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.fixture
def token(settings) -> None:
    settings.METRICS_TOKEN = TOKEN


@pytest.mark.django_db
def test_counters_of_every_process_are_added_up(client, token, settings, tmp_path):
    for _ in range(2):  # two workers, each gone once it has counted
        subprocess.run(
            [sys.executable, "-c", ONE_CALL],
            cwd=ROOT,
            env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)},
            check=True,
        )
    settings.PROMETHEUS_MULTIPROC_DIR = str(tmp_path)

    found = scrape(client)

    labels = (("operation", "taobao_order_pay"), ("outcome", "ok"), ("provider", "pandapon"))
    assert found[("caigou_upstream_calls_total", labels)] == 2
    count = ("caigou_upstream_call_seconds_count", labels[:1] + labels[2:])
    assert found[count] == 2
    # Read at scrape time, so present whatever the mode.
    assert any(name == "caigou_orders" for name, _labels in found)


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_queue_depth_counts_the_tasks_waiting_in_each_queue(client, token, settings):
    if not settings.REDIS_URL:
        pytest.skip("queue depth is read from Redis (REDIS_URL)")
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("exports", "money")
    try:
        for _ in range(3):  # sent, never run: no worker reads this test's broker database
            celery_app.send_task("reports.purge_exports", queue="exports")
        celery_app.send_task("purchasing.sweep_orders", queue="money", priority=9)
        found = scrape(client)
    finally:
        broker.delete("exports", "money", *broker.keys("money\x06\x16*"))

    depth = {
        dict(labels)["queue"]: value
        for (name, labels), value in found.items()
        if name == "caigou_queue_depth"
    }
    assert depth == {"exports": 3, "money": 1, "callbacks": 0, "default": 0}
