"""Arrivals at the warehouse of orders whose route has no status for it (`arrival_from_trace`).

1688 says so with a status (`success` maps to at_warehouse); Taobao has none after
WAIT_BUYER_CONFIRM_GOODS ("shipped"). What tells us the goods arrived is the domestic parcel's
trace, which the order's route reads (`arrival_traces`: for Taobao the logistics detail,
upstream-api.md 1.5.2, `logisticsTraces[].status`): the carrier's SIGN event, the parcel signed
for at the warehouse address the order ships to (the trace statuses are CONSIGN, ACCEPT,
TRANSPORT, DELIVERING and SIGN, as in 1688's LOGISTICS_BUYER_VIEW_TRACE, upstream-api.md 3.5).
An order is at the warehouse once every line sent upstream has a parcel and every parcel is
signed for.
"""

from __future__ import annotations

import operator
import time
import uuid
from dataclasses import asdict, dataclass
from functools import reduce

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet

from logistics.services.common import logger
from purchasing.models import PurchaseOrder
from purchasing.phrases import Phrase, listed
from purchasing.phrases import gettext as _
from purchasing.routes import ROUTES, route_for
from purchasing.services.orders.events import advance_to
from purchasing.statuses import OrderStatus
from upstream.errors import UpstreamError
from upstream.types.orders import LogisticsTrace

SIGNED = "SIGN"  # the carrier's "signed for" trace status
CHECK_AT_MOST = 100  # orders a page refresh checks at once; the sweeper checks all


@dataclass
class Arrivals:
    """What one check found: orders moved to at_warehouse, checked, and those it could not read."""

    moved: list[str]
    checked: int
    problems: list[str]


def awaiting_arrival() -> QuerySet[PurchaseOrder]:
    """Orders the seller shipped on a route whose arrival is read from the traces, not yet at
    the warehouse, oldest first."""
    on_routes = reduce(
        operator.or_,
        (
            Q(platform=route.platform, provider=route.provider)
            for route in ROUTES.values()
            if route.arrival_from_trace
        ),
    )
    return PurchaseOrder.objects.filter(on_routes, status=OrderStatus.SHIPPED).order_by(
        "updated_at", "pk"
    )


def _signed(trace: LogisticsTrace) -> Phrase | None:
    """How the trace says the parcel was signed for, or None while it is on its way."""
    event = next((e for e in reversed(trace.events) if e.status == SIGNED), None)
    if event is None:
        return None
    parcel = f"{trace.carrier} {trace.tracking_no}".strip()  # the upstream's names, as written
    if not event.time:
        return _("%(parcel)s signed for") % {"parcel": parcel}
    return _("%(parcel)s signed for %(when)s") % {
        "parcel": parcel,
        "when": f"{event.time:%Y-%m-%d %H:%M}",
    }


def order_arrival_check(*, order_id: int) -> bool:
    """Read the domestic traces of a shipped order (on a route with no arrival status) and move
    it to at_warehouse when every parcel is signed for. True when it moved; safe to run any
    number of times."""
    order = PurchaseOrder.objects.filter(pk=order_id).first()
    if order is None or order.status != OrderStatus.SHIPPED:
        return False
    route = route_for(order)
    if not route.arrival_from_trace:
        return False
    signed = []
    for traces in route.arrival_traces(order):
        found = [_signed(trace) for trace in traces]
        if not found or None in found:
            return False
        signed += found
    if not signed:
        return False  # no line was sent upstream
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
        if order.status != OrderStatus.SHIPPED:
            logger.info(
                "order %s: %s meanwhile; arrival not applied", order.reference, order.status
            )
            return False
        each = listed(list(dict.fromkeys(signed)), semicolons=True)
        message = _("at the warehouse: %(signed)s") % {"signed": each}
        return advance_to(order, OrderStatus.AT_WAREHOUSE, actor_label="warehouse", message=message)


