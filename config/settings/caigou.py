"""Caigou's own business rules: approval, currency, previews and their tolerance, the
reconciler and sweepers, warehouse and shipment delays, exports; and the periodic tasks that
enforce them. Every value comes from the environment with a default; `base.py` imports them."""

import environ

from config.env import ConfigurationError
from purchasing.warehouse import WarehouseAddressError, parse_setting

env = environ.Env()

# The periodic tasks of the domain apps; base.py starts CELERY_BEAT_SCHEDULE from it.
CAIGOU_BEAT_SCHEDULE: dict = {}
# Orders above this total (fen) wait for an approver; a purchaser's own limit can be lower.
CAIGOU_APPROVAL_THRESHOLD_FEN = env.int("CAIGOU_APPROVAL_THRESHOLD_FEN", default=500_000)
# The currency the business sells in; prices are shown in it beside CNY, at the latest
# ExchangeRate staff set in the admin.
CAIGOU_DISPLAY_CURRENCY = env.str("CAIGOU_DISPLAY_CURRENCY", default="USD").upper()
# A new exchange rate further than this (percent) from the latest one of its currency is refused
# unless the admin confirms it: a slipped digit would misprice every converted amount.
CAIGOU_RATE_BAND_PERCENT = env.int("CAIGOU_RATE_BAND_PERCENT", default=20)
# Goods: a cached product (and its SKUs) is fetched again from the upstream when older than this.
CAIGOU_PRODUCT_TTL_MINUTES = env.int("CAIGOU_PRODUCT_TTL_MINUTES", default=30)
# The landed cost estimate on an item page ships to this default destination (ISO country code).
# The language of what Caigou writes for sellers (the evidence pack's summary): Taobao and 1688
# sellers read Chinese, whatever the language of the staff who send it.
CAIGOU_SELLER_LANGUAGE = env.str("CAIGOU_SELLER_LANGUAGE", default="zh-hans").lower()
CAIGOU_DEFAULT_DESTINATION_COUNTRY = env.str("CAIGOU_DEFAULT_DESTINATION_COUNTRY", default="US")
CAIGOU_DEFAULT_DESTINATION_CITY = env.str("CAIGOU_DEFAULT_DESTINATION_CITY", default="Los Angeles")
CAIGOU_DEFAULT_DESTINATION_ZIP = env.str("CAIGOU_DEFAULT_DESTINATION_ZIP", default="90001")
# How long an overseas freight estimate is reused (seconds; it changes rarely).
CAIGOU_FREIGHT_ESTIMATE_CACHE_SECONDS = env.int(
    "CAIGOU_FREIGHT_ESTIMATE_CACHE_SECONDS", default=3 * 60 * 60
)
# Where sellers deliver new orders: a JSON object of name, mobile, phone, zip, country, state,
# city, district, address and district_code. Unset, the address book's default warehouse is
# used (purchasing/warehouse.py); with neither, the demo warehouse while the sandbox is on.
try:
    CAIGOU_WAREHOUSE_ADDRESS = parse_setting(env.str("CAIGOU_WAREHOUSE_ADDRESS", default=""))
except WarehouseAddressError as exc:
    raise ConfigurationError(str(exc)) from None
