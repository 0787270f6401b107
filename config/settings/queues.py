"""Celery queues by kind of work, and the table of which task goes to which queue."""

from kombu import Queue

# One queue per kind of work, so that a million-row export or a burst of callbacks never holds
# up a submit or a payment: production runs a worker (or several) per queue (README,
# Production). A worker started without -Q consumes all four; `make run` runs every task in the
# process that sends it, whatever its queue. A route naming any other queue fails when sent
# (no queue is created that no worker reads), and a task left out goes to `default`.
CAIGOU_QUEUES = ("money", "callbacks", "exports", "default")
CELERY_TASK_QUEUES = tuple(Queue(name, routing_key=name) for name in CAIGOU_QUEUES)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_CREATE_MISSING_QUEUES = False
_QUEUED_TASKS = {
    # Every call that creates, pays, books or refunds upstream.
    "money": (
        "purchasing.submit_order",
        "purchasing.pay_orders",
        "storefront.pay_purchase_order",
        "logistics.book_parcel",
        "aftersales.submit_case",
    ),
    # The upstream's callbacks, applied, and ours to the storefronts, delivered.
    "callbacks": (
        "purchasing.apply_upstream_message",
        "purchasing.apply_pending_messages",
        "aftersales.apply_refund_message",
        "storefront.deliver_webhook",
        "storefront.replay_webhook",
    ),
    # Long by nature: a million-row XLSX takes minutes.
    "exports": ("reports.write_export", "reports.purge_exports"),
    # Reads, intake, sweepers, purges, and the sandbox's own deliveries.
    "default": (
        "purchasing.refresh_order",
        "purchasing.reconcile_orders",
        "purchasing.sweep_orders",
        "purchasing.purge_upstream_messages",
        "purchasing.release_idle_claims",
        "purchasing.raise_due_deadlines",
        "storefront.intake_order",
        "storefront.sync_status",
        "storefront.sweep",
        "storefront.purge_idempotency_keys",
        "logistics.refresh_parcel",
        "logistics.check_arrival",
        "logistics.check_arrivals",
        "logistics.sweep_parcels",
        "aftersales.refresh_case",
        "aftersales.sweep_cases",
        "aftersales.release_idle_claims",
        "upstream.purge_call_journal",
        "upstream.sandbox.deliver_callback",
        "upstream.sandbox.release_held_callbacks",
    ),
}
CELERY_TASK_ROUTES = {
    task: {"queue": queue} for queue, tasks in _QUEUED_TASKS.items() for task in tasks
}