def arrival_after_refresh(*, order: PurchaseOrder, **_: object) -> None:
    """Receiver of purchasing's `order_refreshed`: a person's "Refresh from upstream" (or any
    read) of a shipped order on a trace-read route also reads its traces, so an order signed
    for at the warehouse moves there at once instead of at the next sweep. An upstream that
    does not answer for the traces leaves the order to the sweeper; the refresh itself held."""
    if order.status != OrderStatus.SHIPPED or not route_for(order).arrival_from_trace:
        return
    try:
        order_arrival_check(order_id=order.pk)
    except UpstreamError as exc:
        logger.info("order %s: arrival not read after a refresh: %s", order.reference, exc)


def arrivals_check(*, limit: int | None = CHECK_AT_MOST, job: str = "") -> Arrivals:
    """Check the shipped orders awaiting arrival (the longest waiting first, at most `limit`).
    With a `job` (arrivals_check_start), what it has done so far is kept for the page to show."""
    ids = list(awaiting_arrival().values_list("pk", "reference"))
    if limit is not None:
        ids = ids[:limit]
    result = Arrivals(moved=[], checked=0, problems=[])
    _progress(job, result, total=len(ids), done=0)
    done = 0
    try:
        for order_id, reference in ids:
            try:
                moved = order_arrival_check(order_id=order_id)
            except UpstreamError as exc:
                logger.info("order %s: arrival not read: %s", reference, exc)
                result.problems.append(reference)
            else:
                result.checked += 1
                if moved:
                    result.moved.append(reference)
            done += 1
            _progress(job, result, total=len(ids), done=done)
    except Exception:
        # The page stops polling and says so; the sweeper checks these orders again anyway.
        _progress(job, result, total=len(ids), done=done, finished=True, failed=True)
        raise
    _progress(job, result, total=len(ids), done=done, finished=True)
    return result


# A check runs in a worker (a hundred traces take most of a minute); its progress is kept in
# the cache, where the page polls it, for an hour. Only one runs at a time: a second press
# while one runs shows the running one. A check not heard from for STALE_SECONDS died with its
# worker (or never left the queue): the page stops polling, and the next press starts another.
PROGRESS_KEY = "logistics:arrivals:{job}"
RUNNING_KEY = "logistics:arrivals:running"
PROGRESS_SECONDS = 3600
STALE_SECONDS = 600


def _save(job: str, state: dict) -> None:
    cache.set(PROGRESS_KEY.format(job=job), state | {"heard": time.time()}, PROGRESS_SECONDS)


def _progress(
    job: str, result: Arrivals, *, total: int, done: int, finished: bool = False, failed=False
) -> None:
    if not job:
        return
    state = {"total": total, "done": done, "finished": finished, "failed": failed}
    _save(job, state | asdict(result))
    if finished:
        cache.delete(RUNNING_KEY)


def arrivals_check_start() -> str:
    """Queue a check of the shipped orders awaiting arrival (after the transaction commits) and
    return its job id for `arrivals_progress`; the running job's id when one is running."""
    from logistics.tasks import check_arrivals

    job = uuid.uuid4().hex
    if not cache.add(RUNNING_KEY, job, PROGRESS_SECONDS):
        running = cache.get(RUNNING_KEY)
        state = arrivals_progress(running) if running else None
        if state is not None and not state["finished"]:
            return running
        cache.set(RUNNING_KEY, job, PROGRESS_SECONDS)
    empty = asdict(Arrivals(moved=[], checked=0, problems=[]))
    _save(job, {"total": None, "done": 0, "finished": False, "failed": False} | empty)
    transaction.on_commit(lambda: check_arrivals.delay(job=job))
    return job


def arrivals_progress(job: str) -> dict | None:
    """What the check `job` has done so far (total, done, finished, failed, moved, checked,
    problems), or None for a job unknown or expired."""
    state = cache.get(PROGRESS_KEY.format(job=job))
    if state and not state["finished"] and time.time() - state["heard"] > STALE_SECONDS:
        return state | {"finished": True, "failed": True}
    return state