# Purchase orders. A preview is trusted this long before submit previews again, and the
# upstream may move price or freight by this much (fen) before the order stops for a person.
CAIGOU_PREVIEW_TTL_MINUTES = env.int("CAIGOU_PREVIEW_TTL_MINUTES", default=30)
CAIGOU_PREVIEW_TOLERANCE_FEN = env.int("CAIGOU_PREVIEW_TOLERANCE_FEN", default=100)
# An accepted preview older than this (seconds) is taken again just before the create; a cart
# order's always is, since the cart can change upstream at any time.
CAIGOU_PREVIEW_RECHECK_SECONDS = env.int("CAIGOU_PREVIEW_RECHECK_SECONDS", default=60)
# The most SKUs (an order's lines) one 1688 upstream order takes: the official createCrossOrder
# says 50, from one supplier (upstream-api.md 3.2); a larger order is split by Caigou.
CAIGOU_1688_SKUS_PER_ORDER = env.int("CAIGOU_1688_SKUS_PER_ORDER", default=50)
# The most upstream orders one batch pay call carries: agents report 10 for both providers
# (Dajisaas documents it; PandaPon does not say), so a larger batch is paid in chunks.
CAIGOU_BATCH_PAY_MAX = env.int("CAIGOU_BATCH_PAY_MAX", default=10)
# PandaPon's Taobao batch pay is assumed (POST /open/order/batch/pay; no page gives it, though
# Taobao Global and Dajisaas have one): False pays Taobao orders one call each.
CAIGOU_TAOBAO_BATCH_PAY = env.bool("CAIGOU_TAOBAO_BATCH_PAY", default=True)
# A product's detail read this recently by the same process serves again to build an order's
# draft lines from item ids (the order's preview prices the lines again). 0: always read.
CAIGOU_PRODUCT_READ_FRESH_SECONDS = env.int("CAIGOU_PRODUCT_READ_FRESH_SECONDS", default=30)
# A preview of the same goods, quantities and address that this process took this recently is
# shown again for a first preview ("Preview again" always asks): the create carries the accepted
# total as its budget where it can, and the read before every pay checks it. 0: always ask.
CAIGOU_PREVIEW_REUSE_SECONDS = env.int("CAIGOU_PREVIEW_REUSE_SECONDS", default=10)
# How long a create, pay, refund or booking call may still land upstream after it was sent
# (seconds): well above UPSTREAM_READ_TIMEOUT. A run may read at once after a lost answer, but
# creates or pays again only after this (the upstream takes a second payment; see README).
CAIGOU_UPSTREAM_CALL_LEASE_SECONDS = env.int("CAIGOU_UPSTREAM_CALL_LEASE_SECONDS", default=120)
# The reconciler re-reads open orders not heard of for this long (the upstream gives up on a
# callback after 5 tries); the sweeper re-enqueues orders left submitting or paying this long.
CAIGOU_RECONCILE_AFTER_MINUTES = env.int("CAIGOU_RECONCILE_AFTER_MINUTES", default=30)
CAIGOU_RECONCILE_EVERY_MINUTES = env.int("CAIGOU_RECONCILE_EVERY_MINUTES", default=10)
CAIGOU_SWEEP_AFTER_MINUTES = env.int("CAIGOU_SWEEP_AFTER_MINUTES", default=5)
# Lines waiting at the warehouse longer than this many days are flagged on the logistics page.
CAIGOU_WAREHOUSE_WAIT_DAYS = env.int("CAIGOU_WAREHOUSE_WAIT_DAYS", default=7)
# A paid order with no seller shipment after this many days shows in the exceptions queue.
CAIGOU_NO_SHIPMENT_DAYS = env.int("CAIGOU_NO_SHIPMENT_DAYS", default=3)
# The work queue: a claimed order or case left without its holder's action this long goes back
# to the queue; an open order with no status change for this long asks for a wait reason.
CAIGOU_CLAIM_EXPIRES_MINUTES = env.int("CAIGOU_CLAIM_EXPIRES_MINUTES", default=120)
CAIGOU_ORDER_SLA_HOURS = env.int("CAIGOU_ORDER_SLA_HOURS", default=24)
CAIGOU_BEAT_SCHEDULE["purchasing-release-idle-claims"] = {
    "task": "purchasing.release_idle_claims",
    "schedule": 300,
}
CAIGOU_BEAT_SCHEDULE["aftersales-release-idle-claims"] = {
    "task": "aftersales.release_idle_claims",
    "schedule": 300,
}
# Deadlines (purchasing/deadlines.py): time to pay an order created upstream, for the seller to
# ship after payment, until Taobao and 1688 confirm receipt after shipment, and after receipt
# until refunds and returns can no longer be opened. What falls due within a day is raised into
# the exceptions queue, once.
CAIGOU_PAY_WITHIN_HOURS = env.int("CAIGOU_PAY_WITHIN_HOURS", default=24)
CAIGOU_SHIP_WITHIN_HOURS = env.int("CAIGOU_SHIP_WITHIN_HOURS", default=48)
CAIGOU_AUTO_CONFIRM_DAYS = env.int("CAIGOU_AUTO_CONFIRM_DAYS", default=10)
CAIGOU_CLAIM_WINDOW_DAYS = env.int("CAIGOU_CLAIM_WINDOW_DAYS", default=15)
CAIGOU_BEAT_SCHEDULE["purchasing-raise-due-deadlines"] = {
    "task": "purchasing.raise_due_deadlines",
    "schedule": 3600,
}
# Without Celery beat, the web server can run the beat schedule itself (backoffice/beat.py);
# local settings turn it on when there is no Redis.
CAIGOU_BEAT_IN_PROCESS = env.bool("CAIGOU_BEAT_IN_PROCESS", default=False)
CAIGOU_BEAT_SCHEDULE["purchasing-reconcile-orders"] = {
    "task": "purchasing.reconcile_orders",
    "schedule": CAIGOU_RECONCILE_EVERY_MINUTES * 60,
}
CAIGOU_BEAT_SCHEDULE["purchasing-sweep-orders"] = {
    "task": "purchasing.sweep_orders",
    "schedule": 120,
}
# Parcels and after-sales cases: re-enqueue lost bookings and submits, and re-read live ones
# not heard of for a while.
CAIGOU_BEAT_SCHEDULE["logistics-sweep-parcels"] = {
    "task": "logistics.sweep_parcels",
    "schedule": CAIGOU_RECONCILE_EVERY_MINUTES * 60,
}
CAIGOU_BEAT_SCHEDULE["aftersales-sweep-cases"] = {
    "task": "aftersales.sweep_cases",
    "schedule": CAIGOU_RECONCILE_EVERY_MINUTES * 60,
}
# Storefront orders whose intake was lost, and webhook deliveries due for another try.
CAIGOU_BEAT_SCHEDULE["storefront-sweep"] = {"task": "storefront.sweep", "schedule": 60}
CAIGOU_BEAT_SCHEDULE["storefront-purge-idempotency-keys"] = {
    "task": "storefront.purge_idempotency_keys",
    "schedule": 3600,
}
# Exports: up to this many rows a report downloads at once (CSV streamed); bigger exports are
# written by a Celery task and kept CAIGOU_EXPORT_KEEP_DAYS days, then a beat task deletes them.
CAIGOU_EXPORT_SYNC_MAX_ROWS = env.int("CAIGOU_EXPORT_SYNC_MAX_ROWS", default=20_000)
CAIGOU_EXPORT_KEEP_DAYS = env.int("CAIGOU_EXPORT_KEEP_DAYS", default=7)
CAIGOU_BEAT_SCHEDULE["reports-purge-exports"] = {
    "task": "reports.purge_exports",
    "schedule": 6 * 3600,
}
