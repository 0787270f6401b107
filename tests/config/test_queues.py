"""Every task of Caigou goes to one of four queues, named in settings, that some worker reads."""

from __future__ import annotations

import fnmatch

import pytest
from celery.exceptions import QueueNotFound
from django.conf import settings

from config.celery_app import app

QUEUES = {"money", "callbacks", "exports", "default"}


def caigou_tasks() -> list[str]:
    """Every task a worker registers (Celery's own and the tests' aside)."""
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith(("celery.", "tests.")))


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_four_queues_are_the_settings_queues():
    assert set(settings.CAIGOU_QUEUES) == QUEUES
    assert {queue.name for queue in settings.CELERY_TASK_QUEUES} == QUEUES


def test_every_registered_task_is_routed_by_name_to_one_of_the_four_queues():
    names = caigou_tasks()
    assert "purchasing.submit_order" in names and "reports.write_export" in names

    unrouted = [
        name
        for name in names
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in settings.CELERY_TASK_ROUTES)
    ]
    assert unrouted == [], f"tasks with no route in CELERY_TASK_ROUTES: {unrouted}"
    assert {name: queue_of(name) for name in names if queue_of(name) not in QUEUES} == {}


def test_every_route_names_a_registered_task():
    registered = set(caigou_tasks())
    assert [name for name in settings.CELERY_TASK_ROUTES if name not in registered] == []


def test_submits_payments_bookings_and_refunds_and_nothing_else_go_to_money():
    money = {name for name in caigou_tasks() if queue_of(name) == "money"}
    assert money == {
        "purchasing.submit_order",
        "purchasing.pay_orders",
        "storefront.pay_purchase_order",
        "logistics.book_parcel",
        "aftersales.submit_case",
    }


def test_callbacks_and_exports_have_queues_of_their_own():
    assert queue_of("purchasing.apply_upstream_message") == "callbacks"
    assert queue_of("aftersales.apply_refund_message") == "callbacks"
    assert queue_of("reports.write_export") == "exports"
    assert queue_of("purchasing.sweep_orders") == "default"


def test_a_worker_started_without_queues_consumes_all_four():
    # `celery -A config worker` with no -Q reads the configured queues, no others.
    assert set(app.amqp.queues.consume_from) == QUEUES


def test_a_queue_no_worker_reads_is_refused_when_sent():
    with pytest.raises(QueueNotFound):
        app.amqp.router.route({"queue": "celery"}, "purchasing.submit_order")
