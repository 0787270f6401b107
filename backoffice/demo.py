"""Demo data for `make run`: one user per role (with a password everybody knows), exchange
rates, and a history of purchase orders for the dashboard."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from backoffice.roles import ADMIN, APPROVER, FINANCE, PURCHASER
from purchasing.models import ExchangeRate, StaffProfile
from purchasing.phrases import gettext as _

DEMO_PASSWORD = "caigou-demo"
# username -> (role, order limit in fen or None for the site threshold)
DEMO_USERS: dict[str, tuple[str, int | None]] = {
    PURCHASER: (PURCHASER, 200_000),
    # A second purchaser, so baskets show as one per person.
    f"{PURCHASER}2": (PURCHASER, 200_000),
    APPROVER: (APPROVER, None),
    FINANCE: (FINANCE, None),
    ADMIN: (ADMIN, None),
}


DEMO_RATES = {"USD": Decimal("7.12"), "EUR": Decimal("7.75"), "GBP": Decimal("9.05")}


def demo_rates_create() -> list[str]:
    """Exchange rates for the display currencies, only for currencies that have none yet."""
    created = []
    for currency, rate in DEMO_RATES.items():
        if not ExchangeRate.objects.filter(currency=currency).exists():
            ExchangeRate.objects.create(currency=currency, cny_per_unit=rate, note="demo rate")
            created.append(currency)
    return created


@transaction.atomic
def demo_users_create() -> list[str]:
    """Create the missing demo users; existing ones are left exactly as they are.

    Returns the usernames that were created.
    """
    user_model = get_user_model()
    created = []
    for username, (role, limit) in DEMO_USERS.items():
        if user_model.objects.filter(username=username).exists():
            continue
        user = user_model.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@demo.caigou.invalid",
            first_name=username.capitalize(),
            is_staff=True,
            is_superuser=role == ADMIN,
        )
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, order_limit_fen=limit)
        created.append(username)
    return created


# -- demo history ------------------------------------------------------------------------------
# `seed_demo --history N`: N purchase orders spread over the last 90 days, in every state, made
# through the real services against the sandbox, then dated back so charts have a past.

HISTORY_DAYS = 90
# Where the demo's orders end up, with weights (out of 100).
TARGETS: list[tuple[str, int]] = [
    ("draft", 2),
    ("previewed", 4),
    ("awaiting_approval", 4),
    ("cancelled", 5),
    ("awaiting_payment", 7),
    ("paid", 14),
    ("shipped", 16),
    ("at_warehouse", 20),
    ("dispatched", 14),
    ("delivered", 14),
]
# Hours after creation at which an order reaches each state (ranges, drawn per order).
STEP_HOURS: dict[str, tuple[float, float]] = {
    "previewed": (0.05, 0.2),
    "awaiting_approval": (0.05, 0.2),
    "approved": (1, 8),
    "submitting": (0.01, 0.05),
    "awaiting_payment": (0.01, 0.05),
    "paying": (1, 30),
    "paid": (0.01, 0.05),
    "shipped": (8, 130),
    "at_warehouse": (24, 150),
    "dispatched": (12, 100),
    "delivered": (96, 300),
    "cancelled": (2, 48),
}


@contextmanager
def sandbox_server() -> Iterator[str]:
    """Serve this project (and so its sandbox upstream) on a free local port on a thread, and
    point the upstream clients at it, for as long as the block runs: a management command has
    no web server of its own."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    class Prompt(ThreadedWSGIServer):
        # Request threads are joined on close, so each has closed its database connection.
        daemon_threads, block_on_close = False, True

        def get_request(self) -> tuple:
            # The response goes out in several small writes: without TCP_NODELAY each one
            # after the first waits for the client's delayed ACK (40 ms a call on Linux).
            connection, address = super().get_request()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection, address

    handler = WSGIHandler()
    # The sandbox writes its own address into what it returns (picture and voucher links), and
    # orders keep those: it must name the real server, not this temporary one.
    host = urlsplit(settings.SANDBOX_BASE_URL).netloc

    def app(environ: dict, start_response: Callable) -> Any:
        environ["HTTP_HOST"] = host
        return handler(environ, start_response)

    server = Prompt(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, name="demo-sandbox", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        with override_settings(
            PANDAPON_BASE_URL=f"{url}/sandbox/pandapon",
            DAJISAAS_BASE_URL=f"{url}/sandbox/dajisaas",
            SANDBOX_CALLBACK_URL=f"{url}/callbacks/",
            SANDBOX_CALLBACKS_ENABLED=False,  # statuses are read back instead, one order at a time
            UPSTREAM_RATE_LIMIT_PER_S=0,
        ):
            yield url
    finally:
        from upstream import accounts

        # Kept-alive client connections would keep their request threads waiting.
        for transport in list(accounts._transports.values()):
            if transport.account.base_url.startswith(url):
                transport.session.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def fast_sqlite() -> Iterator[None]:
    """On SQLite, commit without waiting for the disk while the history is made (thousands of
    small commits); a crash midway loses demo orders at worst, and a second run makes them."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def relax(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")

    connection_created.connect(relax)
    if connection.connection is not None:
        relax(None, connection)
    try:
        yield
    finally:
        connection_created.disconnect(relax)
        if connection.vendor == "sqlite" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = FULL")


def _orderable(platform: str, limit: int = 150) -> list[dict[str, Any]]:
    """Orderable SKUs of the sandbox catalogue, one per product, to spread over sellers."""
    from upstream.sandbox.models import Product

    found = []
    products = Product.objects.filter(platform=platform, available=True).order_by("pk")
    for product in products.prefetch_related("skus")[: limit * 2]:
        skus = [s for s in product.skus.all() if s.available and s.stock >= 50]
        if skus:
            sku = skus[0]
            found.append(
                {
                    "item_id": product.item_id,
                    "sku_id": sku.sku_id,
                    "spec_id": sku.spec_id,
                    "minimum": max(1, product.min_order_quantity),
                    "price_fen": sku.price_fen,
                }
            )
        if len(found) >= limit:
            break
    return found


def demo_history_create(count: int, *, progress: Callable[[str], None] = lambda line: None) -> int:
    """Create demo orders until there are `count` purchase orders in all; returns how many
    were made (none when the history is already there)."""
    from purchasing.models import PurchaseOrder

    missing = count - PurchaseOrder.objects.count()
    if missing <= 0:
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERS)}
    if len(users) < len(DEMO_USERS):
        demo_users_create()
        users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERS)}
    made, started = 0, time.monotonic()
    with fast_sqlite(), sandbox_server():
        catalogue = {"taobao": _orderable("taobao"), "1688": _orderable("1688")}
        if not catalogue["taobao"] or not catalogue["1688"]:
            raise ValueError("the sandbox catalogue is empty: run `manage.py sandbox_seed` first")
        now = timezone.now()
        first = count - missing
        for index in range(first, count):
            rng = random.Random(index)
            _one_order(rng, users, catalogue, now)
            made += 1
            if made % 25 == 0 or made == missing:
                progress(f"  {made}/{missing} orders ({time.monotonic() - started:.0f} s)")
    from backoffice.demo_work import demo_work_create

    demo_work_create(users)
    return made


def _one_order(rng: random.Random, users: dict, catalogue: dict, now: datetime) -> None:
    from purchasing.models import PurchaseOrder
    from purchasing.services.orders.approval import order_confirm
    from purchasing.services.orders.attention import moved_total, order_clear_attention
    from purchasing.services.orders.common import warehouse_address
    from purchasing.services.orders.events import advance_to
    from purchasing.services.orders.lifecycle import order_cancel, order_refresh
    from purchasing.services.orders.pay import order_pay
    from purchasing.services.orders.preview import order_create_from_items, order_preview
    from purchasing.statuses import RANK
    from upstream.sandbox.control import advance_order

    target = rng.choices([t for t, _ in TARGETS], weights=[w for _, w in TARGETS])[0]
    platform = "1688" if rng.random() < 0.3 else "taobao"
    chosen = rng.sample(catalogue[platform], k=1 if platform == "1688" else rng.randint(1, 2))
    big = target == "awaiting_approval"
    items = [
        {
            "item_id": sku["item_id"],
            "sku_id": sku["sku_id"],
            "spec_id": sku["spec_id"],
            # Big enough for the purchaser's ¥2,000 limit when the order must wait for approval.
            "quantity": max(sku["minimum"], 2_100_00 // max(sku["price_fen"], 1) + 1)
            if big
            else sku["minimum"] * rng.randint(1, 3),
        }
        for sku in chosen
    ]
    purchaser, approver, finance = users[PURCHASER], users[APPROVER], users[FINANCE]
    creator = purchaser if big or rng.random() < 0.6 else approver
    order = order_create_from_items(
        platform=platform, items=items, address=warehouse_address(), actor=creator
    )
    if target != "draft":
        order_preview(order=order, actor=creator)
    if target == "cancelled":
        # Given up before it was sent: cancelling after the create is the same service with
        # one more upstream call.
        order.refresh_from_db()
        order_cancel(order=order, actor=creator, reason=_("demo: not needed any more"))
    elif RANK.get(target, -1) >= RANK["awaiting_approval"]:
        order.refresh_from_db()
        order_confirm(order=order, actor=purchaser if big else approver)
    order.refresh_from_db()
    if RANK.get(target, -1) >= RANK["paid"] and order.status == "awaiting_payment":
        if order.needs_attention and moved_total(order) is not None:
            # A shop-wide promotion the per-item preview could not show: the approver looks
            # and accepts the upstream's total, as a person would on the order page.
            order_clear_attention(
                order=order, actor=approver, comment=_("demo: promotion applied"), accept_total=True
            )
        order_pay(orders=[order], actor=finance)
    order.refresh_from_db()
    if RANK.get(target, -1) >= RANK["shipped"] and order.status == "paid":
        for upstream_id in order.upstream_ids:
            advance_order(upstream_id, SELLER_SHIPPED[platform])
        order = order_refresh(order_id=order.pk, source=_("demo: the seller shipped"))
    if RANK.get(target, -1) >= RANK["at_warehouse"] and order.status == "shipped":
        with transaction.atomic():
            order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
            advance_to(order, target, actor_label="warehouse", message=_("demo history"))
    refunded = platform == "taobao" and order.status != "paid" and rng.random() < REFUND_SHARE
    if refunded and RANK.get(order.status, -1) >= RANK["shipped"]:
        _refund(order, purchaser, rng)
    _date_back(order.pk, rng, now)


REFUND_SHARE = 0.15  # of the Taobao orders the seller shipped


def _refund(order: Any, actor: Any, rng: random.Random) -> None:
    """Refund part of one line (refund only), agreed by the sandbox's seller and read back."""
    from aftersales.services.common import CaseError
    from aftersales.services.open import case_open, case_options
    from aftersales.services.submit import case_submit
    from aftersales.services.sync import case_refresh
    from upstream.sandbox.handlers.aftersales import advance_refunds

    line = order.lines.order_by("line_no").first()
    lines = {line.pk: line.quantity}
    try:
        options = case_options(order=order, lines=lines, kind="refund_only", goods_status="1")
        reason = next(r for r in options.reasons if not r.need_voucher)
        amount = max(options.min_fen, int(options.max_fen * rng.choice([0.3, 0.5, 1.0])))
        case = case_open(
            order=order,
            lines=lines,
            kind="refund_only",
            goods_status="1",
            reason_id=reason.reason_id,
            amount_fen=amount,
            description="demo",
            actor=actor,
        )
        case_submit(case=case, actor=actor)
    except (CaseError, StopIteration):
        return  # the demo simply has one refund fewer
    advance_refunds()
    case_refresh(case_id=case.pk)


SELLER_SHIPPED = {"taobao": "WAIT_BUYER_CONFIRM_GOODS", "1688": "waitbuyerreceive"}
NOTE_HOURS = (0.02, 0.3)  # before a note or a state reached again: no two entries share a moment


def _date_back(order_id: int, rng: random.Random, now: datetime) -> None:
    """Date the order back: created some day in the last 90 days (one still to be paid, within
    its pay clock), each timeline entry strictly after the one written before it, a new state
    hours after the last, nothing after now."""
    from django.db.models import QuerySet

    from aftersales.models import RefundCase
    from purchasing.models import OrderEvent, PaymentAttempt, PurchaseOrder

    events = list(OrderEvent.objects.filter(order_id=order_id).order_by("pk"))
    offsets: list[float] = []
    reached: dict[str, float] = {}
    hours = 0.0
    for event in events:
        if event.to_status != event.from_status and event.to_status not in reached:
            low, high = STEP_HOURS.get(event.to_status, (0.01, 0.05))
            hours += rng.uniform(low, high)
            reached[event.to_status] = hours
        else:
            hours += rng.uniform(*NOTE_HOURS)
        offsets.append(hours)
    span = timedelta(hours=hours + 1)
    latest = now - span
    earliest = now - timedelta(days=HISTORY_DAYS)
    order = PurchaseOrder.objects.get(pk=order_id)
    if order.status == "awaiting_payment":
        # Still to be paid: dated within the first half of its pay clock, so that a team trying
        # the demo pays it in time (weeks overdue, a real upstream would have closed it).
        earliest = max(earliest, now - timedelta(hours=settings.CAIGOU_PAY_WITHIN_HOURS / 2))
    created = earliest + (latest - earliest) * rng.random() if latest > earliest else latest
    stamp = {status: created + timedelta(hours=h) for status, h in reached.items()}
    written = [event.created_at for event in events]  # when each was really written
    for event, offset in zip(events, offsets, strict=True):
        event.created_at = created + timedelta(hours=offset)
    last = events[-1].created_at if events else created
    # The only place a timeline is rewritten: the demo's history is made now and dated back.
    QuerySet(model=OrderEvent).bulk_update(events, ["created_at"])
    fields = {"created_at": created, "updated_at": last}
    for field, status in (
        ("approved_at", "approved"),
        ("submitted_at", "submitting"),
        ("paid_at", "paid"),
    ):
        if getattr(order, field) is not None:
            fields[field] = stamp.get(status, created)
    PurchaseOrder.objects.filter(pk=order_id).update(**fields)
    if "paid" in stamp:
        PaymentAttempt.objects.filter(order_id=order_id).update(
            created_at=stamp.get("paying", stamp["paid"]), finished_at=stamp["paid"]
        )
    for case in RefundCase.objects.filter(order_id=order_id):
        # Opened just before the first timeline entry written after it (or at the end).
        after = [e for e, w in zip(events, written, strict=True) if w >= case.created_at]
        opened = after[0].created_at - timedelta(seconds=30) if after else last
        same = RefundCase.objects.filter(pk=case.pk)
        same.update(created_at=opened, submitted_at=opened, updated_at=opened)
        same.filter(closed_at__isnull=False).update(closed_at=opened)
